"""Ask the running Rasa server which model it serves, and swap it (PUT /model) without a restart."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx


class ModelSwapFailed(Exception):
    """Rasa refused or failed to load the model; the previous model keeps serving."""


class RasaAdmin:
    """Rasa's model API (needs `--enable-api` and the auth token)."""

    def __init__(
        self, rasa_url: str, token: str, load_timeout: float = 180.0, http: httpx.AsyncClient | None = None
    ) -> None:
        self._url = rasa_url.rstrip("/")
        self._params = {"token": token} if token else {}
        self._load_timeout = load_timeout
        self._http = http  # the gateway's one pooled Rasa client (bot/dialogue/client.py); None = a client per call

    @contextlib.asynccontextmanager
    async def _client(self, timeout: float) -> AsyncIterator[httpx.AsyncClient]:
        if self._http is not None:
            yield self._http
            return
        async with httpx.AsyncClient(timeout=timeout) as http:
            yield http

    async def live_model(self) -> str | None:
        """The file name of the model Rasa serves now (None when Rasa is down or has none)."""
        try:
            async with self._client(5.0) as http:
                response = await http.get(f"{self._url}/status", params=self._params, timeout=5.0)
            if response.status_code != 200:
                return None
            model_file = response.json().get("model_file")
            return Path(model_file).name if model_file else None
        except (httpx.HTTPError, ValueError):
            return None

    async def replace_model(self, path: Path, verify: bool = True) -> None:
        """Load `path` into Rasa. Conversations live in the tracker store (Redis) and carry on. `verify`: ask
        /status afterwards (off behind a load balancer, where another replica may answer)."""
        try:
            async with self._client(self._load_timeout) as http:
                url, body = f"{self._url}/model", {"model_file": str(path)}
                response = await http.put(url, params=self._params, json=body, timeout=self._load_timeout)
        except httpx.HTTPError as exc:
            raise ModelSwapFailed(f"Rasa did not answer: {type(exc).__name__}") from exc
        if response.status_code not in (200, 204):
            raise ModelSwapFailed(f"Rasa answered {response.status_code}: {response.text[:300]}")
        if not verify:
            return
        served = await self.live_model()
        if served != path.name:
            raise ModelSwapFailed(f"Rasa serves {served!r} instead of {path.name!r}")
