"""The input half of the WeChat channel: one verified message in, at most one reply out.

The first delivery of a message runs the turn; WeChat's retries of it (same MsgId, or same sender and CreateTime
for events) only get "success". If the turn finishes within the budget the reply goes back passively in the HTTP
answer; otherwise the answer is "success" at once and the reply is pushed as a customer-service message when the
turn is done. Operator replies to WeChat residents are pushed the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable
from typing import Any

from redis.exceptions import LockError, RedisError

from bot.channels.wechat import texts
from bot.channels.wechat.api import WeChatAPI, WeChatAPIError
from bot.channels.wechat.failures import FailureLog
from bot.channels.wechat.identity import Directory, is_wechat_sender
from bot.channels.wechat.parsing import Inbound
from bot.channels.wechat.replies import ButtonMemory, render_turn, split_text
from bot.channels.wechat.speech import SpeechUnavailable, transcribe_voice
from bot.channels.wechat.store import TTLStore
from bot.dialogue.client import DialogueUnavailable
from bot.services import messages
from bot.services.chat import ChatTurn, TextTooLong

log = logging.getLogger(__name__)


class WeChatChannel:
    """Runs turns for WeChat messages and delivers their replies (passively or by push)."""

    def __init__(
        self,
        state: Any,  # the app's state: chat_service, escalation, stt are read at use time
        store: TTLStore,
        directory: Directory,
        api: WeChatAPI | None,
        failures: FailureLog,
        budget_seconds: float,
        dedupe_ttl_seconds: float,
    ) -> None:
        self._state = state
        self._store = store
        self.directory = directory
        self.api = api
        self.failures = failures
        self._budget = budget_seconds
        self._dedupe_ttl = dedupe_ttl_seconds
        self._buttons = ButtonMemory(store)
        self._background: set[asyncio.Task] = set()
        self.turns_started = 0

    # -- inbound ------------------------------------------------------------------------------------------------

    async def first_delivery(self, inbound: Inbound) -> bool:
        """True only for the first delivery of this message (WeChat retries up to three times)."""
        key = "wechat:seen:" + hashlib.sha256(inbound.dedupe_id.encode()).hexdigest()[:32]
        try:
            return await self._store.add(key, "1", self._dedupe_ttl)
        except RedisError:
            log.warning("wechat: Redis unavailable, message handled without dedupe")
            return True

    async def handle(self, inbound: Inbound) -> str | None:
        """The passive reply text, or None to answer "success" (nothing to say, a retry, or a push follows)."""
        if not await self.first_delivery(inbound):
            log.info("wechat: retry of a message already handled, answered 'success'")
            return None
        openid = inbound.openid
        sender_id = self.directory.sender_id(openid)
        try:
            await self.directory.remember(openid)
        except RedisError:
            log.warning("wechat: Redis unavailable, operator replies cannot be pushed to sender=%s", sender_id)
        work = self._reply_for(inbound, sender_id)
        if work is None:
            return None
        task = asyncio.create_task(work)
        done, _pending = await asyncio.wait({task}, timeout=self._budget)
        if not done:
            log.info("wechat: sender=%s turn slower than %.2f s, the reply will be pushed", sender_id, self._budget)
            self._spawn(self._push_when_done(task, sender_id, openid))
            return None
        try:
            text = task.result()
        except Exception:  # noqa: BLE001 - e.g. a voice message that broke the decoder: still answer
            log.exception("wechat: reply failed")
            text = messages.UNAVAILABLE
        pieces = split_text(text or "")
        if len(pieces) > 1:
            self._spawn(self._push(sender_id, openid, pieces[1:], "bot"))
        return pieces[0] if pieces else None

    def _reply_for(self, inbound: Inbound, sender_id: str) -> Awaitable[str | None] | None:
        kind = inbound.msg_type
        if kind == "text":
            return self._turn(sender_id, inbound.get("Content"))
        if kind == "voice":
            return self._voice_turn(sender_id, inbound)
        if kind == "event":
            event = inbound.get("Event").lower()
            if event == "subscribe":
                return _constant(texts.WELCOME)
            if event == "click":
                key = inbound.get("EventKey")
                if key in texts.MENU_QUESTIONS:
                    return self._turn(sender_id, texts.MENU_QUESTIONS[key])
                return _constant(texts.MENU_TEXTS.get(key, texts.HELP))
            return None  # unsubscribe, VIEW, LOCATION …: nothing to say
        return _constant(texts.UNSUPPORTED)

    async def _turn(self, sender_id: str, text: str) -> str | None:
        with contextlib.suppress(RedisError):
            text = await self._buttons.resolve(sender_id, text)
        self.turns_started += 1
        try:
            turn: ChatTurn = await self._state.chat_service.handle(sender_id, text, channel="wechat")
        except TextTooLong as exc:
            return str(exc)
        except DialogueUnavailable:
            return messages.UNAVAILABLE
        except Exception:  # noqa: BLE001 - the resident still gets an answer
            log.exception("wechat: turn failed")
            return messages.UNAVAILABLE
        rendered, payloads = render_turn(turn)
        with contextlib.suppress(RedisError):
            await self._buttons.remember(sender_id, payloads)
        return rendered or None

    async def _voice_turn(self, sender_id: str, inbound: Inbound) -> str | None:
        recognition = inbound.get("Recognition")
        if recognition:
            return await self._turn(sender_id, recognition)
        try:
            text = await transcribe_voice(self.api, getattr(self._state, "stt", None), inbound)
        except SpeechUnavailable as exc:
            log.info("wechat: voice message not transcribed: %s", exc)
            return texts.VOICE_UNAVAILABLE
        if not text:
            return texts.VOICE_EMPTY
        return await self._turn(sender_id, text)

    # -- outbound -----------------------------------------------------------------------------------------------

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _push_when_done(self, task: asyncio.Task, sender_id: str, openid: str) -> None:
        try:
            text = await task
        except Exception:  # noqa: BLE001
            log.exception("wechat: turn failed")
            text = messages.UNAVAILABLE
        if text:
            await self._push(sender_id, openid, split_text(text), "bot")

    async def _push(self, sender_id: str, openid: str, pieces: list[str], kind: str) -> bool:
        if self.api is None:
            self.failures.record(sender_id, -1, "WECHAT_APP_ID/WECHAT_APP_SECRET not set, cannot push", kind)
            return False
        for piece in pieces:
            try:
                await self.api.send_text(openid, piece)
            except WeChatAPIError as exc:
                self.failures.record(sender_id, exc.errcode, exc.errmsg, kind)
                return False
            except (RedisError, LockError) as exc:  # the token cache is unreachable
                self.failures.record(sender_id, -1, f"token store unavailable: {type(exc).__name__}", kind)
                return False
        return True

    def resident_notified(self, sender_id: str) -> None:
        """Hub listener: something new (an operator's reply, the hand-back) waits for this resident."""
        if is_wechat_sender(sender_id):
            self._spawn(self._push_person_messages(sender_id))

    async def _push_person_messages(self, sender_id: str) -> None:
        try:
            openid = await self.directory.openid(sender_id)
        except RedisError:
            self.failures.record(sender_id, -1, "Redis unavailable: the resident's openid cannot be read", "operator")
            return
        if openid is None:
            self.failures.record(sender_id, 45015, "no message from the resident within 48 hours", "operator")
            return
        person_messages = await self._state.escalation.take_unseen(sender_id)
        if person_messages:
            text, _ = render_turn(ChatTurn([], None, person_messages))
            await self._push(sender_id, openid, split_text(text), "operator")

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for pending pushes (at shutdown, and in tests)."""
        if self._background:
            await asyncio.wait(set(self._background), timeout=timeout)


async def _constant(text: str) -> str:
    return text
