"""Issue 12 on the live stack: out-of-scope questions are declined with a redirect, unsure questions get
"您是想问…？" buttons that answer their topic, homophones of domain words are understood."""

from __future__ import annotations

import httpx
import pytest

from bot.rules.routing import load_routing
from bot.rules.understanding import faq_titles, judge
from tests.conftest import joined_text, new_sender


def _parse(stack, text: str) -> dict:
    url = f"http://127.0.0.1:{stack.config.rasa_port}/model/parse"
    return httpx.post(url, params={"token": stack.token}, json={"text": text}, timeout=30).json()


@pytest.mark.stack
@pytest.mark.parametrize("text", ["身份证丢了去哪补办", "我想给孩子上户口要带什么", "营业执照在哪里办理"])
def test_other_government_services_get_the_general_hotline(chat, text) -> None:
    answer = joined_text(chat(new_sender(), text))
    assert load_routing().hotline(None, "general") in answer
    assert "没听懂" not in answer


@pytest.mark.stack
@pytest.mark.parametrize("text", ["我头疼得厉害吃什么药", "降压药一次吃几片"])
def test_medicine_questions_go_to_a_doctor_and_120(chat, text) -> None:
    answer = joined_text(chat(new_sender(), text))
    assert "医生" in answer and "120" in answer
    assert "没听懂" not in answer


@pytest.mark.stack
@pytest.mark.parametrize("text", ["明天会不会下雨", "这期彩票开什么号", "你喜欢吃什么"])
def test_chit_chat_is_declined_with_what_the_bot_can_do(chat, text) -> None:
    response = chat(new_sender(), text)
    answer = joined_text(response)
    assert "残疾人" in answer and "帮不了" in answer
    assert "没听懂" not in answer
    assert response.json()["handoff"] is None


AMBIGUOUS_CANDIDATES = [
    "残疾人的补贴",
    "补贴的事",
    "我想问问那个钱",
    "残疾人有什么补助",
    "我家孩子残疾了怎么办",
    "申请要找谁",
    "残疾人看病",
    "帮帮忙 残疾人的事",
]


@pytest.mark.stack
def test_an_unsure_question_offers_topics_whose_buttons_answer_them(stack, chat) -> None:
    unsure = [t for t in AMBIGUOUS_CANDIDATES if judge(_parse(stack, t)).kind == "clarify"]
    assert unsure, "some vague questions must get a choice of topics, not a guessed answer"
    sender = new_sender()
    first = chat(sender, unsure[0]).json()
    message = first["messages"][-1]
    assert "您是想问" in message["text"] or "哪一个" in message["text"]
    topics = [b for b in message["buttons"] if b["payload"].startswith("/choose_faq")]
    assert 2 <= len(topics) <= 3, message
    assert any(b["payload"] == "/request_human" for b in message["buttons"]), "a person is always one press away"
    assert first["handoff"] is None
    titles = set(faq_titles().values())
    assert all(b["title"] in titles for b in topics)
    chosen = chat(sender, topics[0]["payload"]).json()
    text = "\n".join(m["text"] for m in chosen["messages"])
    regions = {"绥芬河市", "潞城区"}
    asked_region = any({b["title"] for b in m.get("buttons") or []} >= regions for m in chosen["messages"])
    assert asked_region or len(text) > 40, f"the button answers its topic (or asks the region first): {text}"
    assert "您是想问" not in text


@pytest.mark.stack
def test_two_unsure_turns_in_a_row_hand_over(stack, chat) -> None:
    unsure = [t for t in AMBIGUOUS_CANDIDATES if judge(_parse(stack, t)).kind in ("clarify", "not_understood")]
    assert len(unsure) >= 2, "vague questions must not all be answered with a guess"
    sender = new_sender()
    assert chat(sender, unsure[0]).json()["handoff"] is None
    second = chat(sender, unsure[1]).json()
    assert second["handoff"] is not None, second


@pytest.mark.stack
@pytest.mark.parametrize(
    ("heard", "fact"),
    [("残疾人燃游补贴怎么领", "燃油补贴"), ("户理补贴是什么", "一、二级")],
)
def test_homophones_of_domain_words_are_understood(chat, heard, fact) -> None:
    answer = joined_text(chat(new_sender(), heard))
    assert fact in answer, answer


@pytest.mark.stack
@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("lucheng ranyou butie zenme ling", "机动轮椅车"),  # pinyin without tones, matched by sound
        ("Where can I get a wheelchair in Lucheng?", "福康工程"),  # English topic words
        ("yangguang jiayuan 能去不", "阳光家园"),  # pinyin inside a message in characters
    ],
)
def test_pinyin_and_english_questions_are_answered(chat, text, fact) -> None:
    answer = joined_text(chat(new_sender(), text))
    assert fact in answer, answer


@pytest.mark.stack
def test_only_digits_get_asked_again_without_a_guessed_topic(chat) -> None:
    response = chat(new_sender(), "13945678901")
    answer = joined_text(response)
    assert "数字" in answer and "补贴" not in answer, answer
    assert response.json()["handoff"] is None
    assert "12385" in joined_text(chat(new_sender(), "12385"))  # a bare hotline number: what that line is
