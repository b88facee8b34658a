"""Turn the bot's messages into what a caller hears: the texts, then the buttons as a keypad menu, normalised for
speech and cut into sentences so the first one can be played while the rest is synthesised."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np

from voice.audio import Audio
from voice.normalize import normalize_for_speech
from voice.tts import TtsEngine

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
KEYPAD_HINT = "按零转人工。"


def keypad_menu(button_titles: Sequence[str]) -> str:
    """按1，困难残疾人生活补贴；按2，… — only the first nine buttons have a key."""
    choices = [f"按{i}，{title}" for i, title in enumerate(button_titles[:9], start=1)]
    return ("；".join(choices) + "。") if choices else ""


def spoken_reply(texts: Sequence[str], button_titles: Sequence[str] = ()) -> str:
    """All messages in order, then the menu of the last buttons; normalised so numbers are read correctly."""
    parts = [t.strip() for t in texts if t and t.strip()]
    parts = [p if p[-1] in "。！？!?；;" else p + "。" for p in parts]
    menu = keypad_menu(button_titles)
    return normalize_for_speech("".join(parts) + menu)


def sentences(text: str, max_chars: int = 60) -> list[str]:
    """Split at sentence ends; a very long sentence is split again at commas so no piece waits too long."""
    pieces: list[str] = []
    for sentence in filter(None, (s.strip() for s in _SENTENCE_END.split(text))):
        while len(sentence) > max_chars:
            cut = max(sentence.rfind("，", 0, max_chars), sentence.rfind(",", 0, max_chars))
            cut = cut + 1 if cut > 0 else max_chars
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        if sentence:
            pieces.append(sentence)
    return pieces


def synthesize_sentences(engine: TtsEngine, text: str, rate_wpm: int) -> Iterator[Audio]:
    """One Audio per sentence, in order (the caller may play each as soon as it is ready)."""
    for sentence in sentences(text):
        yield engine.synthesize(sentence, rate_wpm)


def concatenate(parts: Sequence[Audio], rate: int | None = None) -> Audio:
    """Join audio pieces at one sample rate (the first piece's unless given)."""
    if not parts:
        return Audio(b"", rate or 16000)
    rate = rate or parts[0].sample_rate
    return Audio(b"".join(p.resampled(rate).pcm for p in parts), rate)


def silence(seconds: float, rate: int) -> Audio:
    return Audio(np.zeros(int(seconds * rate), dtype="<i2").tobytes(), rate)
