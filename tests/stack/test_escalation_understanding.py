"""Escalation, complaints and out-of-scope on the live stack (issue 12 §3): complaints told as stories, requests for a
person in plain or spaced words, misunderstandings handed over, the hand-over routed by the topic last understood,
"你是真人吗" answered honestly, and questions outside the remit declined with where to go.

Messages are development examples written for these tests (not from tests/blind/)."""

from __future__ import annotations

import pytest

from tests.conftest import new_sender


def _say(chat, sender: str, text: str) -> dict:
    response = chat(sender, text)
    assert response.status_code == 200, response.text
    return response.json()


def _text(turn: dict) -> str:
    return "\n".join(m["text"] for m in turn["messages"])


# A complaint, plain or told as a story, goes high to the line its own words name (a city office or service → 12345);
# else to the region's disability line, even when the topic the model guesses is a general one (低保).
COMPLAINTS = [
    ("我在潞城区住", "跑了四趟乡里没人管 回回让俺等着", "12345"),
    ("我是绥芬河的", "说好的开春给俺家装扶手 结果到现在也没人来", "12385"),
    ("俺在潞城", "隔壁都发了取暖补贴 俺家一样的情况就是没发", "12345"),
    ("我在绥芬河市", "窗口那人冲俺翻白眼 说俺是来要饭的 俺要告她", "12385"),
    ("我是绥芬河的", "供热公司说残疾人的取暖费减免取消了 这不是糊弄人吗 我要投诉", "12345"),
    ("我在绥芬河市", "小区门口的盲道让摊位占了好几年 打了好几次电话也没人管", "12345"),
    ("我在绥芬河市", "网格员把俺的低保材料压了三个月不往上报 俺要投诉他", "12385"),
    ("我是绥芬河的", "轮椅发下来没俩月就坏了 找谁也不管", "12385"),
    ("俺在潞城区", "社保局的人推来推去 我要投诉", "12345"),
    ("俺在潞城区", "村里把俺的补贴扣了一半 俺要告他们", "12345"),
]


@pytest.mark.stack
@pytest.mark.parametrize(("earlier", "complaint", "queue"), COMPLAINTS)
def test_a_complaint_goes_high_to_the_line_its_words_name_else_the_disability_line(
    chat, earlier, complaint, queue
) -> None:
    sender = new_sender()
    _say(chat, sender, earlier)
    turn = _say(chat, sender, complaint)
    assert turn["handoff"] and (turn["handoff"]["priority"], turn["handoff"]["queue"]) == ("high", queue), turn
    assert "110" not in _text(turn), "a complaint, even of phoning again and again, is no blow"


@pytest.mark.stack
def test_you_do_not_understand_me_goes_high_to_the_regions_disability_line(chat) -> None:
    sender = new_sender()
    _say(chat, sender, "我在绥芬河市")
    turns = [_say(chat, sender, text) for text in ("那个 给钱的", "就那个呀", "说了半天了 你到底懂不懂")]
    handoff = next((t["handoff"] for t in turns if t["handoff"]), None)
    assert handoff and (handoff["priority"], handoff["queue"]) == ("high", "12385"), [_text(t) for t in turns]


@pytest.mark.stack
def test_abuse_told_as_a_complaint_names_the_police_and_a_doctor(chat) -> None:
    sender = new_sender()
    _say(chat, sender, "俺在潞城区")
    turn = _say(chat, sender, "养护院的人打了俺爹 腿上都紫了 俺要讨个说法")
    assert turn["handoff"]["priority"] == "high" and turn["handoff"]["queue"] != "emergency", turn
    assert "110" in _text(turn) and "医院" in _text(turn)


@pytest.mark.stack
@pytest.mark.parametrize(
    "text", ["俺 要 找 人", "叫个人来 俺说不明白", "约个工作人员打电话给我", "I want to talk to a human"]
)
def test_plain_and_spaced_requests_for_a_person(chat, text) -> None:
    turn = _say(chat, new_sender(), text)
    assert turn["handoff"] and turn["handoff"]["priority"] == "normal", turn


@pytest.mark.stack
def test_are_you_a_person_is_answered_honestly_with_the_way_to_one(chat) -> None:
    turn = _say(chat, new_sender(), "你是真人吗")
    assert turn["handoff"] is None
    assert "不是真人" in _text(turn) and any(b["payload"] == "/request_human" for m in turn["messages"]
                                          for b in (m.get("buttons") or []))  # fmt: skip


@pytest.mark.stack
def test_wrong_again_hands_over_to_the_line_of_the_topic_last_understood(chat) -> None:
    sender = new_sender()
    _say(chat, sender, "我在绥芬河市")
    answered = _say(chat, sender, "重度残疾人护理补贴谁能领")
    assert answered["handoff"] is None
    turn = _say(chat, sender, "你咋又说错了")
    assert turn["handoff"] and turn["handoff"]["queue"] == "12385", turn


@pytest.mark.stack
def test_told_twice_that_it_is_not_that_hands_over(chat) -> None:
    sender = new_sender()
    turns = [_say(chat, sender, text) for text in ("燃油补贴", "不对 我问的是三轮车加油的钱", "不是这个 是油钱")]
    assert any(turn["handoff"] for turn in turns), [_text(t) for t in turns]


@pytest.mark.stack
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("布洛芬一次吃几片", ("医生", "120")),
        ("俺这胳膊麻是咋回事", ("医生",)),
        ("社保卡丢了去哪补", ("12345", "人社局")),
        ("孩子转学要啥手续", ("12345", "教育局")),
        ("帮我写篇作文 题目是我的家乡", ("不能帮您做",)),
        ("基金明天涨不涨", ("预测不了",)),
        ("去北京的高铁票怎么买", ("12306",)),
    ],
)
def test_outside_the_remit_declined_with_where_to_go(chat, text, words) -> None:
    turn = _say(chat, new_sender(), text)
    answer = _text(turn)
    assert all(word in answer for word in words), answer
    assert "没听懂" not in answer and turn["handoff"] is None
