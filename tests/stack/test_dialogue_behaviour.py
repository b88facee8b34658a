"""Dialogue behaviour through the real stack (issue 12 §3): life-safety first replies, the crisis protocol,
hypotheticals answered as policy, complaints and "给我接12385" handed over to the region's line, a topic restated
twice handed over, and the region taken from any turn — or never asked in a single-region deployment.

Messages are development examples written for these tests (not from tests/blind/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.launcher.stack import Stack, StackConfig
from tests.conftest import ALWAYS_OPEN, TEST_REDIS_URL, free_port, new_sender, scoped_redis_prefix
from tests.knowledge import question_without_region, region_dependent_faqs, variation_for
from tests.residents import Residents

NUMBERS = ("110", "120", "119")


class Chat:
    """One resident's conversation: each turn's messages and hand-over."""

    def __init__(self, residents: Residents) -> None:
        self.residents = residents
        self.sender = new_sender()

    def say(self, text: str) -> dict:
        response = self.residents.chat(self.sender, text)
        assert response.status_code == 200, response.text
        return response.json()


def texts(turn: dict) -> list[str]:
    return [m["text"] for m in turn["messages"]]


def asks_region(turn: dict) -> bool:
    return any("哪里" in m["text"] and m.get("buttons") for m in turn["messages"])


@pytest.fixture(scope="module")
def residents(stack) -> Iterator[Residents]:
    client = httpx.Client(base_url=stack.url, timeout=120)
    yield Residents(client)
    client.close()


LIFE_SAFETY = [
    ("我爸被我哥拿棍子打得满头是血", "110"),
    ("俺儿子是自闭症 早上出门到现在还没回来 找不着了", "110"),
    ("孩子抽风抽了十几分钟了还不停", "120"),
    ("屋里一股煤气味", "119"),
    ("我弟精神病犯了 拿着菜刀在院里转", "110"),
    ("我妈把降压药当成钙片吃了 药吃多了", "120"),
    ("我坐轮椅翻在外面雪地里起不来 冻得手没知觉了", "120"),
    ("一个盲人站在马路中间过不去 车来车往的", "110"),
    ("我困在电梯里了 轮椅卡着出不来", "119"),
]


@pytest.mark.stack
@pytest.mark.parametrize(("text", "number"), LIFE_SAFETY)
def test_life_safety_first_reply_names_the_fitting_number_first(residents, text, number) -> None:
    turn = Chat(residents).say(text)
    first = texts(turn)[0]
    named = [n for n in NUMBERS if n in first]
    assert named and min(named, key=first.index) == number, f"{text!r} → {first!r}"
    assert turn["handoff"]["priority"] == "emergency" and turn["handoff"]["queue"] == "emergency"


@pytest.mark.stack
@pytest.mark.parametrize("text", ["我不想活了", "药我都攒好了 一了百了", "我这样活着就是拖累 不想再拖累孩子们了"])
def test_self_harm_gets_warm_words_the_crisis_line_and_the_bot_stays(residents, text) -> None:
    chat = Chat(residents)
    turn = chat.say(text)
    first = texts(turn)[0]
    assert "12356" in first and "120" in first and "110" in first and "陪" in first, first
    assert turn["handoff"]["priority"] == "emergency", "an emergency ticket is created"
    said = "\n".join(texts(turn))
    assert "前面还有" not in said and "排队" not in said, "never a queue position"

    later = chat.say("我也不知道该说啥")
    reply = "\n".join(texts(later))
    assert reply, "the bot keeps answering while no one has joined"
    assert "12356" in reply and "前面还有" not in reply and "排队" not in reply


@pytest.mark.stack
@pytest.mark.parametrize(
    "text",
    [
        "要是地震了俺这坐轮椅的咋办",
        "万一家里着火了聋人听不见咋办",
        "孩子打疫苗要钱吗",
        "笑死了",
        "火车票残疾人能打折吗",
    ],
)
def test_hypotheticals_and_everyday_words_are_no_emergency(residents, text) -> None:
    turn = Chat(residents).say(text)
    assert turn["handoff"] is None or turn["handoff"]["priority"] != "emergency", turn
    assert not any(texts(turn)[0].startswith(p) for p in ("请马上", "您的安全最要紧", "听您这么说")), turn


COMPLAINTS = [
    ("俺娘在潞城那边住 嗯 那个", "你们到底管不管！跑了好几趟了", "12345"),
    ("我是绥芬河的", "这什么破系统 太不像话了", "12385"),
    ("身份证140406197003031234", "单位歧视俺娃 不让他上班", "12345"),
    ("我在阜宁镇 嗯", "问了三遍了都是这句 你们就是糊弄人", "12385"),
    ("区号0355", "妈的 又是没听懂", "12345"),
]


@pytest.mark.stack
@pytest.mark.parametrize(("earlier", "complaint", "queue"), COMPLAINTS)
def test_complaint_goes_high_to_the_line_of_the_region_said_in_any_earlier_turn(
    residents, earlier, complaint, queue
) -> None:
    chat = Chat(residents)
    chat.say(earlier)
    turn = chat.say(complaint)
    assert turn["handoff"] and turn["handoff"]["priority"] == "high" and turn["handoff"]["queue"] == queue, turn


@pytest.mark.stack
def test_asking_for_a_line_hands_over_at_once_and_says_which_line_serves_the_region(residents) -> None:
    unknown = Chat(residents)
    turn = unknown.say("给我接12385")
    assert turn["handoff"] and turn["handoff"]["queue"] == "12385", "handed over in the first reply"
    asked = [i for i, m in enumerate(turn["messages"]) if "哪里" in m["text"]]
    assert asked and asks_region(turn), "the same reply asks where, to move the ticket to the local line"
    assert any("转接" in t for t in texts(turn)[: asked[0]]), "the hand-over is said before the question"
    assert {b["title"] for b in turn["messages"][asked[0]]["buttons"]} == {"绥芬河市", "潞城区"}
    moved = unknown.say("潞城区")  # typed, not tapped
    assert moved["handoff"]["queue"] == "12345" and moved["handoff"]["ticket_id"] == turn["handoff"]["ticket_id"]
    assert any("12345" in t for t in texts(moved)), "the resident is told which line has them now"
    assert not asks_region(Chat(residents).say("给我转12345")), "a line every region has: nothing to ask"

    chat = Chat(residents)
    chat.say("我电话是0355-2345678")  # 长治's area code: a 潞城区 resident
    turn = chat.say("给我接12385")
    assert turn["handoff"]["queue"] == "12345", turn
    assert any("12345" in t for t in texts(turn)), "the resident is told which line serves them"


@pytest.mark.stack
def test_the_same_topic_restated_twice_is_handed_over(residents) -> None:
    chat = Chat(residents)
    for text in ("残疾人证怎么办", "我是问残疾证咋办理", "残疾证到底怎么办下来"):
        turn = chat.say(text)
        if turn["handoff"]:
            break
    assert turn["handoff"] is not None, texts(turn)


def _region_paragraph(faq_key: str, region: str) -> str:
    return variation_for(faq_key, region)["text"].split("\n\n")[-1].split("{")[0].strip()


@pytest.mark.stack
@pytest.mark.parametrize(
    ("earlier", "region"),
    [("俺家在黄碾镇 嗯", "潞城区"), ("我身份证是231081198806061234", "绥芬河市"), ("座机0453-3921234", "绥芬河市")],
)
def test_region_from_an_earlier_turn_is_used_without_asking(residents, earlier, region) -> None:
    faq_key = region_dependent_faqs()[0]
    chat = Chat(residents)
    chat.say(earlier)
    turn = chat.say(question_without_region(faq_key))
    assert not asks_region(turn), texts(turn)
    assert _region_paragraph(faq_key, region) in "\n".join(texts(turn))


@pytest.fixture(scope="module")
def single_region_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A deployment that serves 潞城区 only (serves: in its escalation config)."""
    workdir = tmp_path_factory.mktemp("single-region")
    config = yaml.safe_load(ALWAYS_OPEN.read_text())
    config["serves"] = ["潞城区"]
    escalation = workdir / "escalation.yml"
    escalation.write_text(yaml.safe_dump(config, allow_unicode=True))
    for prefix in scoped_redis_prefix(TEST_REDIS_URL, "aldlg"):
        running = Stack(
            StackConfig(
                model=trained_model, port=free_port(), rasa_port=free_port(), actions_port=free_port(),
                redis_url=TEST_REDIS_URL, redis_key_prefix=prefix,
                database_url=f"sqlite:///{workdir / 'accessline.db'}", runtime_dir=workdir, log_dir=workdir / "logs",
                extra_env={"ESCALATION_CONFIG": str(escalation), "CHAT_RATE_PER_ADDRESS": "0"},
            )
        )  # fmt: skip
        try:
            running.start(timeout=300)
            yield running
        finally:
            running.stop()


@pytest.mark.stack
def test_single_region_deployment_never_asks_the_region(single_region_stack) -> None:
    with httpx.Client(base_url=single_region_stack.url, timeout=120) as client:
        residents = Residents(client)
        for faq_key in region_dependent_faqs()[:4]:
            turn = Chat(residents).say(question_without_region(faq_key))
            assert not asks_region(turn), (faq_key, texts(turn))
            assert _region_paragraph(faq_key, "潞城区") in "\n".join(texts(turn)), (faq_key, texts(turn))
        for text in ("转人工", "给我接12385", "你们工作人员态度太差了，我要投诉"):
            turn = Chat(residents).say(text)
            assert turn["handoff"]["queue"] == "12345", (text, "潞城区's line")
            assert not asks_region(turn) and not any("哪里" in t for t in texts(turn)), (text, texts(turn))
