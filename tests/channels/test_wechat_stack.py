"""The WeChat channel against the real stack: gateway → Rasa → action server, and the fake WeChat API.

Extra gateway processes with the channel on share the session stack's Rasa and action server (each with its own
SQLite file and Redis key prefix, so they disturb no other test)."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Iterator

import httpx
import pytest
from cryptography.fernet import Fernet
from defusedxml.ElementTree import fromstring

from bot.channels.wechat.identity import sender_id_for
from bot.core.secrets import LABELS, derive
from bot.launcher.stack import Stack
from bot.text.normalize import normalize_text
from tests.channels.conftest import TOKEN
from tests.channels.fake_wechat import APP_ID, APP_SECRET, FakeWeChatServer
from tests.channels.wechat_client import fixture, new_openid, signed
from tests.conftest import free_port
from tests.knowledge import fact_cases

pytestmark = pytest.mark.stack
DATA_KEY = Fernet.generate_key().decode()
MASTER = secrets.token_urlsafe(48)  # the gateways' master secret, so the test can find the conversation id
WECHAT_KEY = derive(MASTER, LABELS["wechat_key"]).hex()
CASE = next(c for c in fact_cases() if c["intent"] == "faq/severe_care_subsidy" and c["region"] == "潞城区")


@pytest.fixture(scope="module")
def wechat_gateway(stack, fake_wechat: FakeWeChatServer, redis_prefix, tmp_path_factory) -> Iterator[Callable]:
    started: dict[float, Stack] = {}

    def gateway(budget: float) -> Stack:
        if budget not in started:
            workdir = tmp_path_factory.mktemp("wechat-gateway")
            env = stack.config.extra_env | {
                "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
                "WECHAT_API_BASE": fake_wechat.base_url,
                "WECHAT_REPLY_BUDGET_SECONDS": str(budget), "TRAINING_RUNNER": "false", "ACCESSLINE_DATA_KEY": DATA_KEY,
                "ACCESSLINE_MASTER_SECRET": MASTER,
            }  # fmt: skip
            config = dataclasses.replace(
                stack.config, port=free_port(), database_url=f"sqlite:///{workdir / 'wechat.db'}",
                runtime_dir=workdir, log_dir=workdir / "logs",
                redis_key_prefix=f"{redis_prefix}:wx{len(started)}", extra_env=env,
            )  # fmt: skip
            gateway = Stack(config)
            gateway.token, gateway.internal_token = stack.token, stack.internal_token
            gateway.start_gateway()
            started[budget] = gateway
            gateway.wait_ready(120)
        return started[budget]

    yield gateway
    for gateway in started.values():
        gateway.stop()


def post(gateway: Stack, body: str) -> httpx.Response:
    response = httpx.post(f"{gateway.url}/wechat", params=signed(TOKEN), content=body.encode(), timeout=30)
    assert response.status_code == 200, response.text
    return response


def check_facts(answer: str) -> None:
    for fact in CASE["expect"]:
        assert fact in answer, f"{answer!r} lacks {fact!r}"
    for wrong in CASE.get("absent") or []:
        assert wrong not in answer, f"{answer!r} must not say {wrong!r}"


def user_turns(stack: Stack, sender_id: str) -> list[str]:
    url = f"http://127.0.0.1:{stack.config.rasa_port}/conversations/{sender_id}/tracker"
    events = httpx.get(url, params={"token": stack.token}, timeout=10).json()["events"]
    return [e.get("text") for e in events if e.get("event") == "user"]


def test_text_turn_end_to_end_with_a_passive_reply(wechat_gateway) -> None:
    gateway = wechat_gateway(4.0)
    openid = new_openid()
    response = post(gateway, fixture("text.xml", openid=openid, content=CASE["question"]))
    assert response.text != "success", "a FAQ turn should answer within the budget"
    reply = fromstring(response.text)
    assert reply.findtext("ToUserName") == openid
    check_facts(reply.findtext("Content"))


def test_slow_turn_falls_back_to_the_customer_service_push(stack, wechat_gateway, wechat_api) -> None:
    """With a 10 ms budget no real turn is fast enough: "success" at once, the answer comes by push; two retries
    start no second turn and no second push."""
    gateway = wechat_gateway(0.01)
    openid = new_openid()
    body = fixture("text.xml", openid=openid, content=CASE["question"])
    assert [post(gateway, body).text for _ in range(3)] == ["success"] * 3
    pushed = wechat_api.state.wait_for_sent(openid)
    assert len(pushed) == 1
    check_facts(pushed[0])
    sender_id = sender_id_for(openid, WECHAT_KEY)
    turns = user_turns(stack, sender_id)
    assert turns == [normalize_text(CASE["question"])], "exactly one bot turn for three deliveries"
    assert wechat_api.state.sent_to(openid) == pushed
