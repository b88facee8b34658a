"""Fixtures of the WeChat channel tests: a fake WeChat API server, and gateway apps with the channel on."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from bot.core.config import Settings
from bot.dialogue.client import BotMessage
from bot.main import create_app
from bot.services.chat import ChatTurn
from tests.channels.fake_wechat import APP_ID, APP_SECRET, FakeWeChatServer
from tests.conftest import ALWAYS_OPEN, free_port, scoped_redis_prefix

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TOKEN = "accessline-test-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as the 公众号 settings page makes them
INTERNAL = {"X-Internal-Token": "internal-wechat-test"}


@pytest.fixture(scope="session")
def fake_wechat() -> Iterator[FakeWeChatServer]:
    server = FakeWeChatServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def wechat_api(fake_wechat: FakeWeChatServer) -> FakeWeChatServer:
    fake_wechat.state.reset()
    return fake_wechat


@pytest.fixture()
def key_prefix() -> Iterator[str]:
    """A Redis key prefix of this test; its keys are deleted afterwards."""
    yield from scoped_redis_prefix(REDIS_URL, "alwx")


@dataclass
class FakeChat:
    """Stands in for the chat service in channel-only tests: records turns, answers after `delay` seconds."""

    delay: float = 0.0
    buttons: list[dict[str, str]] = field(default_factory=list)
    calls: list[tuple[str, str, str]] = field(default_factory=list)

    async def handle(self, sender_id: str, text: str, channel: str = "web") -> ChatTurn:
        self.calls.append((sender_id, text, channel))
        await asyncio.sleep(self.delay)
        return ChatTurn([BotMessage(text=f"收到：{text}", buttons=list(self.buttons))])


@dataclass
class WeChatApp:
    client: TestClient
    chat: FakeChat

    @property
    def state(self):
        return self.client.app.state

    def drain(self) -> None:
        """Wait until background pushes are done."""
        self.client.portal.call(self.state.wechat.channel.drain)


AppFactory = Callable[..., WeChatApp]


@pytest.fixture()
def wechat_app(tmp_path, key_prefix, wechat_api) -> Iterator[AppFactory]:
    """Build a gateway (SQLite, shared Redis under this test's prefix, Rasa unused) with a fake chat service."""
    clients: list[TestClient] = []

    def build(*, redis_url: str | None = REDIS_URL, budget: float = 4.0, delay: float = 0.0, **overrides) -> WeChatApp:
        values = dict(
            database_url=f"sqlite:///{tmp_path / f'wechat{len(clients)}.db'}",
            data_dir=tmp_path,
            redis_url=redis_url,
            redis_key_prefix=key_prefix,
            internal_api_token=INTERNAL["X-Internal-Token"],
            rasa_url="http://127.0.0.1:9",
            action_server_url="http://127.0.0.1:9",
            escalation_config=ALWAYS_OPEN,
            training_runner=False,
            wechat_token=TOKEN,
            wechat_app_id=APP_ID,
            wechat_app_secret=APP_SECRET,
            wechat_encoding_aes_key=None,  # plaintext mode; secure-mode tests pass AES_KEY (then it is required)
            wechat_api_base=wechat_api.base_url,
            wechat_reply_budget_seconds=budget,
        )
        settings = Settings(**(values | overrides))
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        chat = FakeChat(delay=delay)
        client.app.state.chat_service = chat
        return WeChatApp(client, chat)

    yield build
    for client in clients:
        client.__exit__(None, None, None)
