"""Danger kinds the b6 development set showed missing (written here in other words): a fire at home found by smell,
fumes from a coal stove with headaches, a stopped lift with someone inside, a person fallen into water, a parent who
would take a dependant with them, low blood sugar with confusion, acute stroke signs. Each with its near misses:
hypotheticals, things (not people) in the water, a broken lift in general, a few days of dizziness."""

import pytest

from bot.rules.danger import assess
from bot.rules.danger_replies import CRISIS_LINE, first_replies
from bot.rules.intent_rules import rule_intent

DANGER = {
    "fire": [
        "屋里全是焦味 电热毯好像烧着了 我看不见",
        "闻着有股糊巴味 我眼睛不好 找不着门",
        "厨房油锅着火了",
        "电动车在楼道里充电冒烟了",
    ],
    "gas": [
        "炉子憋烟了 我和老伴都头晕想吐",
        "早上起来头疼恶心 炉子一晚上没封好",
        "屋里有煤气 俺娘迷糊了",
    ],
    "trapped": [
        "我坐轮椅在电梯里 电梯不动了 门也打不开",
        "电梯卡住了 我妈在里面出不去",
    ],
    "water": [
        "俺爹摔进水塘了 拉不出来",
        "老伴推着轮椅掉河里了",
        "孩子滑到冰窟窿里了",
        "有人在河里扑腾 快淹死了",
    ],
    "self_harm": [
        "我实在熬不动了 带着闺女一块儿死了得了",
        "想领着娃一起跳河算了",
    ],
    "medical": [
        "老头打完针胰岛素 没吃东西 出了一身冷汗 叫不醒",
        "俺妈吃了降糖药 这会儿浑身冷汗 不认人了",
        "我爸刚才突然说不出话 嘴也歪了",
        "奶奶半边身子动不了了",
    ],
}

NOT_DANGER = [
    "要是家里着火了 盲人怎么逃生",
    "万一电梯停了被困在里面怎么办",
    "电梯坏了 轮椅上不了楼 能申请加装电梯吗",
    "助听器掉水里了 还能修吗",
    "冬天烧炉子怎么防煤气中毒",
    "我最近老是头晕 是不是要中风了",
    "怕中风了 平时吃点啥好",
    "我瘫痪的爹想申请护理补贴",
    "孩子睡着了 我才有空问问",
    "锅糊了 一股糊味",
]


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in DANGER.items() for t in texts])
def test_each_is_danger_of_its_kind(kind, text) -> None:
    found = assess(text)
    assert found is not None and found.kind == kind, (text, found)
    assert rule_intent(text, "faq") == "danger"


@pytest.mark.parametrize("text", NOT_DANGER)
def test_near_misses_are_not_emergencies(text) -> None:
    assert assess(text) is None, text


def test_paralysis_describing_the_person_does_not_hide_a_danger() -> None:
    assert assess("家里煤炉倒烟了 俺瘫痪的娘头疼得厉害").kind == "gas"
    assert assess("他车祸撞成瘫痪了 能办残疾证吗") is None  # the outcome, asked about later


def test_water_reply_names_110_and_120_and_says_not_to_go_in() -> None:
    first = first_replies("water")[0]
    assert first.startswith("请马上打110和120") and "别自己下去" in first


def test_a_parent_taking_a_child_along_gets_the_crisis_line_and_110_120() -> None:
    first = first_replies(assess("想抱着孩子一起走了算了").kind)[0]
    assert CRISIS_LINE in first and "120" in first and "110" in first
