"""The lexical half of passage scoring: jieba words (search mode, so 托养服务 also gives 托养 and 服务) without
function words and place names, scored with Okapi BM25 (k1 = 1.5, b = 0.75, the usual defaults).

A short BM25 of our own rather than `rank_bm25`: that package installs cleanly in the Rasa environment (numpy only),
but adding it changes the environment's cache key and rebuilds Rasa's whole environment on every machine, for the
twenty lines below."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jieba

from bot.rules.places import gazetteer

USERDICT = Path(__file__).resolve().parents[2] / "nlu_data" / "dict" / "userdict.txt"
K1, B = 1.5, 0.75
# Words that say nothing about the measure asked about (pronouns, particles, question words, family, filler).
STOPWORDS = frozenset(
    """的 了 吗 呢 吧 啊 呀 嘛 哩 么 是 在 有 没 没有 不 也 都 就 还 和 与 及 或 等 能 会 要 想 让 给 把 被 对 从 到 里
    我 你 他 她 它 俺 咱 我们 你们 他们 俺们 咱们 自己 家 我家 俺家 人家 这 那 这个 那个 这边 那边 这些 那些 哪 哪里
    什么 啥 甚 咋 怎么 怎么办 咋办 咋整 如何 多少 几 为什么 是不是 能不能 可以 可不可以 有没有 请问 问 问问 知道 听说
    一下 一个 个 现在 以后 时候 今年 去年 事 东西 办法 政策 规定 情况 问题 方面 这样 那样 还是 就是 如果 要是 哪些
    爸 妈 爹 娘 儿子 闺女 女儿 老伴 孩子 娃 老人 父亲 母亲 哥 姐 弟 妹 老头 老头子 媳妇 丈夫 妻子 疙瘩 这疙瘩
    市 区 镇 乡 县 村 街道 本地 当地 这里 那里 政府 规划 十四五""".split()
)
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[0-9]+(?:\.[0-9]+)?%?|[A-Za-z]+")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of our own (the project's user dictionary loaded; the global one is left alone)."""
    tokenizer = jieba.Tokenizer()
    if USERDICT.exists():
        tokenizer.load_userdict(str(USERDICT))
    return tokenizer


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    """Town and region spellings (config/places.yml), longest first: where the resident lives is not the question."""
    places = gazetteer()
    names = {*places.towns, *places.address_prefixes}
    return tuple(sorted(names, key=len, reverse=True))


def without_places(text: str) -> str:
    for name in _place_names():
        text = text.replace(name, " ")
    return text


def words(text: str) -> list[str]:
    """The content words of `text` (search-mode jieba words, lower-cased latin, numbers kept with their %)."""
    with _lock:  # jieba's tokenizer initialises lazily and is not safe to initialise from two threads at once
        tokens = _tokenizer().lcut_for_search(text, HMM=True)
    return [t.lower() for t in tokens if _TOKEN.fullmatch(t) and t not in STOPWORDS and not _single_function_char(t)]


def _single_function_char(token: str) -> bool:
    """A lone Chinese character carries little meaning in these texts (of, to, one …) and is left out."""
    return len(token) == 1 and not token.isdigit()


class BM25:
    """Okapi BM25 over tokenised documents; `scores(query)` gives one score per document (0 where no word is shared)."""

    def __init__(self, documents: list[list[str]], k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self.counts = [Counter(doc) for doc in documents]
        self.lengths = [len(doc) for doc in documents]
        self.average = (sum(self.lengths) / len(documents)) if documents else 0.0
        frequency: Counter[str] = Counter(word for doc in self.counts for word in doc)
        n = len(documents)
        # the Lucene form of idf: never negative, so a word in most documents still counts a little
        self.idf = {word: math.log(1 + (n - df + 0.5) / (df + 0.5)) for word, df in frequency.items()}

    def scores(self, query: list[str]) -> list[float]:
        terms = [(word, self.idf[word]) for word in dict.fromkeys(query) if word in self.idf]
        out: list[float] = []
        for counts, length in zip(self.counts, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / self.average) if self.average else self.k1
            out.append(sum(idf * counts[w] * (self.k1 + 1) / (counts[w] + norm) for w, idf in terms if counts[w]))
        return out

    def best_possible(self, query: list[str]) -> float:
        """The score a document matching every query word once, of average length, would get: scores divided by it
        are comparable across queries (0 … about 1)."""
        return sum(self.idf.get(w, 0.0) for w in dict.fromkeys(query))
