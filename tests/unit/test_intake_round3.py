"""Intake round 3 failure kinds, in the owner's own resident-style sentences (never a blind script's): a number
corrected by the piece that was wrong, the benefit said with what it is not, several benefits named, device words
and device changes, names said in sign-language order, hand-over words and no stuck loops."""

from __future__ import annotations

import pytest

from actions.intake_understand import asks_about_cover, loose_name, wants_handover
from bot.rules.benefits import benefit_candidates, load_table, switch_target
from bot.rules.field_values import parse_answer, read_name
from bot.rules.id_card import id_check_digit, validate_id_number
from bot.rules.number_fix import fix_number
from bot.rules.phone import validate_phone
from tests.unit.test_intake_dialogue import FATHER_ID, Chat, started

MOTHER_17 = "14040619580921062"
MOTHER_ID = MOTHER_17 + id_check_digit(MOTHER_17)  # female, 潞城 prefix


def phone_ok(number: str) -> bool:
    return validate_phone(number).ok


@pytest.mark.parametrize(
    ("said", "fixed"),
    [
        ("尾号是幺洞两三", "13945671023"),  # 幺/洞/两 as speech recognition writes them
        ("后四位应该是4321 不是1234", "13945674321"),
        ("最后一位是九", "13945671239"),
        ("不是139 是138", "13845671234"),
        ("开头三位是一五八", "15845671234"),
        ("5671改成5677", "13945677234"),
        ("中间那个六是八", "13945871234"),
        ("后两位幺二", "13945671212"),
    ],
)
def test_a_phone_is_corrected_by_the_piece_that_was_wrong(said: str, fixed: str) -> None:
    assert fix_number("13945671234", said, phone_ok) == fixed


@pytest.mark.parametrize("said", ["号码不对", "12", "就是那个数", "幺三九四五六七幺二三四五"])
def test_a_piece_that_cannot_be_placed_changes_nothing(said: str) -> None:
    assert fix_number("13945671234", said, phone_ok) is None


def test_an_id_number_piece_must_keep_the_check_digit_right() -> None:
    valid = lambda number: validate_id_number(number).ok  # noqa: E731
    wrong_year = MOTHER_ID.replace("1958", "1968")
    assert fix_number(wrong_year, "不是1968 是1958", valid) == MOTHER_ID
    assert fix_number(MOTHER_ID, "不是1958 是1957", valid) is None  # the check digit would no longer fit


def _family_at_readback(opening: str, phone_answers: tuple[str, str]) -> Chat:
    chat = started(opening)
    chat.say("同意")
    chat.say("郝秀兰")
    chat.say(MOTHER_ID)
    chat.say("没有")
    chat.say(phone_answers[0])
    if chat.asking == "proxy_phone":
        chat.say(phone_answers[1])
    chat.say("潞城区店上镇北村后街6号")
    chat.say("不是低保")
    assert chat.asking == "confirmed"
    return chat


def test_one_phone_given_for_both_is_corrected_for_both_by_a_spoken_tail() -> None:
    chat = _family_at_readback("俺想给俺娘申请护理补贴 俺是她儿子郝建国", ("13935506677", "一样"))
    assert chat.slots["phone"] == chat.slots["proxy_phone"] == "13935506677"
    reply = chat.say("手机号记错了 末尾是六六七八 不是六六七七")
    assert "改好了" in reply and chat.asking == "confirmed"
    assert chat.slots["phone"] == chat.slots["proxy_phone"] == "13935506678"


def test_my_phone_corrected_leaves_the_applicants_phone() -> None:
    chat = _family_at_readback("俺想给俺娘申请护理补贴 俺是她儿子郝建国", ("13935506677", "13935506677"))
    chat.say("我的电话错了 尾号是6670")
    assert (chat.slots["phone"], chat.slots["proxy_phone"]) == ("13935506677", "13935506670")


