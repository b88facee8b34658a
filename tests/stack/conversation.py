"""A scripted resident: says things to /api/chat and checks what the bot answers."""

from __future__ import annotations

import httpx

from tests.conftest import new_sender
from tests.residents import Residents


class Conversation:
    def __init__(self, base_url: str, sender_id: str | None = None) -> None:
        self.sender_id = sender_id or new_sender()
        self._http = httpx.Client(base_url=base_url, timeout=60)
        self.resident = Residents(self._http)  # keeps the conversation key
        self.last: list[dict] = []

    def say(self, text: str) -> str:
        """Send one message; return the bot's messages joined by newlines."""
        response = self.resident.chat(self.sender_id, text)
        assert response.status_code == 200, response.text
        self.last = response.json()["messages"]
        return "\n".join(m["text"] for m in self.last)

    def expect(self, text: str, *fragments: str) -> str:
        """Say `text` and assert every fragment appears in the answer."""
        answer = self.say(text)
        for fragment in fragments:
            assert fragment in answer, f"after {text!r} expected {fragment!r} in:\n{answer}"
        return answer

    def buttons(self) -> list[str]:
        return [b["title"] for m in self.last for b in (m.get("buttons") or [])]

    def close(self) -> None:
        self._http.close()
