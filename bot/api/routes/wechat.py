"""GET /wechat — URL verification; POST /wechat — messages from the 公众号 (plaintext or secure mode)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from bot.channels.wechat.crypto import CryptoError, signature_ok
from bot.channels.wechat.freshness import Refused
from bot.channels.wechat.parsing import BadMessage, Inbound, message_from, parse_message, parse_xml
from bot.channels.wechat.replies import encrypted_reply_xml, text_reply_xml
from bot.channels.wechat.setup import WeChatEndpoint

router = APIRouter(tags=["wechat"])


class BodyTooLarge(Exception):
    pass


def _endpoint(request: Request) -> WeChatEndpoint | None:
    return getattr(request.app.state, "wechat", None)


def _plain(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status)


@router.get("/wechat", response_class=PlainTextResponse)
async def verify(
    request: Request,
    signature: str = Query(default=""),
    timestamp: str = Query(default=""),
    nonce: str = Query(default=""),
    echostr: str = Query(default=""),
) -> PlainTextResponse:
    """Server URL verification: answer echostr when the signature is right and the timestamp fresh."""
    endpoint = _endpoint(request)
    if endpoint is None:
        return _plain(503, "wechat channel not configured")
    if not signature_ok((endpoint.token, timestamp, nonce), signature):
        return _plain(403, "invalid signature")
    try:
        endpoint.guard.check_fresh(timestamp)
    except Refused as exc:
        return _plain(403, str(exc))
    return PlainTextResponse(echostr)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


@router.post("/wechat")
async def receive(
    request: Request,
    signature: str = Query(default=""),
    timestamp: str = Query(default=""),
    nonce: str = Query(default=""),
    encrypt_type: str = Query(default="raw"),
    msg_signature: str = Query(default=""),
) -> Response:
    """One message or event. Answers a passive reply, or "success" (the reply, if any, is pushed later).

    Refused with 403 before any work: a wrong signature, a timestamp outside WECHAT_TIMESTAMP_WINDOW_SECONDS, a
    nonce replayed with another body, and plaintext when an EncodingAESKey is configured (secure mode required)."""
    endpoint = _endpoint(request)
    if endpoint is None:
        return _plain(503, "wechat channel not configured")
    if not signature_ok((endpoint.token, timestamp, nonce), signature):
        return _plain(403, "invalid signature")
    secure = encrypt_type.lower() == "aes"
    if endpoint.crypto is not None and not secure:
        return _plain(403, "plaintext refused: this account is configured for secure mode")
    try:
        endpoint.guard.check_fresh(timestamp)  # before reading the body: a stale request costs nothing
        body = await _read_body(request, endpoint.max_body_bytes)
    except BodyTooLarge:
        return _plain(413, "message too large")
    except Refused as exc:
        return _plain(403, str(exc))
    inbound = await _authentic_message(endpoint, body, secure, timestamp, nonce, msg_signature)
    if isinstance(inbound, Response):
        return inbound
    reply = await endpoint.channel.handle(inbound)
    if not reply:
        return PlainTextResponse("success")
    return _render(endpoint, inbound, reply, secure)


async def _authentic_message(
    endpoint: WeChatEndpoint, body: bytes, secure: bool, timestamp: str, nonce: str, msg_signature: str
) -> Inbound | Response:
    """The message, once every signature holds and its nonce was not used with another body; else the refusal."""
    try:
        outer = parse_xml(body)
        encrypted = outer.get("Encrypt", "").strip()
        if secure:
            if endpoint.crypto is None:
                return _plain(503, "secure mode is not configured (WECHAT_ENCODING_AES_KEY)")
            if not signature_ok((endpoint.token, timestamp, nonce, encrypted), msg_signature):
                return _plain(403, "invalid msg_signature")
        await endpoint.guard.check(timestamp, nonce, body)
        if not secure:
            return message_from(outer)
        try:
            return parse_message(endpoint.crypto.decrypt(encrypted))
        except CryptoError:
            return _plain(403, "message cannot be decrypted for this account")
    except Refused as exc:
        return _plain(403, str(exc))
    except BadMessage as exc:
        return _plain(400, f"bad message: {exc}")


def _render(endpoint: WeChatEndpoint, inbound: Inbound, reply: str, secure: bool) -> Response:
    xml = text_reply_xml(to_user=inbound.openid, from_user=inbound.account, content=reply)
    if secure and endpoint.crypto is not None:
        xml = encrypted_reply_xml(endpoint.crypto, xml)
    return Response(xml, media_type="application/xml")
