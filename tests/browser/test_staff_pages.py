"""A staff member works across the staff pages in Chromium: one sign-in for all of them (an HttpOnly session cookie,
no token in URLs or storage), FAQ saves with visible progress and result, "N 条修改还没上线" with a link to
training, an edit conflict that keeps the edit and shows both versions, a training page that asks first and
estimates the time, and insights with charts first, clear groups and numbers that agree. axe-core: 0 violations."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from bot.core.config import PROJECT_ROOT
from bot.insights.recorder import classify
from bot.main import create_app
from bot.storage.models import TrainingJob, utcnow
from tests.api.conftest import PASSWORD, create_users, make_settings
from tests.api.live_gateway import LiveGateway
from tests.browser.axe import describe, violations
from tests.browser.driver import chromium, screenshot

ENTRY = "public_transport"
UNANSWERED = [  # (conversation, text): groups of 3, 2 and 1, and questions that name people
    ("a1", "导盲犬能不能坐公交"), ("a2", "导盲犬可以上公交车吗"), ("a3", "带导盲犬坐公交车行不行"),
    ("b1", "快递不送上门怎么办"), ("b2", "快递柜太高够不着"),
    ("c1", "明天天气怎么样"), ("c2", "____main"),
    ("d1", "我叫王小明，导盲犬能坐地铁吗"), ("d2", "俺闺女叫李翠花，快递能帮取吗"),
]  # fmt: skip
NAMES = ["王小明", "李翠花"]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory) -> Iterator[LiveGateway]:
    tmp = tmp_path_factory.mktemp("staff")
    database_url = f"sqlite:///{tmp / 'staff.db'}"
    create_users(database_url)
    data = tmp / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", data)
    settings = make_settings(database_url, tmp).model_copy(
        update={"nlu_data_dir": data, "faq_rasa_validate": False, "training_runner": False}
    )
    app = create_app(settings)
    with LiveGateway(app) as live:
        recorder = app.state.turn_recorder
        fallback = {"latest_message": {"intent": {"name": "nlu_fallback", "confidence": 0.3}}, "active_loop": {}}
        answered = {
            "latest_message": {
                "intent": {"name": "faq", "confidence": 0.97},
                "response_selector": {
                    "faq": {"response": {"intent_response_key": "faq/two_subsidies", "confidence": 0.95}}
                },
            },
            "active_loop": {},
        }
        for sender, text in UNANSWERED:
            recorder.save(sender, text, "web", False, classify(fallback))
        for n in range(5):
            recorder.save(f"e{n}", "两项补贴是什么", "web", False, classify(answered))
        with app.state.sessions() as session:  # two past training runs: 4 and 6 minutes
            for minutes in (4, 6):
                start = utcnow() - timedelta(days=2, minutes=minutes)
                finished = start + timedelta(minutes=minutes)
                session.add(TrainingJob(status="activated", requested_by="staff1", started_at=start,
                                        finished_at=finished, stage="done", progress=100))  # fmt: skip
            session.commit()
        yield live


@pytest.fixture()
def driver() -> Iterator:
    browser = chromium()
    yield browser
    browser.quit()


def no_violations(driver, state: str) -> None:
    found = violations(driver)
    assert not found, f"{state}:\n{describe(found)}"


def sign_in(driver, gateway: LiveGateway, page: str = "/staff/") -> WebDriverWait:
    wait = WebDriverWait(driver, 30)
    driver.get(gateway.url + page)
    wait.until(ec.visibility_of_element_located((By.ID, "username"))).send_keys("staff1")
    driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait.until(ec.visibility_of_element_located((By.ID, "sign-out")))
    return wait


def test_one_sign_in_for_every_staff_page(gateway, driver) -> None:
    driver.get(gateway.url + "/staff/")
    WebDriverWait(driver, 30).until(ec.visibility_of_element_located((By.ID, "username")))
    no_violations(driver, "staff sign-in form")
    wait = sign_in(driver, gateway)
    cookie = driver.get_cookie("al_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "al_session" not in driver.execute_script("return document.cookie")
    for page, workspace in (("/staff/training.html", "training"), ("/staff/insights.html", "dashboard"),
                            ("/staff/", "editor")):  # fmt: skip
        driver.find_element(By.CSS_SELECTOR, f"nav a[href='{page}']").click()
        wait.until(ec.visibility_of_element_located((By.ID, workspace)))
        assert not driver.find_element(By.ID, "login-panel").is_displayed(), f"{page} asked to sign in again"
        assert driver.find_element(By.ID, "sign-out").is_displayed(), f"{page} has 退出登录"
        assert "token" not in driver.current_url.lower()
        stored = driver.execute_script(
            "return JSON.stringify(Object.assign({}, window.localStorage)) + JSON.stringify(Object.assign({}, "
            "window.sessionStorage))"
        )
        assert cookie["value"] not in stored and "eyJ" not in stored, "no token in readable storage"
    # A cookie alone cannot write without the page's header (no cross-site form posts).
    forged = httpx.post(f"{gateway.url}/api/staff/training/jobs", cookies={"al_session": cookie["value"]})
    assert forged.status_code == 403

    driver.find_element(By.ID, "sign-out").click()
    wait.until(ec.visibility_of_element_located((By.ID, "login-form")))
    driver.get(gateway.url + "/staff/training.html")
    wait.until(ec.visibility_of_element_located((By.ID, "login-form")))
    assert not driver.find_element(By.ID, "training").is_displayed(), "signed out everywhere"


def test_faq_save_shows_progress_result_and_pending_edits(gateway, driver) -> None:
    wait = sign_in(driver, gateway)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#entries li[data-name='{ENTRY}'] button"))
    driver.find_element(By.CSS_SELECTOR, f"#entries li[data-name='{ENTRY}'] button").click()
    title = wait.until(ec.visibility_of_element_located((By.ID, "title")))
    title.clear()
    title.send_keys("公交出行优惠（已核对）")
    driver.execute_script(  # slow the save down so that its progress can be seen
        "const real = window.fetch; window.fetch = (...a) => new Promise((r) => setTimeout(() => r(real(...a)), 1500));"
    )
    driver.find_element(By.ID, "save").click()
    status = driver.find_element(By.ID, "save-status")
    wait.until(lambda d: "正在检查和保存" in status.text)
    assert status.is_displayed() and status.find_element(By.TAG_NAME, "progress").is_displayed()
    assert driver.find_element(By.ID, "save").get_attribute("disabled") == "true"
    wait.until(lambda d: "已保存：公交出行优惠（已核对）" in status.text)
    assert "重新训练" in status.text and status.find_element(By.LINK_TEXT, "去训练模型").is_displayed()
    banner = driver.find_element(By.ID, "pending-edits")
    wait.until(lambda d: re.search(r"有 \d+ 条修改还没上线", banner.text))
    assert banner.find_element(By.LINK_TEXT, "去训练模型").get_attribute("href").endswith("/staff/training.html")
    screenshot(driver, "staff-faq-saved")
    no_violations(driver, "FAQ saved")


def test_an_edit_conflict_keeps_the_edit_and_shows_both_versions(gateway, driver) -> None:
    wait = sign_in(driver, gateway)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#entries li[data-name='{ENTRY}'] button"))
    driver.find_element(By.CSS_SELECTOR, f"#entries li[data-name='{ENTRY}'] button").click()
    title = wait.until(ec.visibility_of_element_located((By.ID, "title")))

    # Meanwhile an administrator saves the same entry.
    admin = httpx.Client(base_url=gateway.url, timeout=30)
    token = admin.post("/api/auth/token", data={"username": "admin1", "password": PASSWORD}).json()["access_token"]
    admin.headers["Authorization"] = f"Bearer {token}"
    entry = admin.get(f"/api/staff/faq/entries/{ENTRY}").json()
    theirs = dict(entry, title="公交卡办理（管理员改）")
    assert admin.put(f"/api/staff/faq/entries/{ENTRY}", json=theirs).status_code == 200
    admin.close()

    title.clear()
    title.send_keys("公交出行（我的修改）")
    driver.find_element(By.ID, "save").click()
    conflict = wait.until(ec.visibility_of_element_located((By.ID, "conflict")))
    assert driver.switch_to.active_element == driver.find_element(By.ID, "conflict-title")
    assert "公交出行（我的修改）" in driver.find_element(By.ID, "conflict-mine").text
    assert "公交卡办理（管理员改）" in driver.find_element(By.ID, "conflict-theirs").text
    assert "不同" in conflict.text
    assert title.get_attribute("value") == "公交出行（我的修改）", "the edit is kept in the form"
    assert driver.find_element(By.ID, "sign-out").is_displayed(), "still signed in"
    assert "没有保存" in driver.find_element(By.ID, "save-status").text
    screenshot(driver, "staff-faq-conflict")
    no_violations(driver, "edit conflict")

    driver.find_element(By.ID, "conflict-keep").click()
    wait.until(lambda d: "已保存：公交出行（我的修改）" in d.find_element(By.ID, "save-status").text)
    assert not driver.find_element(By.ID, "conflict").is_displayed()


def test_training_page_focus_confirmation_and_estimate(gateway, driver) -> None:
    wait = sign_in(driver, gateway, "/staff/training.html")
    wait.until(lambda d: d.switch_to.active_element == d.find_element(By.ID, "start-title"))
    estimate = driver.find_element(By.ID, "estimate").text
    assert "根据最近 2 次训练" in estimate and "5 分钟左右" in estimate, estimate
    banner = driver.find_element(By.ID, "pending-edits")
    wait.until(lambda d: "还没上线" in banner.text or "都已经上线" in banner.text)
    no_violations(driver, "training page")

    driver.find_element(By.ID, "start").click()
    question = wait.until(ec.visibility_of_element_located((By.ID, "start-question")))
    assert driver.switch_to.active_element == question
    assert "确定开始训练吗" in question.text and "5 分钟左右" in question.text
    no_violations(driver, "training confirmation")
    driver.find_element(By.ID, "start-no").click()
    assert "没有开始训练" in driver.find_element(By.ID, "start-status").text
    assert driver.switch_to.active_element == driver.find_element(By.ID, "start")


def test_insights_charts_first_clear_groups_numbers_agree(gateway, driver) -> None:
    wait = sign_in(driver, gateway, "/staff/insights.html")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#groups > li h3"))
    charts = driver.find_element(By.ID, "topics-title").location["y"]
    assert charts < driver.find_element(By.ID, "groups-title").location["y"], "charts come before the groups"
    assert charts < 900, f"the charts start {charts} px down"

    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "#groups > li h3")]
    assert sum(h.startswith("其他") for h in headings) == 1 and headings[-1].startswith("其他"), headings
    assert not any("_" in h or "main" in h for h in headings), headings
    counts = [int(re.search(r"（(\d+) 次）", h).group(1)) for h in headings]
    assert all(c >= 2 for c in counts[:-1]), "groups of one go to 其他"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#groups select")) == 0, "no drop-down per group"
    page = driver.find_element(By.TAG_NAME, "body").text
    for name in NAMES:
        assert name not in page

    totals = driver.find_element(By.ID, "totals").text
    unanswered = int(re.search(r"(\d+)\n没答上的轮数", totals).group(1))
    topic_row = driver.find_element(By.XPATH, "//tbody[@id='by-topic']/tr[th='没答上']/td").text
    day_sum = sum(int(td.text) for td in driver.find_elements(By.CSS_SELECTOR, "#by-day tr td:nth-of-type(2)"))
    assert unanswered == int(topic_row) == day_sum == len(UNANSWERED)
    note = driver.find_element(By.ID, "groups-note").text
    grouped = sum(counts)
    assert f"共 {unanswered} 轮没答上" in note and f"{grouped} 轮分在下面各组" in note, note
    assert f"其余 {unanswered - grouped} 轮" in note, note
    widths = driver.execute_script("return [...document.querySelectorAll('.bar')].map((b) => b.offsetWidth)")
    values = [int(td.text) for td in driver.find_elements(By.CSS_SELECTOR, "#by-topic td, #by-day td")]
    assert all(w >= 4 for w, v in zip(widths, values, strict=True) if v > 0), (widths, values)
    screenshot(driver, "staff-insights-groups")
    no_violations(driver, "insights")

    # Add the biggest group to an FAQ through the shared list of FAQs.
    first = driver.find_element(By.CSS_SELECTOR, "#groups > li")
    box = first.find_element(By.CSS_SELECTOR, "input[list=faq-choices]")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#faq-choices option"))
    option = driver.execute_script("return document.querySelector('#faq-choices option').value")
    box.send_keys(option)
    first.find_element(By.XPATH, ".//button[text()='加为例句']").click()
    wait.until(lambda d: "已把" in d.find_element(By.ID, "status").text)