def test_a_correction_of_the_phone_mid_form_with_words_in_between() -> None:
    chat = started("我想给我爸申请生活补贴")
    chat.say("同意")
    chat.say("王小燕")
    chat.say("王德福")
    chat.say(FATHER_ID)
    chat.say("没有")
    chat.say("13845671234")
    chat.say("一样")
    assert chat.asking == "address"
    reply = chat.say("哎 电话刚刚说岔了 后三位是235")
    assert chat.slots["phone"] == chat.slots["proxy_phone"] == "13845671235"
    assert "138 4567 1235" in reply and chat.asking == "address"


def test_a_phone_said_after_the_applicants_id_is_the_applicants() -> None:
    chat = started(f"我是张德的闺女张小红，给我爸办生活补贴，他身份证{FATHER_ID}，电话13845001122")
    chat.say("同意")
    assert chat.slots["phone"] == "13845001122" and not chat.slots.get("proxy_phone")


@pytest.mark.parametrize(
    ("said", "current", "target"),
    [
        ("俺娘说了 该办的是护理补贴 不是生活补贴", "living_subsidy", "care_subsidy"),
        ("不是护理补贴 是生活补贴 能改不", "care_subsidy", "living_subsidy"),
        ("应该申请的是无障碍改造", "assistive_devices", "home_modification"),
    ],
)
def test_the_benefit_said_with_what_it_is_not_switches(said: str, current: str, target: str) -> None:
    assert switch_target(said, current) == target


@pytest.mark.parametrize(
    ("said", "candidates"),
    [
        ("生活补贴跟护理补贴 俺家老头子能办哪个", ["living_subsidy", "care_subsidy"]),
        ("护理补贴和生活补贴都听说过 我想办护理补贴", ["care_subsidy"]),
        ("不要生活补贴 给俺整个护理补贴", ["care_subsidy"]),
    ],
)
def test_several_benefits_named_leave_the_choice_open_unless_one_is_wished(said: str, candidates: list[str]) -> None:
    assert benefit_candidates(said) == candidates


def test_an_opening_naming_two_benefits_is_asked_which_with_those_two_buttons() -> None:
    chat = Chat()
    reply = chat.say("生活补贴还是护理补贴 俺也不懂 想给俺爹办一个", "apply")
    assert chat.asking == "benefit" and "想申请哪一项" in reply and not chat.slots.get("benefit")
    assert [b["title"] for m in chat.last.messages for b in m["buttons"]] == [
        "困难残疾人生活补贴",
        "重度残疾人护理补贴",
    ]
    chat.say("护理补贴")
    assert chat.slots["benefit"] == "care_subsidy" and chat.asking == "pi_consent"


def test_a_question_about_switching_is_asked_back_not_taken_as_a_switch() -> None:
    chat = started("我要给我妈申请生活补贴")
    chat.say("同意")
    reply = chat.say("换成护理补贴是不是钱多点？")
    assert chat.slots["benefit"] == "living_subsidy" and "改成重度残疾人护理补贴" in reply
    assert chat.asking == "proxy_name"
    chat.say("嗯 那就改成护理补贴吧")
    assert chat.slots["benefit"] == "care_subsidy"


@pytest.mark.parametrize(
    ("said", "device"),
    [("拐棒", "拐杖"), ("四脚拐", "拐杖"), ("一副双拐", "腋杖"), ("耳背机", "助听器"), ("助步器", "助行器"),
     ("导盲棍", "盲杖"), ("能摇的床", "护理床")],
)  # fmt: skip
def test_resident_device_words_map_to_the_plans_categories(said: str, device: str) -> None:
    assert parse_answer(load_table().fields["device"], said, {}).value == device


def test_the_device_changed_at_the_read_back() -> None:
    chat = started("俺想给自己要个轮椅")
    chat.say("同意")
    chat.say("我自己")
    chat.say("郝秀兰")
    chat.say(MOTHER_ID)
    chat.say("没有")
    chat.say("13935506677")
    chat.say("潞城区店上镇北村后街6号")
    chat.say("不是低保")
    assert chat.asking == "confirmed" and chat.slots["device"] == "轮椅"
    reply = chat.say("轮椅先不要了 换成助步器 俺还能走两步")
    assert chat.slots["device"] == "助行器" and "改好了" in reply and chat.asking == "confirmed"


