"""Signatures, secure mode against the official sample, and hostile XML: refused before any bot turn."""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml.ElementTree import fromstring

from bot.channels.wechat.crypto import CryptoError, MessageCrypto, sha1_signature
from bot.channels.wechat.parsing import BadMessage, parse_message
from tests.channels.conftest import AES_KEY, TOKEN
from tests.channels.fake_wechat import APP_ID
from tests.channels.wechat_client import FIXTURES, fixture, new_openid, signed

# The published sample of Tencent's WXBizMsgCrypt (see tests/data/wechat/README.md).
SAMPLE = {"token": "spamtest", "timestamp": "1409735669", "nonce": "1320562132",
          "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa", "app_id": "wx2c2769f8efd9abc2"}  # fmt: skip
SAMPLE_XML = (FIXTURES / "secure_official_sample.xml").read_text()
SAMPLE_ENCRYPT = fromstring(SAMPLE_XML).findtext("Encrypt")


def test_signatures_match_published_vectors() -> None:
    assert sha1_signature("789", "456", "123") == "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
    assert sha1_signature("spamtest", "1409735669", "1320562132") == "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
    crypto = MessageCrypto("spamtest", AES_KEY, SAMPLE["app_id"])
    assert crypto.signature(SAMPLE["timestamp"], SAMPLE["nonce"], SAMPLE_ENCRYPT) == SAMPLE["msg_signature"]


def test_official_sample_decrypts_and_checks_the_app_id() -> None:
    message = parse_message(MessageCrypto("spamtest", AES_KEY, SAMPLE["app_id"]).decrypt(SAMPLE_ENCRYPT))
    assert (message.openid, message.msg_type) == ("oyORnuP8q7ou2gfYjqLzSIWZf0rs", "text")
    assert message.get("Content") == "abcdteT"
    with pytest.raises(CryptoError, match="another AppID"):
        MessageCrypto("spamtest", AES_KEY, "wx0000000000000000").decrypt(SAMPLE_ENCRYPT)
    tampered = base64.b64encode(bytes(b ^ 1 for b in base64.b64decode(SAMPLE_ENCRYPT))).decode()
    with pytest.raises(CryptoError):
        MessageCrypto("spamtest", AES_KEY, SAMPLE["app_id"]).decrypt(tampered)


def test_encryption_matches_the_official_java_sample_and_cryptography_step_by_step() -> None:
    crypto = MessageCrypto("pamtest", AES_KEY, "wxb11529c136998cb6")
    expected = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
    assert crypto.encrypt("我是中文abcd123", random16=b"aaaabbbbccccdddd") == expected
    # Independently: AES-256-CBC, key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 to 32 bytes.
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(crypto.encrypt("长一点的回复" * 7))) + decryptor.finalize()
    assert len(plain) % 32 == 0 and 1 <= plain[-1] <= 32
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    assert plain[20 : 20 + length].decode() == "长一点的回复" * 7 and plain[20 + length :] == b"wxb11529c136998cb6"


def test_url_verification(wechat_app) -> None:
    app = wechat_app()
    good = app.client.get("/wechat", params=signed(TOKEN) | {"echostr": "8246532781"})
    assert good.status_code == 200 and good.text == "8246532781"
    query = signed(TOKEN) | {"echostr": "8246532781"}
    query["signature"] = "0" * 40
    assert app.client.get("/wechat", params=query).status_code == 403
    assert app.client.get("/wechat", params={"echostr": "x"}).status_code == 403


def test_wrong_signature_gets_403_and_no_turn(wechat_app) -> None:
    app = wechat_app()
    query = signed(TOKEN)
    query["nonce"] += "1"  # signed over a different nonce
    response = app.client.post("/wechat", params=query, content=fixture("text.xml"))
    assert response.status_code == 403 and app.chat.calls == []
    other = signed("not-our-token")
    assert app.client.post("/wechat", params=other, content=fixture("text.xml")).status_code == 403
    assert app.chat.calls == []


