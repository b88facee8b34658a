"""The application form's turns without Rasa: mixed initiative, names, questions, corrections, switch, cancel."""

from __future__ import annotations

from typing import Any

from actions.intake_dialogue import Incoming, Turn, step
from bot.rules.id_card import id_check_digit

FATHER_ID = "23108119530312239" + id_check_digit("23108119530312239")  # male, born 1953-03-12, 绥芬河 prefix


class Chat:
    """Feeds messages to the form like Rasa does (slots carried over, requested_slot from the last turn)."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {"requested_slot": None}
        self.last: Turn | None = None

    def say(self, text: str, intent: str | None = None, faq: str | None = None, needs_region: bool = False) -> str:
        turn = step(self.slots, Incoming(text, intent, 0.9 if intent else 0.0, faq),
                    needs_region=lambda key: needs_region, hotline=lambda region: "12345")  # fmt: skip
        self.slots.update(turn.slots)
        self.slots["requested_slot"] = turn.requested
        self.last = turn
        return "\n".join(m.get("text") or f"[FAQ {m['faq']}]" for m in turn.messages)

    @property
    def asking(self) -> str | None:
        return self.slots["requested_slot"]


def started(opening: str) -> Chat:
    chat = Chat()
    chat.say(opening, "apply")
    assert chat.asking == "pi_consent"
    return chat


def test_a_daughter_in_dialect_gives_two_names_a_phone_and_the_relation_in_one_sentence() -> None:
    chat = started("俺爸叫李长顺，俺是他闺女李秀芬，想给俺爸整那个护理补贴，俺电话13945678901")
    reply = chat.say("同意")
    assert "记下了" in reply and "李长顺" in reply and "李秀芬" in reply and "139 4567 8901" in reply
    slots = chat.slots
    assert (slots["benefit"], slots["for_self"], slots["applicant_name"]) == ("care_subsidy", False, "李长顺")
    assert (slots["proxy_name"], slots["proxy_relation"], slots["proxy_phone"]) == ("李秀芬", "父亲", "13945678901")
    assert chat.asking == "id_number"  # only what is still missing


def test_several_facts_in_an_answer_are_all_taken_and_confirmed() -> None:
    chat = started("我想申请生活补贴")
    chat.say("同意")
    chat.say("给自己")
    reply = chat.say(f"我叫王德福，身份证{FATHER_ID}，电话13845671234")
    assert "记下了" in reply and "王德福" in reply and "138 4567 1234" in reply
    assert chat.slots["id_number"] == FATHER_ID and chat.slots["region"] == "绥芬河市"  # region from the ID
    assert chat.asking == "card_number"


def test_a_command_is_never_stored_as_a_name_and_spelling_is_offered() -> None:
    chat = started("我要申请护理补贴")
    chat.say("同意")
    chat.say("给自己")
    assert chat.asking == "applicant_name"
    for word in ("提交", "确认"):
        reply = chat.say(word)
        assert chat.slots.get("applicant_name") is None and chat.asking == "applicant_name"
    assert "木子李" in reply and "转人工" in reply
    chat.say("木子李，长短的长，顺利的顺")
    assert chat.slots["applicant_name"] == "李长顺"


def test_a_question_at_consent_is_answered_and_consent_asked_again() -> None:
    chat = started("我要申请护理补贴")
    reply = chat.say("你们要我身份证号干啥用")
    assert "只用于这次申请" in reply and chat.asking == "pi_consent"
    reply = chat.say("护理补贴给多少钱", "faq", "faq/severe_care_subsidy")
    assert "[FAQ faq/severe_care_subsidy]" in reply and "同意吗" in reply


def test_a_policy_question_that_depends_on_the_region_asks_the_region_then_answers_and_resumes() -> None:
    chat = started("我要申请护理补贴")
    chat.say("同意")
    chat.say("给自己")
    reply = chat.say("护理补贴一个月给多少钱", "faq", "faq/severe_care_subsidy", needs_region=True)
    assert chat.asking == "region" and "地区" in reply
    reply = chat.say("潞城区")
    assert "[FAQ faq/severe_care_subsidy]" in reply and chat.asking == "applicant_name"
    # who it is for is answered from the plans at once (round 4): the region is known here, else both are said
    reply = chat.say("护理补贴谁能领", "faq", "faq/severe_care_subsidy", needs_region=True)
    assert "一级、二级" in reply and "审核为准" in reply and chat.asking == "applicant_name"


def test_the_card_question_takes_no_and_the_number() -> None:
    chat = started("我要申请生活补贴")
    chat.say("同意")
    chat.say("给自己")
    chat.say("王德福")
    chat.say(FATHER_ID)
    chat.say("没有")
    assert chat.slots["has_card"] is False and chat.asking == "phone"


def test_correction_at_any_time_and_at_the_read_back() -> None:
    chat = started("我要申请辅助器具，想要个轮椅")
    for text in ("同意", "给自己", "王德福", FATHER_ID, FATHER_ID + "41", "13845671234"):
        chat.say(text)
    chat.say("电话说错了，是13845671235")
    assert chat.slots["phone"] == "13845671235" and chat.asking == "address"
    chat.say("阜宁镇建设村三组12号")
    reply = chat.say("低保")
    assert chat.asking == "confirmed" and "请核对" in reply and "轮椅" in reply and "阜宁镇建设村三组12号" in reply
    reply = chat.say("地址错了，是阜宁镇建设村三组14号")
    assert "改好了" in reply and chat.slots["address"] == "阜宁镇建设村三组14号" and chat.asking == "confirmed"
    chat.say("对，确认")
    assert chat.last.outcome == "confirmed" and chat.slots["confirmed"] is True


def test_switching_benefit_keeps_what_was_said_and_asks_the_new_fields() -> None:
    chat = started("我要申请生活补贴")
    chat.say("同意")
    chat.say("给自己")
    chat.say("王德福")
    reply = chat.say("我改主意了，还是申请托养服务吧")
    assert "改为申请托养服务" in reply and chat.slots["benefit"] == "care_service"
    assert chat.slots["applicant_name"] == "王德福" and chat.asking == "id_number"


def test_cancel_at_any_time_clears_everything_but_the_region() -> None:
    chat = started("我要申请护理补贴")
    chat.say("同意")
    chat.say("给自己")
    chat.say(f"王德福 {FATHER_ID}")
    reply = chat.say("算了不办了")
    assert chat.last.outcome == "cancelled" and "取消" in reply
    assert all(value is None for key, value in chat.last.slots.items() if key != "region")
    assert chat.last.slots["applicant_name"] is None and chat.last.slots["id_number"] is None


def test_no_consent_collects_nothing_and_names_the_hotline() -> None:
    chat = started("我爸叫李长顺，帮他申请护理补贴")
    reply = chat.say("不同意")
    assert chat.last.outcome == "no_consent" and "12345" in reply and "带上" not in reply
    assert chat.last.slots["applicant_name"] is None


def test_a_hand_over_request_is_left_to_the_rules() -> None:
    chat = started("我要申请护理补贴")
    chat.say("同意")
    turn = step(chat.slots, Incoming("我要找人工", "request_human", 0.95))
    assert turn.outcome == "reject" and not turn.messages


def test_child_rehab_takes_the_birth_date_from_the_id() -> None:
    child = "14040620210318486" + id_check_digit("14040620210318486")
    chat = started("俺家娃是脑瘫，想给娃申请康复")
    chat.say("同意")
    chat.say(f"娃叫彭欣怡，身份证{child}")
    assert chat.slots["child_birth_date"] == "2021-03-18" and chat.slots["proxy_relation"] == "女儿"
    assert chat.slots["region"] == "潞城区"


def test_the_fuel_subsidy_asks_the_vehicle_and_the_licence() -> None:
    chat = started("我有一辆残疾人机动轮椅车，想申请燃油补贴")
    assert chat.slots["benefit"] == "fuel_subsidy" and chat.slots["vehicle"] == "机动轮椅车"
    assert chat.slots["for_self"] is True
    for text in ("同意", "赵德明", FATHER_ID, "没有", "13845671234", "阜宁镇利民路6号", "都不是"):
        chat.say(text)
    assert chat.asking == "driving_licence"


def test_a_yes_with_a_question_is_both_and_questions_need_no_question_mark() -> None:
    chat = started("我要申请托养服务")
    reply = chat.say("同意是同意 先问一句 托养对岁数有要求没", "faq", "faq/care_services")
    assert chat.slots["pi_consent"] is True and "就业年龄段" in reply  # who it is for, from the plans
    assert chat.asking == "for_self"
    chat.say("给自己")
    reply = chat.say("除了这个还能配点甚", "faq", "faq/assistive_devices")
    assert "[FAQ faq/assistive_devices]" in reply and chat.asking == "applicant_name"
    assert "没听清" not in reply


def test_a_question_about_the_benefit_the_nlu_did_not_place_gets_the_benefits_answer() -> None:
    chat = started("我要申请托养服务")
    chat.say("同意")
    reply = chat.say("托养能干点啥 管饭不", "nlu_fallback")
    assert "[FAQ faq/care_services]" in reply and chat.asking == "for_self"
    reply = chat.say("托养对岁数有要求没", "nlu_fallback")
    assert "16-59周岁" in reply and chat.asking == "for_self"  # who it is for: the plans' own words
    reply = chat.say("你们几点下班", "out_of_scope")
    assert "回答不了" in reply and "12345" in reply and chat.asking == "for_self"


def test_a_village_said_in_passing_is_completed_by_the_house_number() -> None:
    chat = started("想给俺娘申请生活补贴 她住翟店镇南庄村 俺叫郝建国")
    chat.say("同意")
    assert chat.slots.get("address") is None and chat.slots["town"] == "翟店镇" and chat.slots["region"] == "潞城区"
    assert chat.slots["proxy_name"] == "郝建国"  # the address did not swallow the next clause
    for answer in ("郝秀莲", FATHER_ID, "没有", "13835509876", "13835509877"):
        chat.say(answer)
    assert chat.asking == "address"
    assert "南庄村" in chat.last.messages[-1]["text"] and "门牌号" in chat.last.messages[-1]["text"]
    chat.say("西头12号")
    assert chat.slots["address"] == "翟店镇南庄村西头12号"


def test_a_question_about_consent_is_answered_and_consent_asked_again() -> None:
    chat = started("我要申请护理补贴")
    reply = chat.say("同意是啥意思")
    assert "意思是" in reply and chat.slots.get("pi_consent") is None and chat.asking == "pi_consent"
    chat.say("同意")
    assert chat.slots["pi_consent"] is True and chat.asking == "for_self"


def test_are_you_a_robot_is_answered_and_the_same_question_asked_again() -> None:
    chat = started("我要申请护理补贴")
    chat.say("同意")
    reply = chat.say("你这是电脑自动回复的吧")
    assert "不是真人" in reply and "转人工" in reply and chat.asking == "for_self"


def test_at_read_back_only_the_wrong_part_of_the_address_is_said() -> None:
    chat = started("我要申请生活补贴，给我自己")
    chat.say("同意")
    for answer in ("王德福", FATHER_ID, "没有", "13845671234", "绥芬河镇新华社区青云路108号2单元502", "低保"):
        chat.say(answer)
    assert chat.asking == "confirmed"
    reply = chat.say("别的都对 就是门牌号错了 不是502 是402")
    assert chat.slots["address"] == "绥芬河镇新华社区青云路108号2单元402" and "402" in reply
    assert chat.asking == "confirmed"


def test_dropping_one_benefit_for_another_is_a_switch_not_a_cancel() -> None:
    chat = started("我要申请无障碍改造，给我自己")
    chat.say("同意")
    chat.say("王德福")
    reply = chat.say("我改主意了 改造那个先不整了 先给我整个轮椅吧")
    assert chat.last.outcome is None and chat.slots["benefit"] == "assistive_devices"
    assert chat.slots["applicant_name"] == "王德福" and "辅助器具" in reply
    chat.say("算了 不办了")
    assert chat.last.outcome == "cancelled"


def test_who_a_benefit_is_for_is_answered_from_the_plans_notes_for_the_region() -> None:
    chat = started("想给俺闺女申请托养 住绥芬河镇")
    chat.say("同意")
    reply = chat.say("先问一句 托养是不是有岁数限制")
    assert "就业年龄段" in reply and "以残联和民政部门审核为准" in reply
    assert chat.asking == "proxy_name" or chat.asking == "applicant_name"


def test_a_question_naming_the_benefit_applied_for_gets_its_answer_not_another_benefits() -> None:
    chat = started("我要申请辅助器具，给我自己")
    chat.say("同意")
    reply = chat.say("辅助器具要自己出钱吗", intent="faq", faq="faq/severe_care_subsidy")
    assert "[FAQ faq/assistive_devices]" in reply and chat.asking == "applicant_name"
    reply = chat.say("护理补贴和辅助器具能一起办吗", intent="faq", faq="faq/severe_care_subsidy")
    assert "[FAQ faq/severe_care_subsidy]" in reply  # another benefit named: the NLU's choice stands


def test_a_cancel_at_the_end_of_an_answer_wins_over_what_was_parsed_before_it() -> None:
    chat = started("我要申请护理补贴")
    for answer in ("同意", "给自己", f"王德福 {FATHER_ID}", "没有", "13945678901"):
        chat.say(answer)
    assert chat.asking == "address"
    chat.say("阜宁镇建设村，哦不对，社区已经帮他报过了，不用再申请了，取消吧")
    assert chat.last.outcome == "cancelled" and chat.last.slots["applicant_name"] is None


def test_not_now_at_the_read_back_submits_nothing() -> None:
    chat = started("我要申请护理补贴")
    reply = chat.say("先别交了，我得跟家里人商量商量，过两天再说")
    assert chat.last.outcome == "cancelled" and "取消" in reply
