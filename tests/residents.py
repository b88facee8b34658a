"""Web clients of the chat API for tests: keep each conversation's key (X-Conversation-Key) the way the web chat
does, so that later turns and long polls of the same conversation are accepted."""

from __future__ import annotations

import httpx

HEADER = "X-Conversation-Key"


def button_payload(turn: dict, title: str) -> str | None:
    """The payload of the turn's button titled `title` (a region, a topic …), or None."""
    return next((b["payload"] for m in turn["messages"] for b in (m.get("buttons") or []) if b["title"] == title), None)


class Residents:
    """Talks to /api/chat, /api/chat/{id}/updates and /api/voice/turn for any number of conversations."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.keys: dict[str, str] = {}

    def headers(self, sender_id: str) -> dict[str, str]:
        key = self.keys.get(sender_id)
        return {HEADER: key} if key else {}

    def _keep(self, sender_id: str, response: httpx.Response) -> httpx.Response:
        issued = response.headers.get(HEADER)
        if issued:
            self.keys[sender_id] = issued
        return response

    def chat(self, sender_id: str, text: str) -> httpx.Response:
        response = self.http.post(
            "/api/chat", json={"sender_id": sender_id, "text": text}, headers=self.headers(sender_id)
        )
        return self._keep(sender_id, response)

    def say(self, sender_id: str, text: str) -> dict:
        """One turn that must succeed; answers the JSON body."""
        response = self.chat(sender_id, text)
        assert response.status_code == 200, response.text
        return response.json()

    def updates(self, sender_id: str, wait: float = 0) -> httpx.Response:
        return self.http.get(
            f"/api/chat/{sender_id}/updates", params={"wait": wait}, headers=self.headers(sender_id), timeout=60
        )

    def voice_turn(self, sender_id: str, **body: object) -> httpx.Response:
        response = self.http.post(
            "/api/voice/turn", json={"sender_id": sender_id, **body}, headers=self.headers(sender_id)
        )
        return self._keep(sender_id, response)
