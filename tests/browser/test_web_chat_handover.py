"""The chat page's hand-over banner in Debian Chromium (issue 15, residents 1–4), against a real gateway (uvicorn,
SQLite, no Redis: the embedded default) with its clock set (ACCESSLINE_CLOCK). Rasa is not needed: the tickets are
opened through the internal API as the action server does, and messages typed meanwhile go to the queue.

At 320 px with large text the newest message stays visible between the banner and the input bar; the banner says
what will really happen (queue place, closed line, emergency without a place, a transfer, a person who joined) and
each change is announced in the status live region; axe-core finds nothing in any banner state."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bot.core.config import PROJECT_ROOT
from bot.main import create_app
from tests.api.conftest import INTERNAL, PASSWORD, create_users, make_settings
from tests.api.live_gateway import LiveGateway
from tests.browser import axe
from tests.browser.driver import chromium, screenshot

DAY, NIGHT = "2026-12-01T10:00:00+08:00", "2026-11-30T22:00:00+08:00"  # Tuesday morning, Monday night


@pytest.fixture(scope="module")
def browser():
    axe.axe_source()
    driver = chromium()
    yield driver
    driver.quit()


def live(tmp_path, monkeypatch, moment: str) -> Iterator[LiveGateway]:
    monkeypatch.setenv("ACCESSLINE_CLOCK", moment)
    database_url = f"sqlite:///{tmp_path / 'chat.db'}"
    create_users(database_url)
    settings = make_settings(database_url, tmp_path)  # no REDIS_URL
    settings.escalation_config = PROJECT_ROOT / "config" / "escalation.yml"
    with LiveGateway(create_app(settings)) as gateway:
        yield gateway


@pytest.fixture()
def day(tmp_path, monkeypatch) -> Iterator[LiveGateway]:
    yield from live(tmp_path, monkeypatch, DAY)


@pytest.fixture()
def night(tmp_path, monkeypatch) -> Iterator[LiveGateway]:
    yield from live(tmp_path, monkeypatch, NIGHT)


def small_large_text_page(driver, url: str) -> str:
    """The chat at 320×568 with large text; answers the page's conversation id."""
    driver.set_window_size(320, 568)
    driver.get(f"{url}/")
    driver.execute_script("localStorage.clear()")
    driver.get(f"{url}/")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#log .msg.bot"))
    toggle = driver.find_element(By.ID, "large-text")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", toggle)
    toggle.click()
    return driver.execute_script("return localStorage.getItem('accessline.sender')")


def open_ticket(url: str, sender: str, reason: str = "request", **extra) -> dict:
    body = {"sender_id": sender, "reason": reason} | extra
    response = httpx.post(f"{url}/internal/tickets", json=body, headers=INTERNAL, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["handoff"]


def type_message(driver, text: str) -> None:
    before = len(driver.find_elements(By.CSS_SELECTOR, "#log .msg.resident"))
    driver.find_element(By.ID, "text").send_keys(text, Keys.ENTER)
    WebDriverWait(driver, 30).until(
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, "#log .msg.resident")) > before
            and d.find_element(By.ID, "log").get_attribute("aria-busy") != "true"
        )
    )


def banner_text(driver) -> str:
    return driver.execute_script(
        "return document.getElementById('handoff-text').textContent + document.getElementById('handoff-rest')"
        ".textContent"
    )


def layout(driver) -> dict:
    """Where the banner ends, where the input bar starts, and where the newest message is (viewport pixels)."""
    return driver.execute_script(
        """
        const box = (id) => document.getElementById(id).getBoundingClientRect();
        const last = document.querySelector('#log').lastElementChild.getBoundingClientRect();
        return {banner: box('handoff').bottom, composer: box('composer').top, top: last.top, bottom: last.bottom,
                height: window.innerHeight};
        """
    )