def test_secure_mode_official_sample_round_trip(wechat_app) -> None:
    """The official sample message through the route; the encrypted reply is opened with plain primitives."""
    app = wechat_app(wechat_token=SAMPLE["token"], wechat_app_id=SAMPLE["app_id"], wechat_encoding_aes_key=AES_KEY)
    query = fresh_sample_query()
    query |= {"encrypt_type": "aes", "openid": "oyORnuP8q7ou2gfYjqLzSIWZf0rs"}
    response = app.client.post("/wechat", params=query, content=SAMPLE_XML)
    assert response.status_code == 200, response.text
    assert [text for _sender, text, _channel in app.chat.calls] == ["abcdteT"]
    sender = app.chat.calls[0][0]
    assert sender.startswith("wx_") and "oyORnuP8q7ou2gfYjqLzSIWZf0rs" not in sender

    reply = fromstring(response.text)
    encrypted, nonce, timestamp = reply.findtext("Encrypt"), reply.findtext("Nonce"), reply.findtext("TimeStamp")
    expected_signature = hashlib.sha1("".join(sorted([SAMPLE["token"], timestamp, nonce, encrypted])).encode())
    assert reply.findtext("MsgSignature") == expected_signature.hexdigest()
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    assert plain[20 + length :].decode() == SAMPLE["app_id"]
    inner = fromstring(plain[20 : 20 + length].decode())
    assert inner.findtext("ToUserName") == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert inner.findtext("FromUserName") == "gh_10f6c3c3ac5a"
    assert inner.findtext("Content") == "收到：abcdteT"


def fresh_sample_query() -> dict[str, str]:
    """The official sample's nonce with today's timestamp (the sample's own, 2014, is stale), signed anew."""
    query = signed(SAMPLE["token"], nonce=SAMPLE["nonce"])
    msg_signature = sha1_signature(SAMPLE["token"], query["timestamp"], SAMPLE["nonce"], SAMPLE_ENCRYPT)
    return query | {"msg_signature": msg_signature}


def test_secure_mode_refuses_a_wrong_msg_signature_or_app_id(wechat_app) -> None:
    query = fresh_sample_query() | {"encrypt_type": "aes"}
    app = wechat_app(wechat_token=SAMPLE["token"], wechat_app_id=SAMPLE["app_id"], wechat_encoding_aes_key=AES_KEY)
    bad = app.client.post("/wechat", params=query | {"msg_signature": "f" * 40}, content=SAMPLE_XML)
    assert bad.status_code == 403 and bad.text == "invalid msg_signature"
    other_account = wechat_app(
        wechat_token=SAMPLE["token"], wechat_app_id=APP_ID.replace("2", "3"), wechat_encoding_aes_key=AES_KEY
    )
    refused = other_account.client.post("/wechat", params=query, content=SAMPLE_XML)
    assert refused.status_code == 403 and "another AppID" not in refused.text
    assert app.chat.calls == [] and other_account.chat.calls == []


def test_xxe_is_refused_and_reads_no_file(wechat_app, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7781")
    body = fixture("xxe.xml", path=str(secret))
    with pytest.raises(BadMessage, match="DTDForbidden"):
        parse_message(body)
    app = wechat_app()
    response = app.client.post("/wechat", params=signed(TOKEN), content=body)
    assert response.status_code == 400
    assert "TOP-SECRET" not in response.text and app.chat.calls == []
    lower = body.replace("<!DOCTYPE", "<!doctype")
    assert app.client.post("/wechat", params=signed(TOKEN), content=lower).status_code == 400


@pytest.mark.timeout(10)
def test_billion_laughs_is_refused_at_the_dtd(wechat_app) -> None:
    """Refused at the DOCTYPE, before any entity is expanded (the timeout only guards against a hang)."""
    body = fixture("billion_laughs.xml")
    with pytest.raises(BadMessage, match="DTDForbidden"):
        parse_message(body)
    app = wechat_app()
    response = app.client.post("/wechat", params=signed(TOKEN), content=body)
    assert response.status_code == 400 and app.chat.calls == []


def test_oversized_body_gets_413_and_no_turn(wechat_app) -> None:
    app = wechat_app(wechat_max_body_bytes=4096)
    big = fixture("text.xml", content="补贴" * 3000)
    assert app.client.post("/wechat", params=signed(TOKEN), content=big).status_code == 413

    def chunks():  # no Content-Length: the limit holds while streaming too
        for _ in range(10):
            yield ("补贴" * 300).encode()

    assert app.client.post("/wechat", params=signed(TOKEN), content=chunks()).status_code == 413
    assert app.chat.calls == []


def test_not_a_message_gets_400(wechat_app) -> None:
    app = wechat_app()
    for body in ("not xml", "<other/>", "<xml><Content>no sender</Content></xml>"):
        assert app.client.post("/wechat", params=signed(TOKEN), content=body).status_code == 400
    assert app.chat.calls == []


def test_sender_id_is_stable_and_reveals_no_openid(wechat_app) -> None:
    app = wechat_app()
    openid = new_openid()
    for _ in range(2):
        app.client.post("/wechat", params=signed(TOKEN), content=fixture("text.xml", openid=openid))
    first, second = (call[0] for call in app.chat.calls)
    assert first == second and openid not in first and len(first) == 35
