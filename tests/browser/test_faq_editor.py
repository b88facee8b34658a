"""A staff member logs in to /staff/, edits an answer, sees the preview, saves, sees the change in the list, gets
a refused broken edit explained, and rolls the edit back — in headless Chromium, on a copy of nlu_data.

The editor needs only the gateway (no Rasa), so this test serves its own gateway over HTTP with uvicorn on a
temporary nlu_data copy and database, instead of the shared stack (whose gateway edits the real nlu_data)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from bot.cli import create_user
from bot.core.config import PROJECT_ROOT, Settings
from bot.main import create_app
from tests.browser import axe
from tests.browser.driver import chromium, screenshot
from tests.conftest import ALWAYS_OPEN, free_port

PASSWORD = "faq-editor-password"
NEW_ANSWER = "护理补贴的事，请问区残联。\n\n可以拨打{hotline}咨询。"
ORIGINAL_TITLE = "重度残疾人护理补贴"  # metadata.title in nlu_data/faq/subsidies.yml
EDITED_TITLE = "重度残疾人护理补贴（谁能领、怎么领）"
NEW_SOURCE = "潞城：全面落实困难残疾人生活补贴和重度残疾人护理补贴标准"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp_path = tmp_path_factory.mktemp("faq_editor")
    nlu_data = tmp_path / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", nlu_data)
    database = f"sqlite:///{tmp_path / 'faq.db'}"
    create_user("faq_staff", "staff", PASSWORD, database)
    settings = Settings(
        database_url=database,
        data_dir=tmp_path,
        nlu_data_dir=nlu_data,
        faq_rasa_validate=False,  # Rasa's own check is exercised by tests/api/test_faq_editor.py
        training_runner=False,
        rasa_url="http://127.0.0.1:9",
        action_server_url="http://127.0.0.1:9",
        escalation_config=ALWAYS_OPEN,
        internal_api_token="browser-test",
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "gateway did not start"
    yield f"http://127.0.0.1:{port}", nlu_data
    server.should_exit = True
    thread.join(timeout=10)


def test_staff_edits_previews_saves_and_rolls_back_an_answer(gateway: tuple[str, Path]) -> None:
    url, nlu_data = gateway
    yaml_file = nlu_data / "faq" / "subsidies.yml"
    original = yaml_file.read_bytes()
    driver = chromium()
    wait = WebDriverWait(driver, 20)
    announced = lambda text: lambda d: text in d.find_element(By.ID, "announcer").text  # noqa: E731
    try:
        driver.get(f"{url}/staff/")
        assert [a.text for a in driver.find_elements(By.CSS_SELECTOR, "nav a")] == ["问答编辑", "训练模型", "数据看板"]
        driver.find_element(By.ID, "username").send_keys("faq_staff")
        driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)  # keyboard only
        search = wait.until(ec.visibility_of_element_located((By.ID, "search")))
        search.send_keys("护理补贴", Keys.ENTER)
        wait.until(lambda d: "和“护理补贴”有关" in d.find_element(By.ID, "list-status").text)
        driver.find_element(By.CSS_SELECTOR, f"button[aria-label='编辑：{ORIGINAL_TITLE}']").send_keys(Keys.ENTER)
        wait.until(lambda d: d.find_element(By.ID, "title").get_attribute("value") == ORIGINAL_TITLE)
        labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#answers label[for^='answer-']")]
        assert labels == ["绥芬河市的回答", "潞城区的回答", "不分地区的回答"]
        shown = driver.find_element(By.ID, "sources-shown-1").text
        assert "《长治市潞城区“十四五”残疾人保障和发展规划》" in shown and "第三部分（一）第4条" in shown
        assert "国发〔2015〕52号" in driver.find_element(By.ID, "sources-1").get_attribute("value")

        title = driver.find_element(By.ID, "title")
        title.clear()
        title.send_keys(EDITED_TITLE)
        answer = driver.find_element(By.ID, "answer-1")
        assert answer.get_attribute("data-key") == "潞城区"
        answer.clear()
        answer.send_keys(NEW_ANSWER)
        sources = driver.find_element(By.ID, "sources-1")
        sources.clear()
        sources.send_keys(NEW_SOURCE)  # the new text names no national document
        Select(driver.find_element(By.ID, "preview-region")).select_by_value("潞城区")
        driver.find_element(By.ID, "preview-button").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#preview .bubble")) == 2)
        bubbles = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#preview .bubble")]
        assert bubbles[0] == "护理补贴的事，请问区残联。"
        assert bubbles[1].startswith("可以拨打12345") and "按钮：我要申请护理补贴" in bubbles[1]

        driver.find_element(By.ID, "save").click()
        wait.until(announced(f"已保存：{EDITED_TITLE}"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f"button[aria-label='编辑：{EDITED_TITLE}']")))
        assert "护理补贴的事，请问区残联。" in yaml_file.read_text("utf-8")
        shown = driver.find_element(By.ID, "sources-shown-1").text
        assert "第三部分（一）第4条“落实残疾人社会福利和社会优待政策”" in shown, "the section is derived on save"
        screenshot(driver, "faq-editor-saved")
        saved = yaml_file.read_bytes()

        answer = driver.find_element(By.ID, "answer-1")
        answer.clear()
        answer.send_keys("<script>window.pwned=1</script>请问区残联。")
        driver.find_element(By.ID, "save").click()
        errors = wait.until(ec.visibility_of_element_located((By.ID, "form-errors")))
        assert "潞城区的回答里有网页代码或脚本" in errors.text
        assert driver.switch_to.active_element == errors, "focus moves to the errors"
        assert driver.execute_script("return window.pwned === undefined")
        assert yaml_file.read_bytes() == saved, "the refused edit wrote nothing"
        screenshot(driver, "faq-editor-refused")

        undo = wait.until(
            ec.element_to_be_clickable((By.XPATH, "//ol[@id='history']//button[starts-with(., '撤销第')]"))
        )
        undo.send_keys(Keys.ENTER)
        wait.until(announced("已撤销"))
        assert yaml_file.read_bytes() == original, "rollback restores the file byte for byte"
        wait.until(lambda d: d.find_element(By.ID, "title").get_attribute("value") == ORIGINAL_TITLE)
    finally:
        driver.quit()


def log_in_and_open(driver, url: str, wait: WebDriverWait) -> None:
    driver.get(f"{url}/staff/")
    driver.find_element(By.ID, "username").send_keys("faq_staff")
    driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, f"button[aria-label='编辑：{ORIGINAL_TITLE}']"))).click()
    wait.until(lambda d: d.find_element(By.ID, "title").get_attribute("value") == ORIGINAL_TITLE)


def test_the_editor_has_no_wcag_violations(gateway: tuple[str, Path]) -> None:
    axe.axe_source()  # skip early, with the reason, when npm has not installed axe-core
    url, _ = gateway
    driver = chromium()
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(f"{url}/staff/")
        found = axe.violations(driver)
        assert not found, f"login page:\n{axe.describe(found)}"
        log_in_and_open(driver, url, wait)
        driver.find_element(By.ID, "preview-button").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#preview .bubble"))
        driver.find_element(By.ID, "answer-0").send_keys("<b>粗体</b>")
        driver.find_element(By.ID, "save").click()
        wait.until(ec.visibility_of_element_located((By.ID, "form-errors")))
        found = axe.violations(driver)
        assert not found, f"editor with preview and errors:\n{axe.describe(found)}"
    finally:
        driver.quit()
