"""Group unanswered questions by shared jieba keywords (TF-IDF), so staff see the biggest gaps first."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.insights.privacy import REMOVED

# Words that say nothing about the topic of a question.
STOP_WORDS = frozenset(
    (
        "怎么 怎么办 怎样 什么 可以 能不能 能否 是不是 有没有 没有 哪里 哪儿 为什么 多少 一下 请问 "
        "你好 您好 我们 你们 他们 自己 现在 这个 那个 就是 还是 或者 需要 应该 问问 知道 时候 一个 "
        "如何 吗 呢 吧 啊 呀 我 你 他 她 它 的 了 是 有 能 要 想 在 和 跟 给 帮 找 办 问 去 说 谁 "
        "咋 啥 不能 怎么样 可不可以 行不行 残疾人 残疾 政策 "
    ).split()
)
_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba(userdict: Path | None):
    """jieba.analyse, with the project's domain words loaded once."""
    global _jieba_ready
    import jieba
    import jieba.analyse

    with _jieba_lock:
        if not _jieba_ready:
            jieba.setLogLevel(60)
            if userdict is not None and userdict.exists():
                jieba.load_userdict(str(userdict))
            _jieba_ready = True
    return jieba.analyse


def keywords(text: str, userdict: Path | None = None, top: int = 4) -> list[str]:
    """The question's most telling words, most telling first."""
    analyse = _jieba(userdict)
    words = analyse.extract_tags(text.replace(REMOVED, " "), topK=top + 6)
    return [w for w in words if w not in STOP_WORDS and not w.isdigit() and len(w.strip()) > 0][:top]


@dataclass
class Question:
    id: int
    text: str
    keywords: list[str]
    at: datetime
    outcome: str = "fallback"


@dataclass
class Group:
    """Questions that share their main keywords."""

    questions: list[Question] = field(default_factory=list)
    words: Counter = field(default_factory=Counter)

    @property
    def label(self) -> list[str]:
        return [w for w, _ in self.words.most_common(3)]

    @property
    def head(self) -> str | None:
        return self.words.most_common(1)[0][0] if self.words else None

    def accepts(self, words: set[str]) -> bool:
        top = set(self.label)
        shared = len(words & top)
        return shared >= 2 or (shared >= 1 and self.head in words)

    def add(self, question: Question) -> None:
        self.questions.append(question)
        self.words.update(question.keywords[:4])

    def as_dict(self, examples: int = 5) -> dict:
        distinct: list[str] = []
        for question in sorted(self.questions, key=lambda q: q.at, reverse=True):
            if question.text not in distinct:
                distinct.append(question.text)
        return {
            "key": f"g{min(q.id for q in self.questions)}",
            "keywords": self.label,
            "count": len(self.questions),
            "examples": distinct[:examples],
            "outcome_ids": sorted(q.id for q in self.questions),
            "out_of_scope": sum(q.outcome == "out_of_scope" for q in self.questions),
            "last_seen": max(q.at for q in self.questions).isoformat(),
        }


def group_questions(questions: list[Question]) -> list[Group]:
    """Greedy grouping in time order: a question joins the first group whose main keywords it shares;
    questions without keywords group by their exact text. Biggest groups first."""
    groups: list[Group] = []
    by_text: dict[str, Group] = {}
    for question in sorted(questions, key=lambda q: (q.at, q.id)):
        words = set(question.keywords[:4])
        if not words:
            group = by_text.get(question.text)
            if group is None:
                group = by_text[question.text] = Group()
                groups.append(group)
            group.add(question)
            continue
        group = next((g for g in groups if g.words and g.accepts(words)), None)
        if group is None:
            group = Group()
            groups.append(group)
        group.add(question)
    return sorted(groups, key=lambda g: (-len(g.questions), -max(q.at for q in g.questions).timestamp()))
