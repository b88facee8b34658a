"""Client of the WeChat server API: access token (cached for all workers), customer-service messages, media.

The access token is cached with its expiry in the shared store and fetched under a lock, so that many workers
ask WeChat for a new one only once. A call answered with 40001/40014/42001 (token invalid or expired) refreshes
the token once and is retried once.
"""

from __future__ import annotations

import json
import logging
import re

import httpx

from bot.channels.wechat.store import TTLStore

log = logging.getLogger(__name__)

TOKEN_KEY = "wechat:access_token"
TOKEN_INVALID = frozenset({40001, 40014, 42001})
OUT_OF_WINDOW = 45015  # the 48-hour customer-service window is over (or the resident unfollowed)
_SECRET_PARAMS = re.compile(r"(access_token|secret)=[^&\s\"']+")


class _RedactSecrets(logging.Filter):
    """httpx logs request URLs at INFO; WeChat puts the token and the AppSecret in the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_PARAMS.sub(r"\1=***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


logging.getLogger("httpx").addFilter(_RedactSecrets())


class WeChatAPIError(Exception):
    """WeChat answered with an error code (or could not be reached: code -1)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeChatAPI:
    """The few endpoints the channel needs, against a configurable base URL."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        app_secret: str,
        store: TTLStore,
        http: httpx.AsyncClient | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._app_id = app_id
        self._secret = app_secret
        self._store = store
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self.token_fetches = 0

    async def close(self) -> None:
        await self._http.aclose()

    async def access_token(self, stale: str | None = None) -> str:
        """The cached token, or a new one (also when the cached one equals `stale`, a token WeChat refused)."""
        cached = await self._store.get(TOKEN_KEY)
        if cached and cached != stale:
            return cached
        async with self._store.lock(TOKEN_KEY + ":lock", timeout=15):
            cached = await self._store.get(TOKEN_KEY)  # another worker may have refreshed it meanwhile
            if cached and cached != stale:
                return cached
            params = {"grant_type": "client_credential", "appid": self._app_id, "secret": self._secret}
            data = await self._json("GET", "/cgi-bin/token", params=params)
            token = data.get("access_token")
            if not isinstance(token, str) or not token:
                raise WeChatAPIError(int(data.get("errcode", -1)), str(data.get("errmsg", "no access_token")))
            self.token_fetches += 1
            expires_in = int(data.get("expires_in", 7200))
            await self._store.put(TOKEN_KEY, token, max(30, expires_in - 300))  # renew five minutes early
            log.info("wechat: new access token, valid %d s", expires_in)
            return token

    async def send_text(self, openid: str, content: str) -> None:
        """Send a customer-service (客服) text message."""
        body = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        await self._with_token("POST", "/cgi-bin/message/custom/send", body=body)

    async def get_media(self, media_id: str) -> bytes:
        """Download a temporary media file (a voice message's AMR audio)."""
        return await self._with_token("GET", "/cgi-bin/media/get", params={"media_id": media_id}, raw=True)

    async def _with_token(self, method: str, path: str, *, params: dict | None = None, body: dict | None = None,
                          raw: bool = False):  # fmt: skip
        token = await self.access_token()
        for attempt in range(2):
            query = {"access_token": token, **(params or {})}
            try:
                response = await self._request(method, path, params=query, body=body)
            except WeChatAPIError as exc:
                if exc.errcode in TOKEN_INVALID and attempt == 0:
                    log.info("wechat: access token refused (%d), refreshing once", exc.errcode)
                    token = await self.access_token(stale=token)
                    continue
                raise
            if raw:
                return response.content
            return response.json()
        raise AssertionError("unreachable")

    async def _request(self, method: str, path: str, *, params: dict, body: dict | None = None) -> httpx.Response:
        """One request; JSON error bodies become WeChatAPIError (media downloads answer with the file itself)."""
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Content-Type": "application/json; charset=utf-8"} if body is not None else None
        try:
            response = await self._http.request(method, self._base + path, params=params, content=content,
                                                headers=headers)  # fmt: skip
        except httpx.HTTPError as exc:
            raise WeChatAPIError(-1, f"unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise WeChatAPIError(-1, f"HTTP {response.status_code}")
        kind = response.headers.get("content-type", "")
        if "json" in kind or "text/plain" in kind:
            try:
                data = response.json()
            except ValueError as exc:
                if "json" in kind:
                    raise WeChatAPIError(-1, "invalid JSON") from exc
                return response
            if isinstance(data, dict) and int(data.get("errcode", 0) or 0) != 0:
                raise WeChatAPIError(int(data["errcode"]), str(data.get("errmsg", "")))
        return response

    async def _json(self, method: str, path: str, *, params: dict) -> dict:
        response = await self._request(method, path, params=params)
        try:
            data = response.json()
        except ValueError as exc:
            raise WeChatAPIError(-1, "invalid JSON") from exc
        return data if isinstance(data, dict) else {}
