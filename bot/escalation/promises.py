"""What a resident is told about a hand-over, built from what will really happen: one place for the banner, the
bot's words at the hand-over and the short notice after each relayed message.

Open queue: the place in the queue and the expected wait. Closed queue: when the line opens, a call-back, and the
line that is open now (e.g. 12345), with 110/120 for danger. Emergency: never a queue position; the bot stays with
the resident until an operator joins. After a claim: that a person joined (only then)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from bot.rules.routing import CHINA, RoutingTable

WEEKDAYS = "一二三四五六日"
URGENT = "有危险请打110或120"


@dataclass
class Handoff:
    """The open hand-over as the chat API reports it (see bot/api/schemas.py Handoff)."""

    ticket_id: str
    queue: str
    priority: str
    position: int | None  # place in an open queue; None when no number may or can be promised
    state: str = "waiting"  # waiting | closed | emergency | joined
    queue_name: str = ""
    wait_minutes: int | None = None
    opens_at: str | None = None  # "明天08:30" when closed
    call_now: list[str] = field(default_factory=list)  # hotlines open right now besides the queue
    transferred_from: str | None = None
    headline: str = ""  # a few words for the banner's one line (the chat page at 320 px with large text)
    banner: str = ""  # the whole story, shown under the headline on demand
    ack: str = ""  # said when a message was passed on to the person (relayed, no bot answer)
    region: str | None = None  # the resident's region when known (the ticket's line is that region's)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def when_text(moment: datetime, now: datetime) -> str:
    """A local time a resident understands: 今天17:30, 明天08:30, 12月7日（星期一）08:30."""
    local, today = moment.astimezone(CHINA), now.astimezone(CHINA).date()
    days = (local.date() - today).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"今天{clock}"
    if days == 1:
        return f"明天{clock}"
    return f"{local.month}月{local.day}日（星期{WEEKDAYS[local.isoweekday() - 1]}）{clock}"


def label(routing: RoutingTable, queue: str) -> str:
    """12385残疾人服务热线; 值班人员 for the emergency queue."""
    return "值班人员" if queue == "emergency" else routing.hotline_label(queue)


def may_still_move(routing: RoutingTable, queue: str, region: str | None) -> bool:
    """The resident's region is not known and another served region would have this ticket on another line
    (12385 → 潞城区's 12345): the line is not named to the resident until they say where they are."""
    return region is None and any(routing.queue_in_region(queue, r) not in (None, queue) for r in routing.served)


def lines_text(routing: RoutingTable, numbers: list[str]) -> str:
    return "或".join(routing.hotline_label(n) for n in numbers)


def describe(
    routing: RoutingTable,
    *,
    ticket_id: str,
    queue: str,
    priority: str,
    status: str,
    region: str | None,
    position: int,
    now: datetime,
    transferred_from: str | None = None,
) -> Handoff:
    """The hand-over of one open ticket (`status` waiting or assigned), told as it really stands at `now`."""
    name = label(routing, queue)
    base = Handoff(ticket_id, queue, priority, None, queue_name=name, transferred_from=transferred_from, region=region)
    moved = f"您的问题已从{routing.hotline_label(transferred_from)}转到{name}。" if transferred_from else ""
    if status == "assigned":
        base.state = "joined"
        base.position = 0
        base.headline = "人工客服已接入"
        base.banner = f"{moved}{name}的工作人员已经接入，正在和您对话。"
        base.ack = "已经发给人工客服。"
        return base
    if priority == "emergency":
        base.state = "emergency"
        base.headline = "已紧急通知值班人员"
        base.banner = f"已经紧急通知{name}，会尽快有人来和您说话。我一直在这里。{URGENT}。"
        return base
    if not routing.is_open(queue, now):
        opens = routing.next_open(queue, now)
        base.state = "closed"
        base.opens_at = when_text(opens, now) if opens else None
        base.call_now = routing.open_lines(region, now, besides=queue)
        when = f"{base.opens_at}上班" if base.opens_at else "上班时间还没定"
        urgent = f"着急请打{lines_text(routing, base.call_now)}；" if base.call_now else ""
        base.headline = f"{queue}已下班，{when}" if base.opens_at else f"{queue}已下班"
        base.banner = f"{moved}{name}现在下班，{when}。已为您登记，可以留电话等回电。{urgent}{URGENT}。"
        base.ack = f"您的话已经记下，{name}{when}后会看到。"
        return base
    base.position = position
    base.wait_minutes = max(1, math.ceil(position * routing.handling_seconds / 60))
    spoken = "" if may_still_move(routing, queue, region) else name
    base.headline = f"已转到{queue}，排第{position}位" if moved else f"排第{position}位，约{base.wait_minutes}分钟"
    base.banner = f"{moved}正在转接{spoken}人工客服：您排第{position}位，大约等{base.wait_minutes}分钟。"
    base.ack = f"已经转给{spoken}人工客服，接通后客服会先看到这句话。"
    return base


def handover_words(routing: RoutingTable, handoff: Handoff) -> list[str]:
    """What the bot says when the ticket is made (or asked for again). A waiting ticket whose line may still move
    with the region is not told by its line (the region question follows)."""
    name = handoff.queue_name
    if handoff.state == "joined":
        return [f"{name}的工作人员已经接入，请直接说您的事。"]
    if handoff.state == "emergency":
        return []  # the crisis words are the dialogue's (bot/rules/danger_replies.py): they already say it
    if handoff.state == "closed":
        when = f"，{handoff.opens_at}上班" if handoff.opens_at else ""
        urgent = f"着急的话，现在可以打{lines_text(routing, handoff.call_now)}。" if handoff.call_now else ""
        return [
            f"现在是{name}的下班时间{when}。已经为您登记，上班后工作人员会先看您的留言。",
            "想让工作人员上班后给您回电，请说一个电话号码，这个号码只用于回电。",
            f"{urgent}{URGENT}。这期间您也可以继续问我政策上的问题。",
        ]
    spoken = "" if may_still_move(routing, handoff.queue, handoff.region) else name
    return [
        f"正在为您转接{spoken}人工客服，您排第{handoff.position}位，大约等{handoff.wait_minutes}分钟。",
        "您可以直接把要办的事说出来，客服会看到。不想等了，说“取消”就行。",
    ]


def region_move_words(routing: RoutingTable, handoff: Handoff, region: str, moved: bool) -> list[str]:
    """What the resident is told after naming their region while the ticket waits: which line has them now
    (`moved`: another line than before; else the line they were waiting for is already theirs), then where they
    stand there: the place in an open queue; a line closed now is told in full when it is a new one (else what was
    said at the hand-over still holds)."""
    name = handoff.queue_name
    said = f"好的，您在{region}。" + (f"已经为您转到当地的{name}。" if moved else f"{name}就是您当地的热线。")
    if handoff.state == "waiting":
        return [f"{said}您排第{handoff.position}位，大约等{handoff.wait_minutes}分钟。"]
    return [said, *handover_words(routing, handoff)] if moved else [said]
