"""An operator logs in to the console, sees a ticket a resident opened through /api/chat, claims it, replies,
and the resident receives the reply. Text a resident typed is shown as text, never run."""

from __future__ import annotations

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, func, select

from bot.cli import create_user
from bot.storage.models import AuditEntry
from tests.browser.driver import chromium, screenshot
from tests.conftest import new_sender
from tests.residents import Residents

PASSWORD = "console-test-password"


def revocations(stack, username: str) -> int:
    engine = create_engine(stack.config.database_url)
    with engine.connect() as connection:
        query = select(func.count()).where(AuditEntry.action == "auth.revoke", AuditEntry.target == username)
        count = connection.execute(query).scalar()
    engine.dispose()
    return int(count or 0)


@pytest.mark.stack
def test_operator_claims_and_replies_from_the_console(stack) -> None:
    create_user("console_op", "operator", PASSWORD, stack.config.database_url)
    resident = new_sender()
    http = httpx.Client(base_url=stack.url, timeout=60)
    web = Residents(http)
    web.chat(resident, "<script>window.pwned=1</script>护理补贴")
    escalated = web.say(resident, "转人工")
    assert escalated["handoff"] and escalated["handoff"]["queue"] in ("12385", "12345")
    assert "转接" in escalated["messages"][0]["text"]
    ticket_id = escalated["handoff"]["ticket_id"]

    driver = chromium()
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(f"{stack.url}/console/")
        driver.find_element(By.ID, "username").send_keys("console_op")
        driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)  # keyboard only
        claim = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, f"button[aria-label^='认领工单 {ticket_id}']")))
        screenshot(driver, "console-queue")
        claim.send_keys(Keys.ENTER)
        wait.until(ec.visibility_of_element_located((By.ID, "ticket")))
        transcript = driver.find_element(By.ID, "transcript").text
        assert "<script>window.pwned=1</script>护理补贴" in transcript, "resident text shown as text"
        assert driver.execute_script("return window.pwned === undefined")
        box = driver.find_element(By.ID, "reply-text")
        assert driver.switch_to.active_element == box, "focus moves to the reply box"
        box.send_keys("您好，我是12385客服，请问您想申请哪一项？")
        driver.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]").click()
        wait.until(lambda d: "请问您想申请哪一项" in d.find_element(By.ID, "transcript").text)
        screenshot(driver, "console-ticket")

        # 退出登录 revokes the token on the server and brings back the login form.
        driver.find_element(By.ID, "sign-out").send_keys(Keys.ENTER)
        wait.until(ec.visibility_of_element_located((By.ID, "login-form")))
        assert "已退出登录" in driver.find_element(By.ID, "login-error").text
        assert driver.switch_to.active_element == driver.find_element(By.ID, "username"), "focus goes to the form"
        assert revocations(stack, "console_op") == 1
    finally:
        driver.quit()

    reply = web.updates(resident, wait=5).json()
    assert [m["text"] for m in reply["messages"] if m["from_person"]] == ["您好，我是12385客服，请问您想申请哪一项？"]
    http.close()
