"""The web chat when sending fails, in headless Chromium: the assistant down (the gateway answers 503) and the
network gone (the gateway process stopped). Either way the log says so in plain words and the typed text stays.

Each case runs its own extra gateway process (own SQLite file and Redis key prefix), so nothing shared is stopped."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bot.launcher.stack import Stack
from bot.services import messages
from tests.browser.driver import chromium, screenshot
from tests.browser.test_web_chat import open_chat, replies_so_far, wait_for_reply
from tests.conftest import free_port

pytestmark = pytest.mark.stack
DEAD_PORT = 9  # the discard port: nothing listens there
QUESTION = "护理补贴怎么申请"
KEPT = "您输入的内容还在输入框里。"

# Test-side instrumentation: remember each /api/chat call's status, or that it never got an answer.
RECORD_CHAT_CALLS = """
window.__chat = [];
const original = window.fetch;
window.fetch = async (url, options) => {
  try {
    const response = await original(url, options);
    if (String(url).endsWith("/api/chat")) window.__chat.push(response.status);
    return response;
  } catch (error) {
    if (String(url).endsWith("/api/chat")) window.__chat.push("network error");
    throw error;
  }
};
"""


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture()
def gateway_without_rasa(stack, redis_prefix, tmp_path_factory) -> Iterator[Callable[[], Stack]]:
    """Start (on demand) a gateway whose Rasa and action server URLs point at a dead port; stop it afterwards."""
    started: list[Stack] = []

    def start() -> Stack:
        workdir = tmp_path_factory.mktemp("gateway-no-rasa")
        config = dataclasses.replace(
            stack.config, port=free_port(), rasa_port=DEAD_PORT, actions_port=DEAD_PORT,
            database_url=f"sqlite:///{workdir / 'gateway.db'}", runtime_dir=workdir, log_dir=workdir / "logs",
            redis_key_prefix=f"{redis_prefix}:norasa{len(started)}",
            extra_env=stack.config.extra_env | {"TRAINING_RUNNER": "false"},
        )  # fmt: skip
        gateway = Stack(config)
        started.append(gateway)
        gateway.start_gateway()
        wait_alive(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


def wait_alive(gateway: Stack, timeout: float = 120) -> None:
    """Wait for /healthz (not /readyz: this gateway's Rasa is down on purpose)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gateway.processes["gateway"].poll() is not None:
            raise RuntimeError(f"gateway exited: see {gateway.config.log_dir}")
        try:
            if httpx.get(f"{gateway.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError("gateway did not start")


def type_and_send(driver) -> list[str]:
    """Type the question, press Enter; return the messages that came back."""
    driver.execute_script(RECORD_CHAT_CALLS)
    before = replies_so_far(driver)
    driver.find_element(By.ID, "text").send_keys(QUESTION, Keys.ENTER)
    return wait_for_reply(driver, before, timeout=60)


def assert_failure_shown_and_text_kept(driver, said: list[str]) -> None:
    assert len(said) == 1, said
    last = driver.find_element(By.CSS_SELECTOR, "#log .msg:last-child")
    assert last.get_attribute("class") == "msg notice"
    assert last.find_element(By.CSS_SELECTOR, ".bubble").get_attribute("textContent").startswith("提示："), (
        "screen readers hear who is speaking"
    )
    assert said[0].endswith(KEPT), said
    assert "12385" in said[0], "a way on when the chat cannot help"
    assert driver.find_element(By.ID, "text").get_attribute("value") == QUESTION, "nothing typed is lost"
    assert driver.find_element(By.ID, "status").text == "", "no stale 'please wait'"
    residents = driver.find_elements(By.CSS_SELECTOR, "#log .msg.resident")
    assert residents and residents[-1].get_attribute("data-text") == QUESTION


def test_assistant_down_shows_the_servers_message_and_keeps_the_text(browser, gateway_without_rasa) -> None:
    gateway = gateway_without_rasa()
    direct = httpx.post(f"{gateway.url}/api/chat", json={"sender_id": "probe", "text": QUESTION}, timeout=30)
    assert direct.status_code == 503 and direct.json()["down"] == "rasa", direct.text

    open_chat(browser, gateway.url)
    said = type_and_send(browser)
    assert browser.execute_script("return window.__chat") == [503]
    assert said[0] == messages.UNAVAILABLE + KEPT, said
    assert_failure_shown_and_text_kept(browser, said)
    screenshot(browser, "web-chat-assistant-down")

    before = replies_so_far(browser)
    browser.find_element(By.ID, "send").click()  # trying again works (the page is not left busy)
    assert wait_for_reply(browser, before) == said
    assert browser.execute_script("return window.__chat") == [503, 503]
    assert browser.find_element(By.ID, "text").get_attribute("value") == QUESTION


def test_network_failure_says_so_and_keeps_the_text(browser, gateway_without_rasa) -> None:
    gateway = gateway_without_rasa()
    open_chat(browser, gateway.url)
    header = lambda d: d.find_element(By.ID, "hotline").text  # noqa: E731
    WebDriverWait(browser, 10).until(lambda d: "12385残疾人服务热线（绥芬河市）" in header(d))
    assert "12345政务服务便民热线（潞城区）" in header(browser), "the header names each region's hotline (routing)"
    gateway.stop_one("gateway")
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{gateway.url}/healthz", timeout=2)

    said = type_and_send(browser)
    assert browser.execute_script("return window.__chat") == ["network error"]
    assert said[0].startswith("网络连接不上，消息没有发出去。"), said
    assert_failure_shown_and_text_kept(browser, said)
    screenshot(browser, "web-chat-network-down")
