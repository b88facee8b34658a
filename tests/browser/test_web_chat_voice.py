"""Voice in the web chat: read-aloud through POST /api/voice/tts (with the chosen speed), speech input through
POST /api/voice/turn, and a clear message offering typing when the microphone or speech input is unavailable."""

from __future__ import annotations

import base64
import io
import json
import wave

import httpx
import numpy as np
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.driver import chromium, screenshot
from tests.browser.test_web_chat import ask, open_chat

pytestmark = pytest.mark.stack

# Test-side instrumentation: remember every fetch the page makes (URL, JSON body, status, content type).
RECORD_FETCHES = """
window.__fetches = [];
const original = window.fetch;
window.fetch = async (url, options) => {
  const response = await original(url, options);
  const body = options && typeof options.body === "string" ? options.body : null;
  window.__fetches.push({url: String(url), body, status: response.status, type: response.headers.get("content-type")});
  return response;
};
"""


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def fetches(driver, path: str) -> list[dict]:
    return [f for f in driver.execute_script("return window.__fetches") if f["url"].endswith(path)]


def notices(driver) -> list[str]:
    return [n.text for n in driver.find_elements(By.CSS_SELECTOR, "#log .msg.notice .bubble")]


def test_read_aloud_speaks_replies_at_the_chosen_speed(stack, browser) -> None:
    tts_works = httpx.post(f"{stack.url}/api/voice/tts", json={"text": "你好"}, timeout=30).status_code == 200
    open_chat(browser, stack.url)
    browser.execute_script(RECORD_FETCHES)
    Select(browser.find_element(By.ID, "rate")).select_by_visible_text("很快")
    toggle = browser.find_element(By.ID, "read-aloud")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    WebDriverWait(browser, 30).until(lambda d: fetches(d, "/api/voice/tts"))
    first = fetches(browser, "/api/voice/tts")[0]
    assert json.loads(first["body"]) == {"text": "朗读已打开", "rate": 320, "format": "wav"}
    if not tts_works:  # no espeak-ng here: the page says so once, and the text stays readable
        assert first["status"] == 503
        WebDriverWait(browser, 10).until(lambda d: any("语音播报暂时不可用" in n for n in notices(d)))
        pytest.skip("the gateway has no working text-to-speech engine here (espeak-ng missing)")
    assert first["status"] == 200 and first["type"] == "audio/wav"
    player = browser.find_element(By.ID, "player")
    WebDriverWait(browser, 10).until(lambda d: (player.get_attribute("src") or "").startswith("blob:"))
    assert player.get_attribute("data-type") == "audio/wav" and int(player.get_attribute("data-bytes")) > 1000

    replies = ask(browser, "潞城区护理补贴怎么申请")
    WebDriverWait(browser, 90).until(lambda d: len(fetches(d, "/api/voice/tts")) >= 1 + len(replies))
    spoken = [json.loads(f["body"])["text"] for f in fetches(browser, "/api/voice/tts")[1:]]
    assert spoken == replies, "each reply is read aloud, in order"
    assert all(f["status"] == 200 for f in fetches(browser, "/api/voice/tts"))
    screenshot(browser, "web-chat-read-aloud")

    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    count = len(fetches(browser, "/api/voice/tts"))
    ask(browser, "护理补贴谁能领")
    assert len(fetches(browser, "/api/voice/tts")) == count, "nothing is spoken once read-aloud is off"


def test_no_microphone_offers_typing(stack, browser) -> None:
    open_chat(browser, stack.url)  # headless Chromium here has no microphone (or no permission to use one)
    browser.find_element(By.ID, "voice").click()
    WebDriverWait(browser, 10).until(lambda d: notices(d))
    assert "请在下面的输入框里打字" in notices(browser)[-1]
    assert browser.switch_to.active_element.get_attribute("id") == "text"
    assert browser.find_element(By.ID, "voice-label").text == "说话", "not left recording"


def test_recording_is_encoded_as_16_khz_wav(stack, browser) -> None:
    open_chat(browser, stack.url)
    encoded = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const rate = 48000, samples = new Float32Array(rate);
        for (let i = 0; i < rate; i++) samples[i] = 0.5 * Math.sin(2 * Math.PI * 440 * i / rate);
        const reader = new FileReader();
        reader.onload = () => done(reader.result.split(",")[1]);
        reader.readAsDataURL(AccessLineVoice.toWav(samples, rate));"""
    )
    with wave.open(io.BytesIO(base64.b64decode(encoded))) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
        assert wav.getnframes() == 16000
        pcm = np.frombuffer(wav.readframes(16000), dtype="<i2").astype(float)
    crossings = int(np.sum(np.diff(np.signbit(pcm).astype(int)) != 0))
    assert 860 <= crossings <= 900, f"a 440 Hz tone keeps its pitch ({crossings} zero crossings in 1 s)"
    assert 0.3 * 32767 < np.abs(pcm).max() <= 32767


def test_speech_turn_shows_what_was_heard_or_why_not(stack, browser) -> None:
    """A spoken question (made with the TTS engine) goes through /api/voice/turn; whatever the speech engines here
    can do, the page shows the matching outcome and never leaves the resident without a way on."""
    tts = httpx.post(f"{stack.url}/api/voice/tts", json={"text": "护理补贴怎么申请", "rate": 150}, timeout=30)
    if tts.status_code != 200:
        pytest.skip("no text-to-speech engine to make a spoken question with")
    open_chat(browser, stack.url)
    browser.execute_script(RECORD_FETCHES)
    before = len(browser.find_elements(By.CSS_SELECTOR, "#log .msg"))
    browser.execute_script(
        "AccessLineVoice.sendAudio(new Blob([Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0))], "
        "{type: 'audio/wav'}))",
        base64.b64encode(tts.content).decode(),
    )
    WebDriverWait(browser, 120).until(lambda d: fetches(d, "/api/voice/turn"))
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "log").get_attribute("aria-busy") == "false")
    status = fetches(browser, "/api/voice/turn")[0]["status"]
    added = browser.find_elements(By.CSS_SELECTOR, "#log .msg")[before:]
    kinds = [m.get_attribute("class").split()[1] for m in added]
    if status in (404, 503):
        assert kinds == ["notice"] and "语音输入暂时不能用" in added[0].text, added[0].text
        assert browser.switch_to.active_element.get_attribute("id") == "text"
    else:
        assert status == 200, status
        if kinds == ["notice"]:
            assert "没有听清" in added[0].text
        else:
            assert kinds[0] == "resident" and "bot" in kinds[1:], kinds
            assert added[0].find_element(By.CSS_SELECTOR, ".bubble").get_attribute("textContent").startswith("您说：")
    screenshot(browser, "web-chat-voice-turn")
