"""Issue 11 item 7: stale timestamps and replayed nonces are refused before any turn; secure mode is required once
an EncodingAESKey is configured."""

from __future__ import annotations

import time

from tests.channels.conftest import AES_KEY, TOKEN
from tests.channels.fake_wechat import APP_ID
from tests.channels.wechat_client import encrypted, fixture, new_openid, signed


def at(seconds_from_now: int) -> dict[str, str]:
    return signed(TOKEN, timestamp=str(int(time.time()) + seconds_from_now))


def test_stale_or_future_timestamps_are_refused(wechat_app) -> None:
    app = wechat_app()
    # 30 s beyond the 300 s window either way: a loaded machine may take seconds between signing and checking
    for query in (at(-330), at(+330), at(-(10**6)), signed(TOKEN, timestamp="not-a-time")):
        response = app.client.post("/wechat", params=query, content=fixture("text.xml"))
        assert response.status_code == 403, query
    assert app.chat.calls == []
    assert app.client.post("/wechat", params=at(-200), content=fixture("text.xml")).status_code == 200
    assert len(app.chat.calls) == 1


def test_the_window_is_a_setting(wechat_app) -> None:
    app = wechat_app(wechat_timestamp_window_seconds=30)
    assert app.client.post("/wechat", params=at(-60), content=fixture("text.xml")).status_code == 403
    assert app.chat.calls == []


def test_url_verification_needs_a_fresh_timestamp(wechat_app) -> None:
    app = wechat_app()
    assert app.client.get("/wechat", params=at(-3600) | {"echostr": "42"}).status_code == 403
    assert app.client.get("/wechat", params=at(0) | {"echostr": "42"}).text == "42"


def test_a_captured_query_replayed_with_another_body_is_refused(wechat_app) -> None:
    """The plaintext signature does not cover the body: the nonce memory is what stops a replay."""
    app = wechat_app()
    query = signed(TOKEN)
    first = fixture("text.xml", content="你好")
    assert app.client.post("/wechat", params=query, content=first).status_code == 200
    forged = fixture("text.xml", content="转人工")
    replay = app.client.post("/wechat", params=query, content=forged)
    assert replay.status_code == 403 and replay.text == "replayed nonce"
    again = app.client.post("/wechat", params=query, content=first)  # WeChat retrying the same delivery
    assert again.status_code == 200 and again.text == "success"
    assert [text for _sender, text, _channel in app.chat.calls] == ["你好"]


def test_nonces_are_shared_through_redis_by_all_gateways(wechat_app) -> None:
    one, two = wechat_app(), wechat_app()
    query = signed(TOKEN)
    assert one.client.post("/wechat", params=query, content=fixture("text.xml")).status_code == 200
    assert two.client.post("/wechat", params=query, content=fixture("text.xml")).status_code == 403
    assert two.chat.calls == []


def test_nonces_are_remembered_in_memory_without_redis(wechat_app) -> None:
    app = wechat_app(redis_url=None)
    query = signed(TOKEN)
    assert app.client.post("/wechat", params=query, content=fixture("text.xml")).status_code == 200
    assert app.client.post("/wechat", params=query, content=fixture("text.xml")).status_code == 403
    assert len(app.chat.calls) == 1


def test_plaintext_is_refused_when_secure_mode_is_configured(wechat_app) -> None:
    app = wechat_app(wechat_encoding_aes_key=AES_KEY)
    openid = new_openid()
    plain = app.client.post("/wechat", params=signed(TOKEN), content=fixture("text.xml", openid=openid))
    assert plain.status_code == 403 and "secure mode" in plain.text
    assert app.chat.calls == []
    query, body = encrypted(TOKEN, AES_KEY, APP_ID, fixture("text.xml", openid=openid, content="护理补贴"))
    secure = app.client.post("/wechat", params=query, content=body)
    assert secure.status_code == 200 and "<Encrypt>" in secure.text
    assert [text for _sender, text, _channel in app.chat.calls] == ["护理补贴"]


def test_secure_mode_replay_with_the_same_signature_is_answered_once(wechat_app) -> None:
    app = wechat_app(wechat_encoding_aes_key=AES_KEY)
    query, body = encrypted(TOKEN, AES_KEY, APP_ID, fixture("text.xml", content="你好"))
    _, other = encrypted(TOKEN, AES_KEY, APP_ID, fixture("text.xml", content="转人工"))
    assert app.client.post("/wechat", params=query, content=body).status_code == 200
    assert app.client.post("/wechat", params=query, content=other).status_code == 403  # msg_signature
    assert len(app.chat.calls) == 1


def test_a_non_ascii_signature_is_403_not_a_crash(wechat_app) -> None:
    """Found by the fuzzer (tests/fuzz): hmac.compare_digest refused non-ASCII text, a 500 without any login."""
    app = wechat_app()
    query = signed(TOKEN) | {"signature": "é" * 40}
    assert app.client.get("/wechat", params=query | {"echostr": "1"}).status_code == 403
    assert app.client.post("/wechat", params=query, content=fixture("text.xml")).status_code == 403
    assert app.chat.calls == []
