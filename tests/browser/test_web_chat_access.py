"""axe-core finds no WCAG 2.0/2.1 A or AA violation in the web chat: default, large-text, high-contrast, narrow
and hand-over states (an operator's reply arriving through the long poll). A screenshot of each state is kept."""

from __future__ import annotations

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bot.cli import create_user
from tests.browser import axe
from tests.browser.driver import chromium, screenshot
from tests.browser.test_web_chat import ask, open_chat

pytestmark = pytest.mark.stack
PASSWORD = "web-chat-operator-password"


@pytest.fixture(scope="module")
def browser():
    axe.axe_source()  # skip early, with the reason, when npm has not installed axe-core
    driver = chromium()
    yield driver
    driver.quit()


def assert_no_violations(driver, state: str) -> None:
    screenshot(driver, f"web-chat-{state}")
    found = axe.violations(driver)
    assert not found, f"axe-core, {state} state:\n{axe.describe(found)}"


@pytest.mark.parametrize("modes", [(), ("large-text",), ("high-contrast",), ("large-text", "high-contrast")])
def test_no_wcag_violations_in_each_display_mode(stack, browser, modes: tuple[str, ...]) -> None:
    open_chat(browser, stack.url)
    for mode in modes:
        browser.find_element(By.ID, mode).click()
    ask(browser, "护理补贴怎么申请")  # a reply with quick-reply buttons
    browser.find_element(By.CSS_SELECTOR, "#log .msg:last-child").click()  # a focused message, too
    assert_no_violations(browser, "-".join(modes) or "default")


def test_no_wcag_violations_at_320_px(stack, browser) -> None:
    open_chat(browser, stack.url)
    browser.set_window_size(320, 800)
    ask(browser, "潞城区护理补贴怎么申请")
    assert_no_violations(browser, "320px")


def test_handoff_state_and_operator_messages(stack, browser) -> None:
    open_chat(browser, stack.url)
    replies = "\n".join(ask(browser, "转人工"))
    assert "转接" in replies, replies
    banner = browser.find_element(By.ID, "handoff-text")
    WebDriverWait(browser, 10).until(lambda d: banner.is_displayed())
    detail = browser.find_element(By.ID, "handoff-rest")
    assert banner.text.startswith("排第") and "分钟" in banner.text, banner.text  # the short headline
    assert "正在转接" in detail.text and "人工客服" in detail.text, detail.text  # details shown on a wide screen
    sender = browser.execute_script("return localStorage.getItem('accessline.sender')")
    assert sender and sender not in browser.current_url, "the sender id never goes into the page URL"
    assert_no_violations(browser, "handoff")

    # An operator claims the ticket and answers; the page's long poll shows the reply and the new state.
    create_user("webchat_op", "operator", PASSWORD, stack.config.database_url)
    with httpx.Client(base_url=stack.url, timeout=30) as http:
        key = browser.execute_script("return localStorage.getItem('accessline.conversation-key')")
        assert key, "the page keeps the conversation key it was given"
        poll = http.get(f"/api/chat/{sender}/updates", params={"wait": 0}, headers={"X-Conversation-Key": key})
        ticket = poll.json()["handoff"]["ticket_id"]
        token = http.post("/api/auth/token", data={"username": "webchat_op", "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert http.post(f"/api/operator/tickets/{ticket}/claim", headers=auth).status_code == 200
        reply = {"text": "您好，我是客服小王。"}
        sent = http.post(f"/api/operator/tickets/{ticket}/messages", headers=auth, json=reply)
        assert sent.status_code == 200, sent.text

    operator = WebDriverWait(browser, 40).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#log .msg.operator"))
    assert operator[-1].find_element(By.CSS_SELECTOR, ".bubble").get_attribute("textContent") == (
        "人工客服说：您好，我是客服小王。"
    )
    assert operator[-1].find_element(By.CSS_SELECTOR, ".name").text == "人工客服", "marked in words, not colour"
    WebDriverWait(browser, 30).until(lambda d: "已接入" in banner.text)
    assert_no_violations(browser, "handoff-operator")

    # The resident cancels: the banner goes away and the bot is back.
    browser.find_element(By.ID, "cancel-handoff").click()
    WebDriverWait(browser, 30).until(lambda d: not banner.is_displayed())
