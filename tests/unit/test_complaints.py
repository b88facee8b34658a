"""Complaint, anger and "I want a person" rules (development examples, not from tests/blind/)."""

import pytest

from bot.rules.complaints import asked_line, is_complaint, is_grievance, wants_person
from bot.rules.intent_rules import rule_intent

COMPLAINTS = [
    "我要投诉你们",
    "你们到底管不管",
    "都说了三遍了根本没人管！",
    "太不像话了",
    "这什么破系统",
    "单位歧视我 不让我上班",
    "俺娃在学校被歧视",
    "跑了好几趟都没办成",
    "工作人员态度太差",
    "申请了半年都没消息",
    "凭什么不给我办",
    "妈的 又是这句",
    "你们就是在糊弄人",
    "我很生气",
]
NOT_COMPLAINTS = [
    "护理补贴怎么申请",
    "就业歧视怎么维权",
    "邻居欺负我残疾",
    "我弟弟精神残疾没人管",
    "检察院管不管无障碍的事",
    "跑了好几趟事没办成去哪反映",
    "我妈的残疾证在哪办",
    "12345是干啥的",
    "笑死了",
]
PERSON = {"转人工": None, "找真人": None, "给我接12385": "12385", "帮我转12345": "12345", "我要跟人工客服说": None,
          "叫你们工作人员来": None, "人工": None}  # fmt: skip


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_are_recognised(text) -> None:
    assert is_complaint(text) and rule_intent(text, "faq") == "complaint"


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_policy_questions_are_not_complaints(text) -> None:
    assert not is_complaint(text)


@pytest.mark.parametrize(("text", "line"), PERSON.items())
def test_asking_for_a_person_and_which_line(text, line) -> None:
    assert wants_person(text) and asked_line(text) == line
    assert rule_intent(text, "faq") == "request_human"


def test_rules_order_danger_first_and_hypotheticals_to_policy() -> None:
    assert rule_intent("你们到底管不管，我不想活了", "complaint") == "danger"
    assert rule_intent("要是地震了残疾人咋办", "danger") == "faq"
    assert rule_intent('/inform_region{"region": "潞城区"}', "inform_region") is None
    assert rule_intent("12385是什么电话", "faq") is None and not wants_person("12385是什么电话")


def test_latin_only_messages_get_the_bilingual_redirect() -> None:
    from bot.rules.latin import LATIN_REPLY, is_latin_only

    assert is_latin_only("hu li bu tie zen me shen qing") and is_latin_only("How do I get a disability card?")
    assert not is_latin_only("护理补贴 app 怎么用") and not is_latin_only("12385") and not is_latin_only(None)
    assert "汉字" in LATIN_REPLY and "Chinese" in LATIN_REPLY


def test_complaint_and_person_words_behind_homophones() -> None:
    assert is_complaint("我要头诉你们") and wants_person("转人公")
    assert not is_complaint("残疾人养殖户农业保险")


@pytest.mark.parametrize(
    "text",
    [
        "我要投诉 生活补贴交了材料俩月了没消息",
        "辅具说好的给配 一直不发 你们就知道糊弄人",
        "托养中心的人态度太差了 我要告他们",
        "辅具站收了钱不给调 俺要反映",
        "说好的给俺配轮椅 登记完等到年底了 又说名额没了",
        "养老院的人打了俺爹 俺要讨个说法",
        "评的时候把俺家漏了 今年又说指标用完了 改造到底啥时候轮到俺",
    ],
)
def test_a_grievance_about_what_happened_is_not_a_new_application(text) -> None:
    assert is_complaint(text) and is_grievance(text)


@pytest.mark.parametrize("text", ["到底能不能给俺爹办护理补贴！", "气死了 我就想申请个轮椅 咋这么费劲"])
def test_an_angry_wish_to_apply_is_not_a_grievance(text) -> None:
    assert not is_grievance(text)


