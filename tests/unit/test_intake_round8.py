"""Intake round 8 failure kinds, in the owner's own resident-style sentences (never a blind script's):

- a remark after the house and a pause ("…十一号 就是卫生所对过那家") is not part of the address, whatever the path:
  the answer to the address question (the house number said in words, or a room number after the unit), an address
  said in passing in the opening sentence (the pause survives the joining of Chinese words), and an address
  corrected at the read-back;
- a number corrected at the read-back by naming the field, where the digit is and "not A but B" ("电话最后一位不是七
  是一"), when the wrong digit occurs more than once in the number;
- a name written in traditional characters is stored as written; understanding and the gateway's check read its
  simplified form (the gateway sends the text as written in metadata.written).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from actions.intake_dialogue import Incoming, step
from bot.dialogue.client import BotMessage, RasaClient, TurnResult
from bot.rules.benefits import load_table
from bot.rules.field_values import end_at_house, parse_place
from bot.services.applications import InvalidApplication, Submission, checked_values
from bot.services.chat import ChatService
from bot.text.normalize import as_typed, as_written, normalize_text, simplified
from tests.unit.test_intake_dialogue import Chat, started
from tests.unit.test_intake_round4 import AUNT_CARD, AUNT_ID

PHONE = "13777301847"  # 7 four times: a digit named by its value alone cannot be placed


# -- a remark after the house ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("店上镇西关村二组十一号 就是卫生所对过那家", "店上镇西关村二组11号"),
        ("阜宁镇红旗村三组二号 门口有棵大柳树", "阜宁镇红旗村三组2号"),
        ("绥芬河镇光明社区5号楼三单元二零幺 就是挨着超市那栋", "绥芬河镇光明社区5号楼3单元201"),
        ("微子镇南街村27号 俺是听力二级", "微子镇南街村27号"),
    ],
)
def test_a_remark_after_the_house_is_not_stored(said: str, stored: str) -> None:
    assert parse_place(said, {}).value == stored


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("合兴镇合兴村8号 三单元", "合兴镇合兴村8号3单元"),  # a part of the house after the pause
        ("南马村 东头 三号 店上的", "店上镇南马村东头3号"),  # the town said last
        ("阜宁镇 红旗村 三组 二号", "阜宁镇红旗村三组2号"),  # pauses inside the address
    ],
)
def test_what_belongs_to_the_address_after_a_pause_stays(said: str, stored: str) -> None:
    assert parse_place(said, {}).value == stored


def test_a_pause_after_a_village_group_ends_nothing() -> None:
    assert end_at_house("东邑村四组 后巷7号") == "东邑村四组 后巷7号"


def test_an_address_in_the_opening_sentence_ends_at_the_house() -> None:
    chat = started("俺叫滕秀珍 身份证" + AUNT_ID + " 住店上镇东邑村后巷7号 耳朵一级 啥也听不见 俺想申请那个护理补贴")
    assert chat.slots["address"] == "店上镇东邑村后巷7号"
    assert chat.slots["town"] == "店上镇"


def test_an_address_in_passing_keeps_what_follows_the_house_when_it_is_part_of_it() -> None:
    chat = started("我想申请护理补贴 住合兴镇合兴村8号 三单元")
    assert chat.slots["address"] == "合兴镇合兴村8号3单元"


def _at_readback(phone: str = PHONE) -> Chat:
    chat = started("我想申请护理补贴")
    for answer in ("同意", "我自己", "滕秀珍", AUNT_ID, AUNT_CARD, phone, "店上镇东邑村后巷7号", "低保户"):
        chat.say(answer)
    assert chat.asking == "confirmed"
    return chat


def test_an_address_corrected_at_the_read_back_ends_at_the_house() -> None:
    chat = _at_readback()
    reply = chat.say("地址错了 是店上镇东邑村后巷九号 就是学校后头那家")
    assert chat.slots["address"] == "店上镇东邑村后巷9号", reply
    assert chat.asking == "confirmed"


# -- a digit corrected at the read-back by its place -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("电话最后一位不是七 是一", "13777301841"),
        ("手机号最后一个数不是7是1", "13777301841"),
        ("电话尾号是一 不是七", "13777301841"),
        ("电话第四位不是七 是八", "13787301847"),
    ],
)
def test_a_digit_of_the_phone_corrected_by_its_place(said: str, stored: str) -> None:
    chat = _at_readback()
    reply = chat.say(said)
    assert chat.slots["phone"] == stored, reply
    assert chat.asking == "confirmed"


def test_a_phone_that_is_not_ones_own_is_no_digit_correction() -> None:
    chat = _at_readback()
    chat.say("电话不是我的 是我闺女的")
    assert chat.slots["phone"] != "13777301841"


# -- a name in traditional characters --------------------------------------------------------------------------------
def test_the_text_as_typed_keeps_traditional_characters() -> None:
    assert as_typed("我爸叫黃國強　電話１３８") == "我爸叫黃國強 電話138"
    assert simplified(as_typed("我爸叫黃國強")) == normalize_text("我爸叫黃國強") == "我爸叫黄国强"


@pytest.mark.parametrize(
    ("value", "text", "written", "stored"),
    [
        ("黄国强", "我爸叫黄国强", "我爸叫黃國強", "黃國強"),
        ("黄国强", "我爸叫 黄 国强", "我爸叫 黃 國強", "黃國強"),  # pauses between the characters
        ("黄国强", "我爸叫黄国强", None, "黄国强"),  # nothing written differently
        ("李长顺", "木子李 长短的长 顺利的顺", "木子李 長短的長 順利的順", "李长顺"),  # spelled: not in the text
    ],
)
def test_a_value_is_taken_back_as_written(value: str, text: str, written: str | None, stored: str) -> None:
    assert as_written(value, text, written) == stored


class Gateway(Chat):
    """The form fed like the gateway feeds it: the simplified text, and the written text when it differs."""

    def say(self, text: str, intent: str | None = None, faq: str | None = None, needs_region: bool = False) -> str:
        written = as_typed(text)
        clean = simplified(written)
        incoming = Incoming(clean, intent, 0.9 if intent else 0.0, faq, written if written != clean else None)
        turn = step(self.slots, incoming, hotline=lambda region: "12345")
        self.slots.update(turn.slots)
        self.slots["requested_slot"] = turn.requested
        self.last = turn
        return "\n".join(m.get("text") or f"[FAQ {m['faq']}]" for m in turn.messages)


def test_a_name_answered_in_traditional_characters_is_stored_as_written() -> None:
    chat = Gateway()
    chat.say("想幫我媽申請護理補貼", "apply")
    chat.say("同意")
    assert chat.asking == "proxy_name", chat.slots
    chat.say("我叫劉美華")
    assert chat.asking == "applicant_name", chat.slots
    reply = chat.say("鄭寶蓮")
    assert chat.slots["proxy_name"] == "劉美華"
    assert chat.slots["applicant_name"] == "鄭寶蓮", reply


def test_names_in_a_traditional_sentence_are_stored_as_written() -> None:
    chat = Gateway()
    chat.say("我爸叫黃國強，我是他女兒黃麗萍，想給他申請生活補貼", "apply")
    assert chat.slots["applicant_name"] == "黃國強"
    assert chat.slots["proxy_name"] == "黃麗萍"
    assert chat.slots["proxy_relation"] == "父亲"


def _record(applicant: str) -> dict[str, Any]:
    return {"benefit": "care_subsidy", "for_self": True, "applicant_name": applicant, "id_number": AUNT_ID,
            "card_number": AUNT_CARD, "phone": "15633345678", "address": "微子镇南街村27号", "town": "微子镇",
            "region": "潞城区", "household": "低保"}  # fmt: skip


def test_the_gateway_keeps_a_traditional_name_and_checks_its_simplified_form() -> None:
    table = load_table()
    values = checked_values(table, Submission(**_record("歐陽寶珍"), idempotency_key="unit-test", sender_id="unit"))
    assert values["applicant_name"] == "歐陽寶珍"
    with pytest.raises(InvalidApplication):
        checked_values(table, Submission(**_record("確認"), idempotency_key="unit-test", sender_id="unit"))


@dataclass
class RecordingRasa:
    """Keeps what each turn was sent with."""

    sent: list[dict[str, Any]] = field(default_factory=list)

    async def turn(self, sender_id: str, text: str, channel: str | None = None, client_tag: str | None = None,
                   **extra: Any) -> TurnResult:  # fmt: skip
        self.sent.append({"text": text, **extra})
        return TurnResult([BotMessage(text="好的")])


@dataclass
class NoTickets:
    async def handoff_for(self, sender_id: str) -> None:
        return None

    async def after_turn(self, sender_id: str) -> tuple[None, list]:
        return None, []


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("我爸叫黃國強", {"text": "我爸叫黄国强", "written": "我爸叫黃國強"}),
        ("我爸叫黄国强", {"text": "我爸叫黄国强"}),  # written as understood: nothing more is sent
        ("电话１３８", {"text": "电话138"}),
    ],
)
def test_the_gateway_sends_the_text_as_written_when_it_differs(typed: str, sent: dict[str, str]) -> None:
    rasa = RecordingRasa()
    asyncio.run(ChatService(rasa, NoTickets(), max_chars=500).handle("resident-1", typed))
    assert rasa.sent == [sent]


def test_the_rasa_client_sends_the_written_text_in_the_metadata() -> None:
    client = RasaClient("http://127.0.0.1:1", "http://127.0.0.1:2")
    bodies: list[dict[str, Any]] = []

    async def post(content: bytes) -> tuple[int, bytes]:
        bodies.append(json.loads(content))
        return 200, json.dumps({"messages": [{"text": "好的"}], "state": {}}).encode()

    client._post_turn = post  # type: ignore[method-assign]
    asyncio.run(client.turn("resident-1", "我爸叫黄国强", channel="web", written="我爸叫黃國強"))
    asyncio.run(client.turn("resident-1", "我爸叫黄国强", channel="web"))
    assert bodies[0]["message"] == "我爸叫黄国强"
    assert bodies[0]["metadata"] == {"channel": "web", "written": "我爸叫黃國強"}
    assert bodies[1]["metadata"] == {"channel": "web"}
