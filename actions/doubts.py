"""The resident doubts the answer just given ("不对吧", "不是这个"): rather than repeat it or guess again, offer the
next likeliest topics of the question it answered (pure reading of the tracker's events; no Rasa imports)."""

from __future__ import annotations

import re
from typing import Any

from actions.repeats import says_not_understood
from bot.knowledge.lexical import words
from bot.rules.understanding import e5_labels, selected_answer

MAX_CHOICES = 3  # topics offered after a doubt
ASK_AGAIN = "对不起，可能我理解错了。您是想问下面哪一个？请点一下，都不是也可以换个说法再问。"
_NEUTRAL = frozenset({"inform_region", "affirm", "deny"})  # answers to the bot's questions, not questions
_QUESTIONS = frozenset({"faq", "nlu_fallback"})
# "你说的不对", "回答错了": said of the answer (actions/repeats knows the words said of the question)
_ANSWER_WRONG = re.compile(r"(?:说|讲|答|回答)的?(?:不对|错了|有误)")
# Words that only say "wrong" or point at the answer; what is left after them is the resident's own question.
_DOUBT_WORDS = re.compile(
    r"不对|不是|错了|说错|弄错|搞错|答错|答非所问|没听懂|听不懂|不明白|听不明白|整岔|说岔|不懂|好像|根本|"
    r"这个|那个|这|那|问的|说的|问|说|的|吧|吗|呢|啊|呀|嘛|哎|唉|诶|了|你|您|我|俺|哈"
)


def only_doubt(text: str | None) -> bool:
    """The message says the answer was wrong and asks nothing new ("不对吧", "你说的不是这个"); "不是这个，我问的是
    低保" carries its own question and is not."""
    text = str(text or "")
    if not (says_not_understood(text) or _ANSWER_WRONG.search(text)):
        return False
    rest = _DOUBT_WORDS.sub(" ", text)
    return not words(rest) and len(re.findall(r"[\u4e00-\u9fffA-Za-z0-9]", rest)) <= 2


def _answered(parse: dict[str, Any]) -> str | None:
    """The topic a user turn was answered with: a pressed "您是想问…" button's, else the selector's pick."""
    if ((parse.get("intent") or {}).get("name")) == "choose_faq":
        found = [str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == "faq_topic"]
        return found[0] if found else None
    return selected_answer(parse)[0]


def _ranking(parse: dict[str, Any]) -> list[str]:
    selector = ((parse.get("response_selector") or {}).get("faq")) or {}
    keys = [str(r.get("intent_response_key")) for r in selector.get("ranking") or [] if r.get("intent_response_key")]
    keys += [label for label, _similarity in e5_labels(parse)]  # the dense model's neighbours after the selector's
    return [k if k.startswith("faq/") else f"faq/{k}" for k in keys]


def doubted_alternatives(events: list[dict[str, Any]], known: set[str] | frozenset[str]) -> list[str]:
    """For a latest message that only doubts the last answer: the next likeliest topics (at most MAX_CHOICES, among
    `known` FAQ keys) of the question that answer was for, the answered topic left out. Empty when the latest
    message asks something of its own, or no policy question was answered before it."""
    users = [e for e in events if e.get("event") == "user"]
    if not users or not only_doubt(users[-1].get("text")):
        return []
    answered: str | None = None
    for event in reversed(users[:-1]):
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        if intent in _NEUTRAL:
            continue  # the region named, a yes or no: the question is further back
        if intent == "choose_faq":
            answered = answered or _answered(parse)
            continue  # a pressed topic: the resident's own words are the turn before
        if intent not in _QUESTIONS or str(event.get("text") or "").startswith("/"):
            return []
        answered = answered or _answered(parse)
        others = [k for k in dict.fromkeys(_ranking(parse)) if k != answered and k in known]
        return others[:MAX_CHOICES]
    return []
