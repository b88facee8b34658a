"""Keypad (DTMF) input for callers who cannot or prefer not to speak: digit n chooses the n-th button of the bot's
last reply, 0 asks for a person, * repeats the last reply. The last reply is remembered per caller in memory
(a bounded, least-recently-used map: one gateway process serves a call from start to end)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

HANDOFF_KEY = "0"
REPEAT_KEY = "*"
HANDOFF_TEXT = "转人工"


@dataclass
class LastReply:
    spoken: str
    payloads: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class KeyChoice:
    """What a key press means: a text for the bot, a repeat of the last reply, or nothing (unknown key)."""

    text: str | None = None
    repeat: bool = False


class KeypadMenus:
    def __init__(self, capacity: int = 10_000) -> None:
        self._replies: OrderedDict[str, LastReply] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def remember(self, sender_id: str, spoken: str, payloads: list[str]) -> None:
        with self._lock:
            self._replies[sender_id] = LastReply(spoken, payloads)
            self._replies.move_to_end(sender_id)
            while len(self._replies) > self._capacity:
                self._replies.popitem(last=False)

    def last(self, sender_id: str) -> LastReply | None:
        with self._lock:
            return self._replies.get(sender_id)

    def choose(self, sender_id: str, key: str) -> KeyChoice:
        """The meaning of one key for this caller now."""
        key = key.strip().rstrip("#")
        if len(key) > 1 and key[:-1].isdigit() and (key[-1].isdigit() or key[-1] in "Xx*"):
            return KeyChoice(text=key.replace("*", "X"))  # a number typed on the keypad (phone, ID; * for X)
        if key == HANDOFF_KEY:
            return KeyChoice(text=HANDOFF_TEXT)
        if key == REPEAT_KEY:
            return KeyChoice(repeat=True)
        last = self.last(sender_id)
        if key.isdigit() and len(key) == 1 and last and 1 <= int(key) <= len(last.payloads):
            return KeyChoice(text=last.payloads[int(key) - 1])
        return KeyChoice()
