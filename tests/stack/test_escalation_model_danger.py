"""The trained `danger` intent on the live stack (rounds 10–11): a life-safety message the danger rules do not list
is still read as danger by the model, surely enough to pass the model-alone floor (bot/nlu/danger_floor.py), and gets
the emergency numbers first; everyday words and near policy questions are not danger.

Messages are development examples written for these tests (not from tests/blind/, not in nlu_data/). Each positive is
checked to be outside the rules (bot/rules/danger.assess), so the test measures the model, not the rules."""

from __future__ import annotations

import httpx
import pytest

from bot.nlu.danger_floor import FLOOR
from bot.rules.danger import assess
from tests.conftest import new_sender

MODEL_ONLY_DANGER = [
    "俺闺女刚才拿头一下下往墙上磕 额头全破了",
    "屋里的烟越来越大 我摸不着门",
    "他把我按在地上打 鼻子一直出血",
]
NOT_DANGER = [
    "笑死了",
    "有活干吗",
    "我老伴的证丢了 咋补",
    "有没有给独居老人装烟雾报警器的",
]


def _parse(stack, text: str) -> dict:
    url = f"http://127.0.0.1:{stack.config.rasa_port}/model/parse"
    return httpx.post(url, params={"token": stack.token}, json={"text": text}, timeout=60).json()


@pytest.mark.parametrize("text", MODEL_ONLY_DANGER)
def test_the_positives_are_outside_the_rules(text: str) -> None:
    assert assess(text) is None, "a sentence the rules catch would not test the model"


@pytest.mark.stack
@pytest.mark.parametrize("text", MODEL_ONLY_DANGER)
def test_the_model_reads_unlisted_danger_as_danger_above_the_floor(stack, chat, text: str) -> None:
    intent = _parse(stack, text)["intent"]
    assert intent["name"] == "danger" and intent["confidence"] > FLOOR, intent
    response = chat(new_sender(), text)
    assert response.status_code == 200, response.text
    first = response.json()["messages"][0]["text"]
    assert "110" in first and "120" in first, first


@pytest.mark.stack
@pytest.mark.parametrize("text", NOT_DANGER)
def test_everyday_words_and_near_policy_questions_are_not_danger(stack, text: str) -> None:
    assert _parse(stack, text)["intent"]["name"] != "danger"
