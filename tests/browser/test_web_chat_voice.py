"""Voice in the web chat: read-aloud through POST /api/voice/tts (with the chosen speed), speech input through
POST /api/voice/turn, and a clear message offering typing when the microphone or speech input is unavailable.
The microphone path runs for real with Chromium's fake capture device playing a spoken WAV file."""

from __future__ import annotations

import base64
import io
import json
import shutil
import time
import wave
from pathlib import Path

import httpx
import numpy as np
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.driver import chromium, screenshot
from tests.browser.test_web_chat import ask, message_texts, open_chat

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


# Test-side instrumentation: keep what the page posts to /api/voice/turn (the WAV, as base64) and what came back.
RECORD_VOICE_TURNS = """
window.__turns = [];
const original = window.fetch;
window.fetch = async (url, options) => {
  if (!String(url).endsWith("/api/voice/turn")) return original(url, options);
  const file = options.body.get("file");
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  const response = await original(url, options);
  const body = await response.clone().json().catch(() => null);
  window.__turns.push({wav: btoa(binary), type: file.type, status: response.status, body});
  return response;
};
"""
SPOKEN = "法律援助"
LEAD_SILENCE = 0.5  # seconds before the words, so the start of recording does not clip them


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory) -> Path:
    """A 16 kHz 16-bit mono PCM WAV of espeak-ng saying 法律援助, with silence around it.

    Chromium's fake capture device reads any PCM WAV (8/16/24/32-bit or float, any rate and channel count) and
    converts it to the stream's format, so the rate here only has to be one espeak-ng can be resampled to."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng to make the spoken question")
    from voice.normalize import normalize_for_speech
    from voice.tts.espeak import EspeakEngine

    speech = np.frombuffer(EspeakEngine().synthesize(normalize_for_speech(SPOKEN)).resampled(16000).pcm, "<i2")
    silence = np.zeros(int(16000 * LEAD_SILENCE), "<i2")
    path = tmp_path_factory.mktemp("mic") / "speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.concatenate([silence, speech, silence]).tobytes())
    return path


@pytest.fixture(scope="module")
def mic_browser(spoken_wav: Path):
    """Chromium with a fake microphone that plays `spoken_wav` once (%noloop) and grants the permission."""
    driver = chromium(
        [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={spoken_wav}%noloop",
        ]
    )
    yield driver
    driver.quit()


def test_microphone_recording_is_sent_as_16_khz_wav_and_the_reply_shown(stack, mic_browser, spoken_wav) -> None:
    """Press 说话, let the fake microphone play the words, press again: the page's own recording path posts a 16 kHz
    WAV to /api/voice/turn and shows what the server answered (heard and answered, or 没有听清)."""
    with wave.open(str(spoken_wav)) as source:
        played = source.getnframes() / source.getframerate()
    open_chat(mic_browser, stack.url)
    mic_browser.execute_script(RECORD_VOICE_TURNS)
    before = len(mic_browser.find_elements(By.CSS_SELECTOR, "#log .msg"))
    button = mic_browser.find_element(By.ID, "voice")
    button.click()
    label = mic_browser.find_element(By.ID, "voice-label")
    WebDriverWait(mic_browser, 10).until(lambda d: label.text == "停止录音并发送")
    assert "recording" in button.get_attribute("class") and "正在录音" in mic_browser.find_element(By.ID, "status").text
    time.sleep(played + 0.5)  # let the fake microphone play the whole file into the recording
    button.click()
    WebDriverWait(mic_browser, 120).until(lambda d: d.execute_script("return window.__turns.length") == 1)
    WebDriverWait(mic_browser, 10).until(lambda d: d.find_element(By.ID, "log").get_attribute("aria-busy") == "false")
    assert label.text == "说话", "not left recording"
    turn = mic_browser.execute_script("return window.__turns[0]")

    assert turn["type"] == "audio/wav"
    with wave.open(io.BytesIO(base64.b64decode(turn["wav"]))) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(float) / 32768
    assert len(pcm) / 16000 >= played - LEAD_SILENCE, "the recording lasts as long as the button was on"
    loudest = max(np.sqrt(np.mean(w**2)) for w in np.array_split(pcm, max(1, len(pcm) // 1600)))
    assert loudest > 0.02, f"the microphone's sound reached the recording (loudest 0.1 s RMS {loudest:.4f})"

    added = mic_browser.find_elements(By.CSS_SELECTOR, "#log .msg")[before:]
    kinds = [m.get_attribute("class").split()[1] for m in added]
    texts = [m.get_attribute("data-text") for m in added]
    body = turn["body"]
    if turn["status"] == 200 and body["transcript"]:
        assert kinds[0] == "resident" and texts[0] == body["transcript"], (kinds, texts)
        assert texts[1:] == [m["text"] for m in body["messages"]], "the server's reply, in order"
        assert message_texts(mic_browser, "resident")[-1] == "您说：" + body["transcript"]
    elif turn["status"] == 200:
        assert kinds == ["notice"] and "没有听清" in texts[0], texts
    else:
        assert turn["status"] in (404, 503), turn["status"]
        assert kinds == ["notice"] and "请在下面的输入框里打字" in texts[0], texts
    screenshot(mic_browser, "web-chat-microphone-turn")
