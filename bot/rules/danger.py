"""Danger to life or safety: recognised by plain keywords (a safety net that never depends on the model)."""

from __future__ import annotations

import re

EMERGENCY_MESSAGE = (
    "您的安全最要紧！请马上打电话求助：有危险或被人伤害，打110；受伤、生病、摔倒起不来，打120；着火了，打119。"
)
EMERGENCY_FOLLOW_UP = "我已经把您的情况紧急转给人工客服，他们会尽快联系您。能说话的话，请告诉我您在哪里。"

_DANGER = re.compile(
    r"(自杀|轻生|不想活|活不下去|想死|去死|割腕|跳楼|跳河|喝农药|安眠药.{0,4}(吃|吞)"
    r"|救命|着火|失火|起火|火灾|煤气泄漏|燃气泄漏|漏气"
    r"|摔倒.{0,6}(起不来|爬不起来|没人)|跌倒.{0,6}(起不来|没人)|起不来了|动不了了|喘不上气|晕倒"
    r"|(打|虐待|殴打|打骂|家暴).{0,4}(我|他|她|老人|孩子)|被(打|虐待|殴打|家暴|锁|关)|家暴"
    r"|锁在.{0,6}(家|屋|房)|出不去|被困)"
)


# "有事打我电话", "打我这个就行" (call me), "打零工" (odd jobs): everyday 打, not a beating.
_CALLING = re.compile(
    r"打.{0,6}(?:电话|手机|座机|号码|老年机|小灵通|微信)|打(?:我|他|她)?(?:这个|这个号|那个号)|打(?:零工|短工|工|针|车|扫|听|算|扰|开|印|折)"
)


# "台阶高出不去", "坐轮椅出不去进不来": a barrier at home (an application for 无障碍改造), not someone trapped.
_BARRIER = re.compile(
    r"(?:台阶|门槛|楼梯|轮椅|坡|门(?:太)?窄|楼|高|陡|厕所|旱厕)[^，。,.!！]{0,4}出不去|出不去(?:也)?进不来|进不来(?:也)?出不去"
)
# "电话 打 我 听 不 见" (a deaf resident: call me and I cannot hear it): calling, not a beating.
# … and "就打我的 幺五两洞…" (call my number): 打 + whose + a number or the end, never "打我的头".
_CANNOT_TAKE_CALLS = re.compile(
    r"打(?:我|他|她)?(?:也|了)?(?:听不见|听不到|听不清|接不了|接不到|不接|没人接)|"
    r"打(?:我|俺|他|她)(?:的|家的)(?=$|[\s，,。！!]|号|电话|手机|座机|吧|就行|也行|[0-9零洞一幺二两三四五六七拐八九])"
)


_TRAPPED = re.compile(r"困|锁|关在|关着|堵|烟|火")


def is_danger(text: str | None) -> bool:
    """True when the message speaks of danger to someone's life or safety."""
    if not text:
        return False
    ordinary = _CALLING.sub("", re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text))
    if not _TRAPPED.search(ordinary):
        ordinary = _BARRIER.sub("", ordinary)
    return bool(_DANGER.search(_CANNOT_TAKE_CALLS.sub("", ordinary)))
