"""Talk to the Rasa server (REST channel) and the action server over HTTP."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from bot.dialogue.asyncio_stream import AsyncioBackend
from bot.dialogue.one_write import OneWriteBackend


class DialogueUnavailable(Exception):
    """Rasa or the action server cannot answer right now."""

    def __init__(self, component: str) -> None:
        super().__init__(f"{component} unavailable")
        self.component = component


@dataclass
class BotMessage:
    """One message from the bot, as the channels render it."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def _to_message(raw: dict[str, Any]) -> BotMessage | None:
    text = raw.get("text")
    if not isinstance(text, str) or not text:
        return None
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw.get("buttons") or []
        if isinstance(b, dict)
    ]
    return BotMessage(text=text, buttons=buttons)


@dataclass
class TurnResult:
    """What one Rasa turn returned: the bot's messages and, from the turn channel, how the message was understood
    (`state`: {"latest_message": {intent, response_selector}, "active_loop": {"name"}}; empty from plain REST)."""

    messages: list[BotMessage]
    state: dict[str, Any] = field(default_factory=dict)


TURN_WEBHOOK = "/webhooks/turn/webhook"  # bot/dialogue/turn_channel.py, loaded into Rasa by the launcher
REST_WEBHOOK = "/webhooks/rest/webhook"
JSON_HEADERS = [(b"Content-Type", b"application/json")]
TURN_ERRORS = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol)


class RasaClient:
    """A pooled HTTP client for one Rasa server and its action server."""

    def __init__(self, rasa_url: str, action_server_url: str, token: str = "", timeout: float = 15.0):
        self._rasa_url = rasa_url.rstrip("/")
        self._action_url = action_server_url.rstrip("/")
        self._token = token
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=50)
        # The client (tracker, events, status, model admin) keeps httpx's full stack; the turn, one fixed JSON POST
        # per chat turn, goes through httpcore's connection pool directly, sent in one write (bot/dialogue/one_write)
        # over plain asyncio connections (bot/dialogue/asyncio_stream; a Rasa on https keeps httpcore's own backend).
        self._http = httpx.AsyncClient(timeout=timeout, limits=limits)
        backend = OneWriteBackend(AsyncioBackend() if self._rasa_url.startswith("http://") else None)
        self._turn_pool = httpcore.AsyncConnectionPool(
            max_connections=limits.max_connections, max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry, network_backend=backend,
        )  # fmt: skip
        self._turn_extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
        self._webhook = TURN_WEBHOOK
        # Parsed once, not per turn.
        self._turn_urls = {hook: httpcore.URL(f"{self._rasa_url}{hook}") for hook in (TURN_WEBHOOK, REST_WEBHOOK)}
        self.requests = 0  # requests sent to Rasa (turns, tracker reads, events, status): GET /metrics

    @property
    def http(self) -> httpx.AsyncClient:
        """The pooled connection to Rasa, shared by the gateway's other Rasa calls (model admin)."""
        return self._http

    async def close(self) -> None:
        await self._http.aclose()
        await self._turn_pool.aclose()

    async def send(
        self, sender_id: str, text: str, channel: str | None = None, client_tag: str | None = None
    ) -> list[BotMessage]:
        """The bot's messages for one user message (see `turn`)."""
        return (await self.turn(sender_id, text, channel, client_tag)).messages

    async def turn(
        self,
        sender_id: str,
        text: str,
        channel: str | None = None,
        client_tag: str | None = None,
        written: str | None = None,
    ) -> TurnResult:
        """Send one user message through Rasa's turn webhook (its REST webhook when Rasa lacks the turn channel);
        return the bot's messages and how the message was understood, in one request.

        `channel` (web / wechat / voice) rides along as the message's `input_channel` and `metadata.channel`,
        both read by Rasa's REST input, so actions see where the resident wrote from (not "rest"). `client_tag`
        (bot/services/client_tags.py) rides along as `metadata.client` for the actions to pass back; `written` (the
        message as the resident wrote it, when it differs from `text`: traditional characters) as `metadata.written`."""
        body: dict[str, Any] = {"sender": sender_id, "message": text}
        pairs = (("channel", channel), ("client", client_tag), ("written", written))
        metadata = {key: value for key, value in pairs if value}
        if channel:
            body["input_channel"] = channel
        if metadata:
            body["metadata"] = metadata
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            status, payload = await self._post_turn(content)
            if status == 404 and self._webhook == TURN_WEBHOOK:
                self._webhook = REST_WEBHOOK  # a Rasa started without the turn channel: messages only
                status, payload = await self._post_turn(content)
            if status >= 400:
                raise DialogueUnavailable("rasa")
            raw = json.loads(payload)
        except (*TURN_ERRORS, ValueError) as exc:
            raise DialogueUnavailable("rasa") from exc
        state: dict[str, Any] = {}
        if isinstance(raw, dict):  # the turn channel: {"messages": [...], "state": {...}}
            state = raw.get("state") if isinstance(raw.get("state"), dict) else {}
            raw = raw.get("messages") or []
        messages = [m for m in (_to_message(r) for r in raw if isinstance(r, dict)) if m is not None]
        if not messages and not await self.action_server_ready():
            # Rasa swallows action-server failures and answers with nothing.
            raise DialogueUnavailable("action_server")
        return TurnResult(messages, state)

    async def _post_turn(self, content: bytes) -> tuple[int, bytes]:
        """POST one turn through httpcore's pool (it adds Host and Content-Length): no httpx request and response
        objects, no per-request auth/redirect/cookie/log layers for this one fixed JSON request, and the request
        leaves in one socket write. Raises httpcore's errors (TURN_ERRORS)."""
        self.requests += 1
        response = await self._turn_pool.request(
            b"POST", self._turn_urls[self._webhook], headers=JSON_HEADERS, content=content,
            extensions=self._turn_extensions,
        )  # fmt: skip
        return response.status, response.content

    def _auth(self) -> dict[str, str] | None:
        return {"token": self._token} if self._token else None

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation's tracker (events and slots) from Rasa's HTTP API."""
        self.requests += 1
        try:
            response = await self._http.get(f"{self._rasa_url}/conversations/{sender_id}/tracker", params=self._auth())
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DialogueUnavailable("rasa") from exc

    async def append_event(self, sender_id: str, event: dict[str, Any]) -> None:
        """Append an event (e.g. {"event": "resume"}) to the conversation through the tracker events API."""
        self.requests += 1
        try:
            response = await self._http.post(
                f"{self._rasa_url}/conversations/{sender_id}/tracker/events", params=self._auth(), json=event
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise DialogueUnavailable("rasa") from exc

    async def rasa_ready(self) -> bool:
        """Rasa is up and has a model loaded."""
        self.requests += 1
        try:
            response = await self._http.get(f"{self._rasa_url}/status", params=self._auth(), timeout=3.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def action_server_ready(self) -> bool:
        """The action server answers its health check."""
        try:
            response = await self._http.get(f"{self._action_url}/health", timeout=3.0)
            return response.status_code == 200
        except httpx.HTTPError:
            return False
