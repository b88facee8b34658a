"""Questions plainly outside the assistant's remit, whatever the model said: the weather, the lottery, and other
government services (户口, 护照, 房产证 …) asked without any word of disability services. They are declined with a
redirect (the general hotline for government services) instead of a clarifying question about disability topics or
an application form. Conservative on purpose: any word of the bot's own domain keeps the model's reading."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

GOVERNMENT, OTHER = "oos_government", "out_of_scope"  # the domain's intents (nlu_data/domain/understanding.yml)

# Words of the bot's own domain: with any of them the question may be in scope ("户口不在本地能领补贴吗").
_IN_SCOPE = re.compile(
    r"残|补贴|补助|低保|救助|康复|辅具|辅助器具|轮椅|助听|拐|盲|聋|哑|智力|精神|肢体|瘫|护理|托养|照护|就业|培训|"
    r"上学|教育|领|申请|办证|评定|鉴定|优惠|减免|免费|无障碍|养老|医保|保险|热线|12385|转人工|人工|"
    r"送教|老师|学校|上课|公交|班车|活动|服务|社区|医院|上门|政策"
)
_WEATHER = re.compile(
    r"天气预报|(?:今天|明天|后天|今儿|明儿|这几天|周末|待会|今晚|明早|下午|晚上|早上|这周|下周)\S{0,8}"
    r"(?:天气|气温|多少度|几度|下雨|下雪|刮风|降温|冷不冷|热不热|雾霾|有雨|有雪)"
    r"|(?:天气|气温)\S{0,4}(?:咋样|怎么样|如何|好不好|多少度)"
)
_LOTTERY = re.compile(r"买彩票|彩票\S{0,4}(?:开奖|号码|中奖)|大乐透|双色球|开奖|中奖号")
_GOVERNMENT = re.compile(
    r"(?:上|落|迁|办|转|销|报)户口|户口\S{0,2}(?:迁|转|怎么办|咋办|丢)|护照|通行证|结婚证|离婚|房产证|不动产证|公积金|营业执照|农机|老年证|准生证|出生证明|违章|车牌"
)
MAX_CHARS = 200  # longer messages tell a story: the model and the other rules read them


def out_of_scope_intent(text: str | None) -> str | None:
    """oos_government, out_of_scope or None (keep the model's reading)."""
    if not text or len(text) > MAX_CHARS:
        return None
    compact = re.sub(r"\s+", "", text)
    if _IN_SCOPE.search(compact):
        return None
    if _GOVERNMENT.search(compact):
        return GOVERNMENT
    if _WEATHER.search(compact) or _LOTTERY.search(compact):
        return OTHER
    return None


WHERE_TO_GO = Path(__file__).resolve().parents[2] / "config" / "out_of_scope.yml"


@lru_cache(maxsize=2)
def _where_to_go(path: Path = WHERE_TO_GO) -> tuple[tuple[tuple[str, ...], str], ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple((tuple(entry["words"]), str(entry["say"])) for entry in raw.get("where_to_go") or [])


def where_to_go(text: str | None) -> str | None:
    """The usual office for a question outside the remit (config/out_of_scope.yml), or None."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text[:MAX_CHARS])
    for words, say in _where_to_go():
        if any(word in compact for word in words):
            return say
    return None