# Complaints told as stories, without 投诉 (sentences written for development, not from tests/blind/).
STORIES = [
    "跑了三趟没人管",
    "凭啥不给俺办 俺哪点不够",
    "俺去镇上问补贴 那个办事员态度也太差了 爱搭不理的",
    "窗口那人说俺是来要饭的 俺要告她",
    "说好的开春就给装扶手 结果到现在也没人来",
    "登记完让等通知 等到年底了也没人打电话 那当初让俺登记干啥",
    "打了四回电话都没人理",
    "俺们村里把名额给了他家亲戚 俺瘫在床上倒没份",
    "是不是有人贪了俺的燃油补贴",
    "隔壁都发了取暖补贴 俺家一样的情况就是没发",
    "辅具中心收了钱不给调 坐着硌得慌 我要反映",
    "坡道修好半年就塌了 一下雨就积水",
    "来回折腾俺好几趟 这是人干的事吗",
]
NOT_STORIES = [
    "跑了好几趟了都没办成 到底能不能在网上申请",
    "想替邻居老人反映反映 该找谁",
    "万一以后不是低保了 补贴是不是就停了",
    "要是有人欺负残疾人 去哪儿维权",
    "残疾人要上访 有什么渠道",
    "我要告诉你我家的情况 俺爸一级肢体",
    "别人家都办了残疾证 俺家孩子没办 能办不",
    "轮椅配好没多久就坏了 能换吗",
]


@pytest.mark.parametrize("text", STORIES)
def test_complaints_told_as_stories_go_to_a_person(text) -> None:
    assert is_complaint(text) and rule_intent(text, "faq") == "complaint"


@pytest.mark.parametrize("text", NOT_STORIES)
def test_questions_with_complaint_words_stay_questions(text) -> None:
    assert not is_complaint(text)


@pytest.mark.parametrize(
    "text",
    ["叫个人来", "俺 要 找 人", "我要人帮。", "给俺约个工作人员 回头打电话给我", "能不能跟工作人员说几句",
     "跟你说不明白", "Can I speak to a human please", "找人 真人"],
)  # fmt: skip
def test_more_ways_to_ask_for_a_person(text) -> None:
    assert wants_person(text) and rule_intent(text, "faq") == "request_human"


@pytest.mark.parametrize(
    "text",
    ["不用转人工 我自己能填", "找个人照顾我妈有补贴吗", "我要找人照顾老人", "你是真人吗", "不是真人", "人工耳蜗补助"],
)
def test_not_a_request_for_a_person(text) -> None:
    assert not wants_person(text)


def test_a_helper_to_fill_in_the_form_is_a_person_only_inside_the_form() -> None:
    assert wants_person("派个人来帮俺填", in_form=True) and not wants_person("有人帮忙办残疾证吗")
    assert wants_person("有没有人工啊", in_form=True) and not wants_person("孩子要做人工耳蜗", in_form=True)


def test_are_you_a_person_is_answered_honestly() -> None:
    from bot.rules.complaints import asks_if_human

    assert asks_if_human("你是真人吗") and asks_if_human("您是机器人吧？") and asks_if_human("are you a bot")
    assert not asks_if_human("你是机器人吗 给我转人工") and not asks_if_human("护理补贴怎么申请")
    assert rule_intent("你是真人吗", "faq") == "out_of_scope" and rule_intent("你是真人吗", "inform") is None


@pytest.mark.parametrize(
    "text", ["你咋又说错了", "还是 不对。 是学校", "我都说了三遍了", "又整岔了 是护理的钱", "答非所问"]
)
def test_wrong_again_is_a_request_for_a_person(text) -> None:
    from bot.rules.complaints import misunderstood_again

    assert misunderstood_again(text) and rule_intent(text, "faq") in ("request_human", "complaint")


def test_wrong_again_is_not_read_inside_a_form_nor_the_residents_own_slip() -> None:
    from bot.rules.complaints import misunderstood_again

    assert not misunderstood_again("我又说错了 是二级") and rule_intent("还是不对 电话是139", "inform") is None


def test_scorn_is_a_complaint_and_a_fainting_fit_an_emergency() -> None:
    assert rule_intent("办事的冲俺翻白眼 说俺是来要饭的", "faq") == "complaint"
    assert rule_intent("俺家老人翻白眼了 叫不醒", "faq") == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "社区的人说我这腿是装的 不给我开证明",
        "大夫说俺闺女是假残疾 哪有这样的",
        "扶手装得太高了根本够不着 改造的钱都白花了",
        "物业说残疾人停车不给免 我去问还吼我",
        "那个办事员又凶俺 就因为俺说话慢",
        "这叫什么态度 我排了一上午的队",
    ],
)
def test_staff_calling_it_fake_shouting_and_useless_work_are_complaints(text: str) -> None:
    assert is_complaint(text)


@pytest.mark.parametrize(
    "text",
    [
        "坐公交车给不给优惠",
        "孩子在家老凶我 有没有托养机构",
        "坡道修得太陡了怎么办 能重新申请改造吗",
        "取暖费残疾人能不能给减免",
    ],
)
def test_questions_near_those_words_are_not_complaints(text: str) -> None:
    assert not is_complaint(text)
