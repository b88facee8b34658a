"""Turns, retries, passive replies and pushes of the WeChat channel (fake chat service, real Redis and SQLite,
the fake WeChat API server as the outside edge)."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from defusedxml.ElementTree import fromstring
from sqlalchemy import select

from bot.channels.wechat import texts
from bot.channels.wechat.replies import split_text
from bot.cli import create_user
from bot.storage.models import AuditEntry
from tests.api.private_redis import PrivateRedis
from tests.channels.conftest import INTERNAL, TOKEN
from tests.channels.wechat_client import fixture, new_openid, signed
from tests.conftest import free_port
from voice.tts.espeak import EspeakEngine


def post(app, body: str):
    response = app.client.post("/wechat", params=signed(TOKEN), content=body)
    assert response.status_code == 200, response.text
    return response


def reply_text(response) -> str | None:
    """The passive reply's text, or None for "success"."""
    if response.text == "success":
        return None
    return fromstring(response.text).findtext("Content")


def test_text_gets_a_passive_reply_addressed_back(wechat_app) -> None:
    app = wechat_app()
    openid = new_openid()
    response = post(app, fixture("text.xml", openid=openid, content="护理补贴怎么申请"))
    reply = fromstring(response.text)
    assert response.headers["content-type"].startswith("application/xml")
    assert (reply.findtext("ToUserName"), reply.findtext("FromUserName")) == (openid, "gh_accessline01")
    assert reply.findtext("MsgType") == "text" and reply.findtext("Content") == "收到：护理补贴怎么申请"
    assert [(text, channel) for _s, text, channel in app.chat.calls] == [("护理补贴怎么申请", "wechat")]


def test_three_retries_give_one_turn_and_one_reply(wechat_app, wechat_api) -> None:
    """WeChat retries while the first delivery is still running, and once more after it answered."""
    app = wechat_app(delay=0.5)
    openid = new_openid()
    body = fixture("text.xml", openid=openid, content="我想问问无障碍改造")
    with ThreadPoolExecutor(3) as pool:
        responses = list(pool.map(lambda _: post(app, body), range(3)))
    late_retry = post(app, body)
    app.drain()
    replies = [reply_text(r) for r in responses + [late_retry]]
    assert sorted(replies, key=str) == sorted(["收到：我想问问无障碍改造", None, None, None], key=str)
    assert len(app.chat.calls) == 1
    assert wechat_api.state.sent_to(openid) == []  # answered passively, nothing pushed


def test_events_are_deduplicated_by_sender_and_create_time(wechat_app) -> None:
    app = wechat_app()
    body = fixture("event_click.xml", event_key="HUMAN")
    assert reply_text(post(app, body)) == "收到：转人工"
    assert reply_text(post(app, body)) is None
    assert reply_text(post(app, fixture("event_click.xml", event_key="HUMAN"))) == "收到：转人工"  # another second
    assert len(app.chat.calls) == 2


def test_slow_turn_answers_success_and_pushes_the_reply(wechat_app, wechat_api) -> None:
    app = wechat_app(budget=0.2, delay=1.0)
    openid = new_openid()
    body = fixture("text.xml", openid=openid, content="残疾人证怎么办")
    assert post(app, body).text == "success"
    assert wechat_api.state.wait_for_sent(openid) == ["收到：残疾人证怎么办"]
    assert post(app, body).text == "success"  # a retry after the push starts nothing
    app.drain()
    assert len(app.chat.calls) == 1 and wechat_api.state.sent_to(openid) == ["收到：残疾人证怎么办"]


