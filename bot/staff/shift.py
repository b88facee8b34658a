"""What the operator console shows about a ticket during a shift: plain Chinese labels, the SLA clock counted in
open hours only, a masked preview of the resident's last words, and where a ticket may be transferred.

Office hours and the region's queues are owned by config/escalation.yml (read through bot/rules/routing.py)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone

from bot.rules.masking import mask_sensitive
from bot.rules.routing import CHINA, Hours, RoutingTable

__all__ = ["CHINA"]

PRIORITY_LABEL = {"emergency": "紧急", "high": "优先", "normal": "普通"}
REASON_LABEL = {
    "danger": "人身安全",
    "complaint": "投诉",
    "fallback": "没听懂",
    "request": "主动要求",
    "callback": "要求回电",
}
STATUS_LABEL = {
    "waiting": "排队中",
    "assigned": "处理中",
    "callback_scheduled": "待回电",
    "resolved": "已结束",
    "cancelled": "居民取消",
}
CHANNEL_LABEL = {"web": "网页", "wechat": "微信公众号", "voice": "电话/语音", "phone": "电话", "sip": "电话"}
EMERGENCY_QUEUE_LABEL = "紧急求助"
PREVIEW_CHARS = 40
MAX_SPAN_DAYS = 60  # the SLA clock of a ticket older than this is not worth counting day by day
HIDDEN = "〔号码已隐藏〕"
# After masking: anything that still looks like (part of) an ID or phone number, written or spoken.
_NUMBERISH = re.compile(r"[0-9０-９Xx*＊\-－ ]{5,}|[零〇一二三四五六七八九幺两]{5,}")


def queue_label(routing: RoutingTable, queue: str) -> str:
    """ "12385残疾人服务热线", "紧急求助" — never the raw key."""
    if queue == "emergency":
        return EMERGENCY_QUEUE_LABEL
    return routing.hotline_label(queue)


def open_seconds(hours: Hours | None, start: datetime, end: datetime) -> float:
    """Seconds between `start` and `end` during which the queue was open (all of them when it has no hours)."""
    if end <= start:
        return 0.0
    if hours is None:
        return (end - start).total_seconds()
    start = max(start, end - timedelta(days=MAX_SPAN_DAYS))
    local_start, local_end = start.astimezone(CHINA), end.astimezone(CHINA)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if day.isoweekday() in hours.days:
            opens = datetime.combine(day, hours.start, CHINA)
            closes = datetime.combine(day, hours.end, CHINA) if hours.end else datetime.combine(day, time(0), CHINA)
            if hours.end is None:
                closes += timedelta(days=1)
            overlap = (min(closes, local_end) - max(opens, local_start)).total_seconds()
            total += max(overlap, 0.0)
        day += timedelta(days=1)
    return total


def sla_view(routing: RoutingTable, queue: str, created_at: datetime, status: str, now: datetime) -> dict:
    """The first-response clock: minutes left (negative = overdue), counted in the queue's open hours only."""
    created = created_at if created_at.tzinfo else created_at.replace(tzinfo=timezone.utc)
    waited = open_seconds(routing.hours.get(queue), created, now)
    left = routing.sla_seconds - waited
    open_now = routing.is_open(queue, now)
    counting = status == "waiting"
    return {
        "open_now": open_now,
        "counting": counting,
        "waited_open_minutes": round(waited / 60),
        "minutes_left": int(left // 60) if left >= 0 else -int(-left // 60),
        "overdue": counting and left < 0,
    }


def preview_line(text: str | None, hide_name=None) -> str:  # noqa: ANN001 - hide_name: str -> str
    """The resident's last words for the queue list: numbers hidden whole (not just masked), names removed by
    `hide_name` when given, cut to PREVIEW_CHARS."""
    if not text:
        return ""
    shown = _NUMBERISH.sub(HIDDEN, mask_sensitive(text))
    if hide_name is not None:
        shown = hide_name(shown)
    shown = " ".join(shown.split())
    return shown if len(shown) <= PREVIEW_CHARS else shown[: PREVIEW_CHARS - 1] + "…"


def transfer_options(routing: RoutingTable, region: str | None, current: str, now: datetime) -> list[dict]:
    """The queues this region's routing uses (disability, general), other than the current one, with whether each
    is open now. Only open ones may be chosen."""
    table = routing.regions.get(region or "", routing.regions["default"])
    queues = list(dict.fromkeys(table.values()))
    return [
        {"queue": q, "label": queue_label(routing, q), "open": routing.is_open(q, now)} for q in queues if q != current
    ]
