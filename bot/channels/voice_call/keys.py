"""Keypad input on a telephone line: decide for every key whether it acts at once or starts a typed number.

A key acts at once when the last reply offered a menu (1–9 its choices, 0 a person, * repeat). Without a menu the
keys are collected as a number (a phone or ID number; * stands for X) that # ends; a single key followed by a pause
counts as that key alone. `*` first always repeats."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_DIGITS = 24
NUMBER_END = "#"


@dataclass
class KeyCollector:
    pending: list[str] = field(default_factory=list)

    def press(self, key: str, menu_open: bool) -> str | None:
        """The keys to act on now ("1", "0", "*", "13800138000#"), or None while a number is being typed."""
        if key == NUMBER_END:
            typed, self.pending = "".join(self.pending), []
            return (typed + NUMBER_END) if typed else None
        if not self.pending and (key == "*" or (menu_open and key.isdigit())):
            return key
        self.pending.append(key)
        if len(self.pending) >= MAX_DIGITS:
            typed, self.pending = "".join(self.pending), []
            return typed + NUMBER_END
        return None

    def timeout(self) -> str | None:
        """After a pause: a lone key counts as itself; a longer run as a typed number."""
        typed, self.pending = "".join(self.pending), []
        if not typed:
            return None
        return typed if len(typed) == 1 else typed + NUMBER_END

    @property
    def collecting(self) -> bool:
        return bool(self.pending)
