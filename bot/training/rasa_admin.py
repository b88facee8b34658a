"""Ask the running Rasa server which model it serves, and swap it (PUT /model) without a restart."""

from __future__ import annotations

from pathlib import Path

import httpx


class ModelSwapFailed(Exception):
    """Rasa refused or failed to load the model; the previous model keeps serving."""


class RasaAdmin:
    """Rasa's model API (needs `--enable-api` and the auth token)."""

    def __init__(self, rasa_url: str, token: str, load_timeout: float = 180.0) -> None:
        self._url = rasa_url.rstrip("/")
        self._params = {"token": token} if token else {}
        self._load_timeout = load_timeout

    async def live_model(self) -> str | None:
        """The file name of the model Rasa serves now (None when Rasa is down or has none)."""
        try:
            async with httpx.AsyncClient(timeout=5.0) as http:
                response = await http.get(f"{self._url}/status", params=self._params)
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
            async with httpx.AsyncClient(timeout=self._load_timeout) as http:
                response = await http.put(f"{self._url}/model", params=self._params, json={"model_file": str(path)})
        except httpx.HTTPError as exc:
            raise ModelSwapFailed(f"Rasa did not answer: {type(exc).__name__}") from exc
        if response.status_code not in (200, 204):
            raise ModelSwapFailed(f"Rasa answered {response.status_code}: {response.text[:300]}")
        if not verify:
            return
        served = await self.live_model()
        if served != path.name:
            raise ModelSwapFailed(f"Rasa serves {served!r} instead of {path.name!r}")
