"""The output half: a chat turn as WeChat text, passive reply XML (plain or encrypted), and size limits.

A WeChat text message has no buttons, so buttons become numbered lines; the resident answers with the number
(`ButtonMemory` turns it back into the button's payload on the next message).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from xml.sax.saxutils import escape

from bot.channels.wechat.crypto import MessageCrypto
from bot.channels.wechat.store import TTLStore
from bot.channels.wechat.texts import PICK_NUMBER
from bot.services.chat import ChatTurn

MAX_TEXT_BYTES = 2000  # WeChat refuses longer text messages ("content size out of limit")
BUTTONS_TTL_SECONDS = 24 * 3600
_NUMBER = re.compile(r"^\s*([0-9０-９]{1,2})\s*[.。、]?\s*$")


def render_turn(turn: ChatTurn) -> tuple[str, list[str]]:
    """The turn as one text (bot messages, numbered buttons, operator messages) and the buttons' payloads."""
    parts: list[str] = []
    payloads: list[str] = []
    for message in turn.messages:
        parts.append(message.text)
        if message.buttons:
            lines = [PICK_NUMBER]
            for button in message.buttons:
                payloads.append(button["payload"])
                lines.append(f"{len(payloads)}. {button['title']}")
            parts.append("\n".join(lines))
    for message in turn.person_messages:
        prefix = "人工客服：" if message.get("author") == "operator" else ""
        parts.append(prefix + message["text"])
    return "\n\n".join(p for p in parts if p), payloads


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while len(line.encode()) > limit:  # one very long line: cut by characters
            cut = len(line.encode()[:limit].decode(errors="ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current:
        pieces.append(current)
    return pieces


def text_reply_xml(to_user: str, from_user: str, content: str, now: int | None = None) -> str:
    """A passive text reply (被动回复文本消息)."""
    return (
        f"<xml><ToUserName>{escape(to_user)}</ToUserName><FromUserName>{escape(from_user)}</FromUserName>"
        f"<CreateTime>{now or int(time.time())}</CreateTime><MsgType>text</MsgType>"
        f"<Content>{escape(content)}</Content></xml>"
    )


def encrypted_reply_xml(crypto: MessageCrypto, reply_xml: str, timestamp: str | None = None) -> str:
    """The reply wrapped for secure mode: Encrypt, MsgSignature, TimeStamp, Nonce."""
    timestamp = timestamp or str(int(time.time()))
    nonce = str(secrets.randbelow(10**10))
    encrypted = crypto.encrypt(reply_xml)
    signature = crypto.signature(timestamp, nonce, encrypted)
    return (
        f"<xml><Encrypt>{escape(encrypted)}</Encrypt><MsgSignature>{signature}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{nonce}</Nonce></xml>"
    )


class ButtonMemory:
    """The last numbered buttons shown to each resident, so that "2" means the second button."""

    def __init__(self, store: TTLStore) -> None:
        self._store = store

    async def remember(self, sender_id: str, payloads: list[str]) -> None:
        key = f"wechat:buttons:{sender_id}"
        if payloads:
            await self._store.put(key, json.dumps(payloads, ensure_ascii=False), BUTTONS_TTL_SECONDS)
        else:
            await self._store.delete(key)

    async def resolve(self, sender_id: str, text: str) -> str:
        """The payload of the chosen button when the text is just its number; otherwise the text itself."""
        match = _NUMBER.match(text)
        if not match:
            return text
        raw = await self._store.get(f"wechat:buttons:{sender_id}")
        if not raw:
            return text
        payloads = json.loads(raw)
        index = int(match.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))) - 1
        return payloads[index] if 0 <= index < len(payloads) else text
