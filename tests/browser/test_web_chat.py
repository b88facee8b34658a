"""The residents' web chat at `/` in headless Chromium against the real stack: ask and see the answer, a whole
conversation with the keyboard only, display modes that persist, input kept when sending fails, 320 px reflow."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.driver import chromium, screenshot

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def open_chat(driver, url: str) -> None:
    """A fresh page: new random sender id, default settings."""
    driver.set_window_size(1280, 900)
    driver.get(f"{url}/")
    driver.execute_script("localStorage.clear()")
    driver.get(f"{url}/")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#log .msg.bot"))


def message_texts(driver, kind: str = "") -> list[str]:
    """Visible text of the messages in the log (optionally of one kind: bot, resident, operator, notice)."""
    selector = f"#log .msg.{kind} .bubble" if kind else "#log .msg .bubble"
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(b => b.textContent)", selector
    )


def wait_for_reply(driver, before: int, timeout: float = 60) -> list[str]:
    """Wait until the turn is over (the log no longer busy) and new bot/operator/notice messages arrived; return
    their texts (without the speaker labels)."""
    selector = "#log .msg:not(.resident)"

    def done(d) -> bool:
        idle = d.find_element(By.ID, "log").get_attribute("aria-busy") != "true"
        return idle and len(d.find_elements(By.CSS_SELECTOR, selector)) > before

    WebDriverWait(driver, timeout).until(done)
    return [m.get_attribute("data-text") for m in driver.find_elements(By.CSS_SELECTOR, selector)][before:]


def replies_so_far(driver) -> int:
    return len(driver.find_elements(By.CSS_SELECTOR, "#log .msg:not(.resident)"))


def ask(driver, text: str) -> list[str]:
    """Type a question and press Enter; return the new replies."""
    before = replies_so_far(driver)
    box = driver.find_element(By.ID, "text")
    box.send_keys(text, Keys.ENTER)
    return wait_for_reply(driver, before)


def active(driver) -> WebElement:
    return driver.switch_to.active_element


def press(driver, *keys: str) -> WebElement:
    """Send keys to whatever has focus (keyboard only: no clicks) and return the newly focused element."""
    active(driver).send_keys(*keys)
    return active(driver)


def test_question_is_answered_and_labelled(stack, browser) -> None:
    open_chat(browser, stack.url)
    log = browser.find_element(By.ID, "log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert browser.title

    replies = "\n".join(ask(browser, "潞城区护理补贴怎么申请"))
    assert "区残联" in replies and "12345" in replies, replies
    assert "12385" not in replies, "潞城区's plan names only 12345"
    assert message_texts(browser, "resident")[-1] == "您说：潞城区护理补贴怎么申请"
    assert all(t.startswith("小助手说：") for t in message_texts(browser, "bot"))
    quick = browser.find_elements(By.CSS_SELECTOR, "#log .msg.bot .quick button")
    assert quick and all(b.tag_name == "button" for b in quick), "the answer's quick replies are native buttons"
    assert browser.find_element(By.ID, "text").get_attribute("value") == "", "sent text leaves the box"
    screenshot(browser, "web-chat-answer")


def test_whole_conversation_with_the_keyboard_only(stack, browser) -> None:
    open_chat(browser, stack.url)
    skip = press(browser, Keys.TAB)
    assert skip.get_attribute("class") == "skip"
    box = press(browser, Keys.ENTER)
    assert box.get_attribute("id") == "text", "the skip link leads to the input"

    before = replies_so_far(browser)
    # 低保: the plans' conditions differ by region, so the bot says the common part and asks where the resident lives.
    press(browser, "低保怎么申请", Keys.ENTER)
    asked = wait_for_reply(browser, before)
    assert any("请问您在哪里" in t for t in asked), asked

    # Back from the input: the voice button, then the region buttons of the newest message.
    assert press(browser, Keys.SHIFT, Keys.TAB).get_attribute("id") == "voice"
    choice = press(browser, Keys.SHIFT, Keys.TAB)
    assert choice.tag_name == "button" and choice.text == "潞城区", choice.text
    before = replies_so_far(browser)
    press(browser, Keys.ENTER)
    answer = "\n".join(wait_for_reply(browser, before))
    assert "区民政局" in answer and "12345" in answer and "12385" not in answer, answer
    assert message_texts(browser, "resident")[-1] == "您说：潞城区", "a quick reply shows its title"
    assert active(browser).get_attribute("id") == "text", "focus returns to the input after a quick reply"

    # Into the transcript: one roving tab stop; arrow keys, Home and End move through the messages.
    assert press(browser, Keys.SHIFT, Keys.TAB).get_attribute("id") == "voice"
    element = press(browser, Keys.SHIFT, Keys.TAB)
    while "msg" not in (element.get_attribute("class") or ""):
        element = press(browser, Keys.SHIFT, Keys.TAB)
    all_messages = browser.find_elements(By.CSS_SELECTOR, "#log .msg")
    assert element == all_messages[-1], "the tab stop of the log is the newest message"
    assert [m.get_attribute("tabindex") for m in all_messages].count("0") == 1
    previous = press(browser, Keys.ARROW_UP)
    assert previous == all_messages[-2] and previous.get_attribute("tabindex") == "0"
    assert press(browser, Keys.HOME) == all_messages[0]
    assert "您好，我是助残服务小助手" in all_messages[0].text
    assert press(browser, Keys.ARROW_DOWN) == all_messages[1]
    assert press(browser, Keys.END) == all_messages[-1]
    screenshot(browser, "web-chat-keyboard")
    assert press(browser, Keys.ESCAPE).get_attribute("id") == "text", "Esc returns to the input"

    # Toggles are native buttons reachable and pressed with the keyboard too.
    browser.execute_script("document.getElementById('large-text').focus()")
    assert press(browser, Keys.SPACE).get_attribute("aria-pressed") == "true"
    assert press(browser, Keys.ENTER).get_attribute("aria-pressed") == "false"


MODES = [("large-text", "large-text", "大字模式已打开"), ("high-contrast", "high-contrast", "高对比度已打开")]


@pytest.mark.parametrize(("toggle", "css_class", "said"), MODES)
def test_display_modes_persist_and_are_announced(stack, browser, toggle: str, css_class: str, said: str) -> None:
    open_chat(browser, stack.url)
    root_classes = "return document.documentElement.className"
    base_size = browser.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
    button = browser.find_element(By.ID, toggle)
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert css_class in browser.execute_script(root_classes)
    assert browser.find_element(By.ID, "status").text == said
    if toggle == "large-text":
        size = browser.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size >= base_size * 1.3, (base_size, size)

    browser.refresh()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#log .msg.bot"))
    assert browser.find_element(By.ID, toggle).get_attribute("aria-pressed") == "true", "kept across reload"
    assert css_class in browser.execute_script(root_classes)
    browser.find_element(By.ID, toggle).click()
    browser.refresh()
    assert browser.find_element(By.ID, toggle).get_attribute("aria-pressed") == "false"
    assert css_class not in browser.execute_script(root_classes)


def test_text_too_long_is_explained_and_kept(stack, browser) -> None:
    open_chat(browser, stack.url)
    long_text = "我想问一下补贴的事情。" * 110  # over the gateway's 1000-character limit
    browser.execute_script("document.getElementById('text').value = arguments[0]", long_text)
    before = replies_so_far(browser)
    browser.find_element(By.ID, "send").click()
    said = wait_for_reply(browser, before)
    assert "每次不超过1000个字" in said[-1] and "还在输入框里" in said[-1], said
    assert browser.find_element(By.CSS_SELECTOR, "#log .msg:last-child").get_attribute("class") == "msg notice"
    assert browser.find_element(By.ID, "text").get_attribute("value") == long_text, "nothing typed is lost"


def test_empty_message_is_not_sent(stack, browser) -> None:
    open_chat(browser, stack.url)
    count = len(browser.find_elements(By.CSS_SELECTOR, "#log .msg"))
    press(browser, Keys.TAB)  # skip link
    press(browser, Keys.ENTER)
    press(browser, "   ", Keys.ENTER)
    assert browser.find_element(By.ID, "status").text == "请先输入您的问题。"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#log .msg")) == count


def test_narrow_screen_and_large_text_do_not_scroll_sideways(stack, browser) -> None:
    open_chat(browser, stack.url)
    browser.find_element(By.ID, "large-text").click()
    browser.set_window_size(320, 800)
    ask(browser, "这串数字很长：" + "1234567890" * 8)  # one unbroken word must wrap, not widen the page
    widths = browser.execute_script(
        "const e = document.documentElement; return [e.scrollWidth, e.clientWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], f"horizontal scrolling at 320 px: {widths}"
    small = browser.execute_script(
        """return Array.from(document.querySelectorAll('button, select, textarea'))
             .filter(b => b.offsetParent !== null)
             .map(b => b.getBoundingClientRect())
             .filter(r => r.width < 44 || r.height < 44).length"""
    )
    assert small == 0, "every control is at least 44 x 44 px"
    screenshot(browser, "web-chat-320px-large-text")