@pytest.mark.parametrize(
    ("said", "name"), [("我 名字 卢桂珍", "卢桂珍"), ("名字 卢桂珍", "卢桂珍"), ("俺的名字 卢桂珍", "卢桂珍")]
)
def test_a_name_after_name_words_in_sign_language_order(said: str, name: str) -> None:
    assert read_name(said) == name


def test_i_am_her_mother_named_is_the_speakers_name() -> None:
    chat = started("我想给闺女办康复救助 我是她妈妈叫冯小红")
    chat.say("同意")
    assert chat.slots.get("proxy_name") == "冯小红" and not chat.slots.get("applicant_name")


def test_the_second_miss_of_a_name_takes_the_one_name_in_the_message() -> None:
    assert loose_name("叫 我 卢明轩 就行") == "卢明轩"
    assert loose_name("我 儿子 卢明轩 我 名字 唐桂兰") is None  # two names: not a guess
    assert loose_name("不知道 咋说") is None


@pytest.mark.parametrize(
    "said", ["你们派个人来帮俺填吧", "让工作人员给俺回个电话", "跟机器说不明白 找个真人", "我要跟人说"]
)
def test_hand_over_words_in_the_form(said: str) -> None:
    assert wants_handover(said)
    chat = started("我要申请生活补贴")
    chat.say("同意")
    chat.say(said)
    assert chat.last.outcome == "handover" and "工作人员" in chat.last.messages[0]["text"]


@pytest.mark.parametrize("said", ["不用转人工 我自己能填", "王秀英", "工作人员会上门吗？"])
def test_words_that_are_not_a_hand_over(said: str) -> None:
    assert not wants_handover(said)


def test_a_question_whether_something_is_covered_is_not_a_complaint() -> None:
    assert asks_about_cover("住院费和药费管不管？", "complaint")
    assert not asks_about_cover("你们到底管不管！", "complaint")
    chat = started("我想给孩子申请康复救助")
    chat.say("同意")
    chat.say("住院费和药费管不管？", "complaint")
    assert chat.last.outcome != "reject" and chat.asking == "proxy_name"


def test_a_fourth_miss_hands_over_instead_of_asking_forever() -> None:
    chat = started("我要申请生活补贴")
    chat.say("同意")
    chat.say("给自己")
    chat.say("王秀英")
    assert chat.asking == "id_number"
    replies = [chat.say("身份证找不着了") for _ in range(4)]
    assert "转人工" in replies[1]  # the second miss offers a person
    assert chat.last.outcome == "handover" and "工作人员" in replies[3]


@pytest.mark.parametrize("said", ["有没有人工啊", "能转真人不"])
def test_asking_whether_there_is_a_person_hands_over(said: str) -> None:
    assert wants_handover(said)


@pytest.mark.parametrize("said", ["孩子要做人工耳蜗", "有人工耳蜗的补助吗"])
def test_implants_are_not_a_person(said: str) -> None:
    assert not wants_handover(said)


@pytest.mark.parametrize("said", ["那拉倒吧", "算球了 太麻烦", "先放一放 下回再说", "我再考虑考虑", "想想再说吧"])
def test_dialect_and_deferral_words_cancel_in_the_form(said: str) -> None:
    chat = started("我要申请生活补贴")
    chat.say("同意")
    chat.say("给自己")
    chat.say(said)
    assert chat.last.outcome == "cancelled" and not chat.slots.get("benefit")


def test_an_age_question_about_the_childs_rehabilitation_gets_the_plans_age_line() -> None:
    child_17 = "23108120220315032"
    chat = started("我想给俺家小闺女申请康复救助")
    chat.say("同意")
    chat.say("吕春燕")
    chat.say("吕欣怡")
    chat.say(child_17 + id_check_digit(child_17))
    reply = chat.say("问一句 孩子上了小学还能救助吗 多大为止啊")
    assert "0到6岁" in reply and "接着填" in reply
