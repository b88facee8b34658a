"""Checks an FAQ edit must pass before it is saved. Every message is a short, plain Chinese sentence."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bot.rules.plans import SeedIndex
from bot.rules.regions import REGIONS

DEFAULT_ANSWER = "default"  # the answer for residents whose region is unknown or not listed
MAX_ANSWER_CHARS = 2000
MAX_MESSAGE_CHARS = 150  # one paragraph = one chat message
MAX_TITLE_CHARS = 60
MAX_EXAMPLE_CHARS = 100
MAX_EXAMPLES = 300
MIN_EXAMPLES = 2
NAME = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
TOPIC = re.compile(r"^[a-z][a-z0-9_]{1,31}$")

_SCRIPT = re.compile(r"<\s*script|javascript\s*:|(?<![a-z])on[a-z]+\s*=|<\s*/?\s*[a-z!][^>]*>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")

# Figures an answer must not invent: money, percentages, deadlines and dates.
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二三四五六七八九十百千万两]+)"
_FIGURE = re.compile(
    rf"{_NUM}\s*(?:多|余)?\s*(?:%|％|元|万元|亿元|块钱|块|个工作日|工作日|天|日内|日前|个月|月内|年内|周|小时)"
    r"|百分之[零〇一二三四五六七八九十百点\d.]+"
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日"
)


def region_label(key: str) -> str:
    """How an answer key is named to staff."""
    return "不分地区的回答" if key == DEFAULT_ANSWER else f"{key}的回答"


def plain_example(text: str) -> str:
    """An example question without Rasa entity markup, normalised for comparison."""
    text = _ANNOTATION.sub(r"\1", text)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s，。？！,.?!、]+", "", text).lower()


class SeedFacts:
    """The figures that appear in the two plans (seed texts): an answer may only state these."""

    def __init__(self, seeds_dir: Path) -> None:
        texts = [p.read_text("utf-8", errors="replace") for p in sorted(seeds_dir.glob("*.txt"))]
        self.available = bool(texts)
        self._text = self._squash("".join(texts))
        self.index = SeedIndex(seeds_dir)  # for the answers' sources: verbatim quotes and their sections
        # Figures a named national document states (config/plans.yml) may be told too, e.g. 未满16周岁.
        facts = [f for document in self.index.plans.national.values() for f in document.facts]
        self._national = self._squash("|".join(facts))

    @staticmethod
    def _squash(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    def invented(self, answer: str) -> list[str]:
        """Figures in `answer` that the plans do not contain, in order, without repeats."""
        found: list[str] = []
        for match in _FIGURE.finditer(unicodedata.normalize("NFKC", answer)):
            figure = match.group(0).strip()
            known = self._squash(figure) in self._text or self._squash(figure) in self._national
            if not known and figure not in found:
                found.append(figure)
        return found


@dataclass
class EntryDraft:
    """What an editor submits for one FAQ entry."""

    name: str
    topic: str
    title: str
    examples: list[str]
    answers: dict[str, str] = field(default_factory=dict)
    sources: dict[str, dict] | None = None  # answer key → {sources, national, ask_region}; None = keep the stored ones


def check_answer(key: str, text: str, seeds: SeedFacts) -> list[str]:
    """Problems with one answer text."""
    label = region_label(key)
    if not text.strip():
        return [f"{label}是空的。不需要这条回答就删掉它，需要就请写上内容。"]
    errors = []
    if len(text) > MAX_ANSWER_CHARS:
        errors.append(f"{label}太长了（{len(text)}字），最多{MAX_ANSWER_CHARS}字。")
    if _SCRIPT.search(text):
        errors.append(f"{label}里有网页代码或脚本（比如 <…> 标签），请只写普通文字。")
    if _CONTROL.search(text):
        errors.append(f"{label}里有看不见的控制字符，请重新输入。")
    for number, message in enumerate(text.split("\n\n"), start=1):
        if len(message.strip()) > MAX_MESSAGE_CHARS:
            errors.append(
                f"{label}第{number}段有{len(message.strip())}字，一段最多{MAX_MESSAGE_CHARS}字。请空一行分成两段。"
            )
    invented = seeds.invented(text)
    if invented and not seeds.available:
        errors.append(
            f"{label}里有金额、比例或期限（“{'”“'.join(invented)}”），但找不到两份规划的原文来核对，暂时不能保存。"
            "请联系技术人员设置 SEEDS_DIR。"
        )
    elif invented:
        errors.append(f"{label}里的“{'”“'.join(invented)}”在两份规划里找不到。不要写规划里没有的金额、比例和期限。")
    return errors


def check_examples(intent: str, examples: list[str], others: dict[str, str]) -> list[str]:
    """Problems with the example questions of `intent`; `others` maps plain examples to the intent that has them."""
    errors = []
    cleaned = [e.strip() for e in examples if e.strip()]
    if len(cleaned) < MIN_EXAMPLES:
        errors.append(f"至少要写{MIN_EXAMPLES}个例句（一行一个），机器人才学得会。")
    if len(cleaned) > MAX_EXAMPLES:
        errors.append(f"例句太多了（{len(cleaned)}个），最多{MAX_EXAMPLES}个。")
    seen: set[str] = set()
    for example in cleaned:
        plain = plain_example(example)
        if len(example) > MAX_EXAMPLE_CHARS:
            errors.append(f"例句“{example[:20]}…”太长了，最多{MAX_EXAMPLE_CHARS}字。")
        if _CONTROL.search(example) or example.startswith(("#", "- ")):
            errors.append(f"例句“{example[:20]}”的开头或内容不对，请只写问题本身。")
        if plain in seen:
            errors.append(f"例句“{example}”写了两遍。")
        seen.add(plain)
        owner = others.get(plain)
        if owner and owner != intent:
            errors.append(f"例句“{example}”已经是“{owner}”的例句了。同一句话只能属于一个问题。")
    return errors


def check_entry(draft: EntryDraft, others: dict[str, str], seeds: SeedFacts) -> list[str]:
    """All field checks of one FAQ entry (the name collision is checked by the store, which knows the names)."""
    errors = []
    if not NAME.match(draft.name):
        errors.append("问题编号只能用小写英文字母、数字和下划线，以字母开头，2到48位，比如 care_subsidy。")
    if not TOPIC.match(draft.topic):
        errors.append("分类只能用小写英文字母、数字和下划线，以字母开头，比如 subsidies。")
    if not draft.title.strip():
        errors.append("请填写标题（一句话说明这是什么问题）。")
    elif len(draft.title) > MAX_TITLE_CHARS or _SCRIPT.search(draft.title) or _CONTROL.search(draft.title):
        errors.append(f"标题最多{MAX_TITLE_CHARS}字，只能是普通文字。")
    errors += check_examples(f"faq/{draft.name}", draft.examples, others)
    unknown = sorted(set(draft.answers) - {DEFAULT_ANSWER, *REGIONS})
    if unknown:
        errors.append(f"不认识这些地区：{'、'.join(unknown)}。")
    if not draft.answers:
        errors.append("请至少写一条回答。")
    elif DEFAULT_ANSWER not in draft.answers and set(REGIONS) - set(draft.answers):
        missing = "、".join(r for r in REGIONS if r not in draft.answers)
        errors.append(f"还缺{missing}的回答。请补上，或者写一条不分地区的回答。")
    for key, text in draft.answers.items():
        if key in unknown:
            continue
        errors += check_answer(key, text, seeds)
    return errors