def test_access_token_is_cached_shared_and_refreshed_once_when_refused(wechat_app, wechat_api) -> None:
    first = wechat_app(budget=0.05, delay=0.3)
    second = wechat_app(budget=0.05, delay=0.3)  # another gateway worker on the same Redis
    a, b, c = new_openid(), new_openid(), new_openid()
    post(first, fixture("text.xml", openid=a))
    post(second, fixture("text.xml", openid=b))
    first.drain()
    second.drain()
    assert wechat_api.state.sent_to(a) and wechat_api.state.sent_to(b)
    assert wechat_api.state.token_requests == 1
    wechat_api.state.expire_all_tokens()  # WeChat answers 42001 to the cached token
    post(first, fixture("text.xml", openid=c, content="再问一个"))
    first.drain()
    assert wechat_api.state.sent_to(c) == ["收到：再问一个"]
    assert wechat_api.state.token_requests == 2


def test_push_outside_the_48_hour_window_is_recorded(wechat_app, wechat_api) -> None:
    app = wechat_app(budget=0.05, delay=0.3)
    openid = new_openid()
    wechat_api.state.closed_window.add(openid)
    post(app, fixture("text.xml", openid=openid))
    app.drain()
    assert wechat_api.state.refused == [(openid, 45015)]
    assert app.state.wechat.channel.failures.counts[45015] == 1
    with app.state.sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "wechat.push_failed"))
    assert entry.details["errcode"] == 45015 and entry.details["kind"] == "bot"
    assert entry.target == app.chat.calls[0][0] and openid not in str(entry.details)


def test_subscribe_click_and_unsupported_messages(wechat_app, wechat_api) -> None:
    app = wechat_app()
    welcome = reply_text(post(app, fixture("event_subscribe.xml")))
    assert welcome == texts.WELCOME and "语音" in welcome and "申请" in welcome and "人工" in welcome
    assert reply_text(post(app, fixture("event_click.xml", event_key="NURSING_SUBSIDY"))) == (
        "收到：" + texts.MENU_QUESTIONS["NURSING_SUBSIDY"]
    )
    assert reply_text(post(app, fixture("event_click.xml", event_key="HELP"))) == texts.HELP
    assert reply_text(post(app, fixture("event_click.xml", event_key="NO_SUCH_KEY"))) == texts.HELP
    assert reply_text(post(app, fixture("image.xml"))) == texts.UNSUPPORTED
    assert [text for _s, text, _c in app.chat.calls] == [texts.MENU_QUESTIONS["NURSING_SUBSIDY"]]


def test_buttons_become_numbered_lines_and_a_number_picks_one(wechat_app) -> None:
    app = wechat_app()
    app.chat.buttons = [{"title": "绥芬河市", "payload": '/inform{"region": "绥芬河市"}'},
                        {"title": "潞城区", "payload": '/inform{"region": "潞城区"}'}]  # fmt: skip
    openid = new_openid()
    shown = reply_text(post(app, fixture("text.xml", openid=openid, content="护理补贴")))
    assert shown.endswith(f"{texts.PICK_NUMBER}\n1. 绥芬河市\n2. 潞城区")
    app.chat.buttons = []
    post(app, fixture("text.xml", openid=openid, content="２"))
    post(app, fixture("text.xml", openid=openid, content="2"))  # buttons of the last turn only: none now
    assert [text for _s, text, _c in app.chat.calls] == ["护理补贴", '/inform{"region": "潞城区"}', "2"]


def test_voice_uses_recognition_when_wechat_sends_it(wechat_app, wechat_api) -> None:
    app = wechat_app()
    body = fixture("voice_recognition.xml", recognition="我要转人工", media_id="m-rec")
    assert reply_text(post(app, body)) == "收到：我要转人工"
    assert wechat_api.state.media_requests == []


def test_voice_without_recognition_and_no_speech_engine_asks_for_text(wechat_app, wechat_api) -> None:
    app = wechat_app()
    app.state.stt = None
    assert reply_text(post(app, fixture("voice.xml", media_id="m-1"))) == texts.VOICE_UNAVAILABLE
    assert app.chat.calls == [] and wechat_api.state.media_requests == []