def operator_headers(url: str) -> dict:
    token = httpx.post(f"{url}/api/auth/token", data={"username": "op1", "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def assert_no_violations(driver, state: str) -> None:
    screenshot(driver, f"web-chat-banner-{state}")
    found = axe.violations(driver)
    assert not found, f"axe-core, banner {state}:\n{axe.describe(found)}"


def test_banner_at_320px_large_text_keeps_the_newest_message_visible(browser, day) -> None:
    sender = small_large_text_page(browser, day.url)
    for i in range(3):
        open_ticket(day.url, f"someone-{i}")  # three residents are already waiting
    open_ticket(day.url, sender)
    type_message(browser, "我想问问残疾人两项补贴的事")
    assert "您排第4位" in browser.find_element(By.ID, "status").text, "the new banner is announced"
    for text in ("我是绥芬河市的", "我腿脚不好，出门不方便", "麻烦您了，谢谢"):
        type_message(browser, text)  # a conversation longer than the screen, as in the report
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "handoff").is_displayed())
    assert "您排第4位" in banner_text(browser) and "分钟" in banner_text(browser)

    def newest_in_view(d) -> bool:
        where = layout(d)
        return where["top"] >= where["banner"] - 1 and where["bottom"] <= where["composer"] + 1

    try:
        WebDriverWait(browser, 5).until(newest_in_view)
    finally:
        where = layout(browser)
    assert newest_in_view(browser), f"the newest message is hidden: {where}"
    assert where["banner"] <= where["height"] * 0.25, f"the banner is not compact: {where}"
    assert where["composer"] - where["banner"] >= where["height"] * 0.45, f"the banner eats the messages: {where}"
    assert browser.find_element(By.ID, "handoff-more").get_attribute("aria-expanded") == "false"
    assert_no_violations(browser, "waiting-320")
    more = browser.find_element(By.ID, "handoff-more")
    more.send_keys(
        Keys.ENTER
    )  # details (and the cancel button) on demand, from the keyboard (a click can race the scroll)
    assert browser.find_element(By.ID, "cancel-handoff").is_displayed()
    assert_no_violations(browser, "details-320")


def test_claim_and_transfer_are_shown_when_they_happen(browser, day) -> None:
    sender = small_large_text_page(browser, day.url)
    ticket = open_ticket(day.url, sender)["ticket_id"]
    type_message(browser, "在吗")
    op = operator_headers(day.url)
    assert httpx.post(f"{day.url}/api/operator/tickets/{ticket}/claim", headers=op).status_code == 200
    WebDriverWait(browser, 20).until(lambda d: "已经接入" in banner_text(d))  # no operator message needed
    assert "马上就到您" not in banner_text(browser)
    WebDriverWait(browser, 5).until(lambda d: "已经接入" in d.find_element(By.ID, "status").text)
    moved = httpx.post(f"{day.url}/api/operator/tickets/{ticket}/transfer", json={"queue": "12345"}, headers=op)
    assert moved.status_code == 200
    WebDriverWait(browser, 20).until(lambda d: "转到12345" in banner_text(d))
    assert "已经接入" not in banner_text(browser) and "您排第1位" in banner_text(browser)
    assert_no_violations(browser, "transferred")


def test_closed_line_banner_promises_the_opening_time_not_a_place(browser, night) -> None:
    sender = small_large_text_page(browser, night.url)
    type_message(browser, "你好")  # the bot is not running here: this only gets the page its conversation key
    open_ticket(night.url, "earlier-resident")
    open_ticket(night.url, sender)
    browser.refresh()  # after a reload the open hand-over comes back
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "handoff").is_displayed())
    text = banner_text(browser)
    assert "明天08:30" in text and "12345" in text and "110" in text, text
    assert "排第" not in text and "前面还有" not in text
    assert_no_violations(browser, "closed")


def test_emergency_banner_never_shows_a_queue_place(browser, day) -> None:
    sender = small_large_text_page(browser, day.url)
    type_message(browser, "你好")  # the conversation key (the bot is not running here)
    for i in range(2):
        open_ticket(day.url, f"crisis-before-{i}", reason="danger")
    open_ticket(day.url, sender, reason="danger")
    browser.refresh()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "handoff").is_displayed())
    text = banner_text(browser)
    assert "紧急" in text and "排第" not in text and "前面还有" not in text and "3位" not in text, text
    assert_no_violations(browser, "emergency")