def test_without_redis_dedupe_still_holds_in_one_process(wechat_app) -> None:
    app = wechat_app(redis_url=None)
    body = fixture("text.xml")
    replies = [reply_text(post(app, body)) for _ in range(3)]
    assert replies == ["收到：你好", None, None] and len(app.chat.calls) == 1


def test_long_replies_are_split_at_line_ends_within_the_size_limit() -> None:
    text = "\n".join(f"第{i}条：" + "补贴申请需要的材料说明" * 8 for i in range(20))
    pieces = split_text(text, limit=2000)
    assert len(pieces) > 1 and all(len(p.encode()) <= 2000 for p in pieces)
    assert "\n".join(pieces) == text
    assert "".join(split_text("字" * 1500, limit=2000)) == "字" * 1500


def login(client, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def open_ticket_for(app, openid: str) -> tuple[str, str, dict[str, str]]:
    """The resident writes on WeChat, then a ticket is opened for them and an operator claims it."""
    post(app, fixture("text.xml", openid=openid, content="我要找人工"))
    sender = app.chat.calls[-1][0]
    opened = app.client.post("/internal/tickets", headers=INTERNAL,
                             json={"sender_id": sender, "reason": "request", "channel": "wechat"})  # fmt: skip
    assert opened.status_code == 200, opened.text
    ticket_id = opened.json()["handoff"]["ticket_id"]
    create_user("wxop1", "operator", "correct horse battery", app.state.settings.effective_database_url)
    operator = login(app.client, "wxop1", "correct horse battery")
    assert app.client.post(f"/api/operator/tickets/{ticket_id}/claim", headers=operator).status_code == 200
    return sender, ticket_id, operator


def test_operator_replies_are_pushed_to_the_wechat_resident(wechat_app, wechat_api) -> None:
    app = wechat_app()
    openid = new_openid()
    sender, ticket_id, operator = open_ticket_for(app, openid)
    sent = app.client.post(f"/api/operator/tickets/{ticket_id}/messages", json={"text": "您好，我来帮您。"},
                           headers=operator)  # fmt: skip
    assert sent.status_code == 200
    assert wechat_api.state.wait_for_sent(openid) == ["人工客服：您好，我来帮您。"]
    resolved = app.client.post(f"/api/operator/tickets/{ticket_id}/resolve", json={"outcome": "已解答"},
                               headers=operator)  # fmt: skip
    assert resolved.status_code == 200
    pushed = wechat_api.state.wait_for_sent(openid, count=2)
    assert pushed[1].startswith("人工服务结束了")
    # Delivered once: nothing is left waiting for this resident; and a WeChat conversation is not the web's to read.
    assert app.client.app.state.escalation.unseen_messages(sender) == []
    assert app.client.get(f"/api/chat/{sender}/updates", params={"wait": 0}).status_code == 403


def test_operator_reply_outside_the_window_is_noted_on_the_ticket(wechat_app, wechat_api) -> None:
    app = wechat_app()
    openid = new_openid()
    _sender, ticket_id, operator = open_ticket_for(app, openid)
    wechat_api.state.closed_window.add(openid)
    app.client.post(f"/api/operator/tickets/{ticket_id}/messages", json={"text": "请问您在吗？"}, headers=operator)
    app.drain()
    assert wechat_api.state.refused == [(openid, 45015)]
    detail = app.client.get(f"/api/operator/tickets/{ticket_id}", headers=operator).json()
    notes = [m["text"] for m in detail["messages"] if m["text"].startswith("【系统】")]
    assert len(notes) == 1 and "48小时" in notes[0]


def amr_speech(tmp_path, text: str, rate_wpm: int) -> bytes:
    """Mandarin speech from espeak-ng, encoded to AMR-NB by sox (the format WeChat stores voice messages in)."""
    if shutil.which("sox") is None or "amr-nb" not in subprocess.run(["sox", "-h"], capture_output=True,
                                                                     text=True).stdout:  # fmt: skip
        pytest.skip("sox with AMR-NB support is not installed")
    engine = EspeakEngine()
    if not engine.availability().ok:
        pytest.skip("espeak-ng is not installed")
    wav, amr = tmp_path / "speech.wav", tmp_path / "speech.amr"
    wav.write_bytes(engine.synthesize(text, rate_wpm).to_wav())
    subprocess.run(["sox", str(wav), "-r", "8000", "-c", "1", "-t", "amr-nb", str(amr)], check=True)
    return amr.read_bytes()


class RecordingEngine:
    """The configured speech-input engine, unchanged, with what it was given and what it said recorded."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self.heard: list[tuple[object, object]] = []

    def availability(self):
        return self._engine.availability()

    def transcribe(self, audio):
        result = self._engine.transcribe(audio)
        self.heard.append((audio, result))
        return result


def test_voice_without_recognition_is_downloaded_decoded_and_transcribed(wechat_app, wechat_api, tmp_path) -> None:
    """The real path: media download from the API, AMR-NB decoding, the configured engine (the keyword spotter
    with the shared model by default). Whether it hears a keyword in synthetic speech is the voice module's
    measurement; here the channel must hand over the whole utterance and act on exactly what the engine said."""
    app = wechat_app()
    if app.state.stt is None or not app.state.stt.availability().ok:
        pytest.skip("no speech-input engine available (the shared KWS model is missing)")
    engine = app.state.stt = RecordingEngine(app.state.stt)
    speech = EspeakEngine().synthesize("我要转人工", 140) if shutil.which("espeak-ng") else None
    wechat_api.state.media["voice-42"] = amr_speech(tmp_path, "我要转人工", 140)
    reply = reply_text(post(app, fixture("voice.xml", media_id="voice-42")))
    assert wechat_api.state.media_requests == ["voice-42"]
    [(audio, result)] = engine.heard
    seconds = len(audio.pcm) / 2 / audio.sample_rate
    assert abs(seconds - len(speech.pcm) / 2 / speech.sample_rate) < 0.1, "the whole utterance was decoded"
    if result.text:
        assert [text for _s, text, _c in app.chat.calls] == [result.text] and reply == f"收到：{result.text}"
    else:
        assert app.chat.calls == [] and reply == texts.VOICE_EMPTY


def test_voice_that_cannot_be_fetched_or_decoded_asks_for_text(wechat_app, wechat_api) -> None:
    app = wechat_app()
    if app.state.stt is None or not app.state.stt.availability().ok:
        pytest.skip("no speech-input engine available (the shared KWS model is missing)")
    wechat_api.state.media["broken"] = b"#!AMR\n" + b"\x00garbage" * 5
    assert reply_text(post(app, fixture("voice.xml", media_id="broken"))) == texts.VOICE_UNAVAILABLE
    assert reply_text(post(app, fixture("voice.xml", media_id="expired"))) == texts.VOICE_UNAVAILABLE  # 40007
    assert app.chat.calls == [] and wechat_api.state.media_requests == ["broken", "expired"]


def test_redis_outage_answers_without_dedupe_and_records_the_failed_push(wechat_app, wechat_api) -> None:
    """A private Redis that goes away: messages are still answered; a push that needs the token cache is recorded."""
    if not PrivateRedis.available():
        pytest.skip("redis-server not installed")
    server = PrivateRedis(free_port())
    server.start()
    try:
        app = wechat_app(redis_url=server.url, budget=0.05, delay=0.3)
        server.stop()
        openid = new_openid()
        quick = wechat_app(redis_url=server.url)
        assert reply_text(post(quick, fixture("text.xml", openid=openid, content="在吗"))) == "收到：在吗"
        assert post(app, fixture("text.xml", openid=openid)).text == "success"
        app.drain()
        assert app.state.wechat.channel.failures.counts[-1] == 1 and wechat_api.state.sent == []
    finally:
        server.destroy()
