"""GET /metrics — Prometheus text format: queues, waiting and response times, handoff rate.

Not public by default (issue 11, low): with METRICS_TOKEN set a scraper sends `Authorization: Bearer <token>`;
without it only clients on this machine (loopback) may read; METRICS_PUBLIC=true opens it to all."""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select

from bot.core.security import same_secret
from bot.storage.models import Ticket
from bot.storage.redis_client import RoundTrips

router = APIRouter(tags=["health"])


class TicketCollector:
    """Reads the numbers from the database at scrape time (the database is the source of truth)."""

    def __init__(self, app) -> None:  # noqa: ANN001 - the FastAPI app
        self._app = app

    def collect(self):
        state = self._app.state
        now = datetime.now(timezone.utc)
        waiting = GaugeMetricFamily("accessline_queue_length", "Tickets waiting for an operator", labels=["queue"])
        oldest = GaugeMetricFamily("accessline_queue_oldest_wait_seconds", "Longest current wait", labels=["queue"])
        first = GaugeMetricFamily(
            "accessline_first_response_seconds_avg", "Mean time to an operator's first reply", labels=["queue"]
        )
        created = CounterMetricFamily("accessline_tickets", "Tickets created", labels=["queue", "priority"])
        turns = CounterMetricFamily("accessline_chat_turns", "Chat turns handled by this gateway process")
        rate = GaugeMetricFamily("accessline_handoff_rate", "Tickets per chat turn since this process started")
        with state.sessions() as session:
            for queue in state.routing.queue_names:
                rows = session.scalars(
                    select(Ticket.created_at).where(Ticket.queue == queue, Ticket.status == "waiting")
                )
                ages = [(now - _aware(c)).total_seconds() for c in rows]
                waiting.add_metric([queue], len(ages))
                oldest.add_metric([queue], max(ages, default=0.0))
                answered = session.execute(
                    select(Ticket.created_at, Ticket.first_response_at).where(
                        Ticket.queue == queue, Ticket.first_response_at.is_not(None)
                    )
                ).all()
                delays = [(_aware(f) - _aware(c)).total_seconds() for c, f in answered]
                first.add_metric([queue], sum(delays) / len(delays) if delays else 0.0)
            for queue, priority, count in session.execute(
                select(Ticket.queue, Ticket.priority, func.count()).group_by(Ticket.queue, Ticket.priority)
            ):
                created.add_metric([queue, priority], count)
            since_start = session.scalar(select(func.count()).where(Ticket.created_at >= state.started_at)) or 0
        chat_turns = state.chat_service.turns  # every channel's turns, counted once in the chat service
        turns.add_metric([], chat_turns)
        rasa = CounterMetricFamily("accessline_rasa_requests", "Requests this gateway process sent to Rasa")
        rasa.add_metric([], state.dialogue.requests)
        redis = CounterMetricFamily("accessline_redis_round_trips", "Round trips this gateway process made to Redis")
        redis.add_metric([], RoundTrips.total)
        rate.add_metric([], since_start / chat_turns if chat_turns else 0.0)
        yield from (waiting, oldest, first, created, turns, rate, rasa, redis)
        yield from _sip_metrics(getattr(state, "sip", None))


def _sip_metrics(endpoint):  # noqa: ANN001, ANN202 - the SIP endpoint or None
    """Phone calls (docs/telephony.md): active calls, RTP streams on the media clock, counters since start."""
    if endpoint is None:
        return
    stats = endpoint.stats()
    active = GaugeMetricFamily("accessline_sip_active_calls", "SIP calls in progress")
    active.add_metric([], stats["active_calls"])
    streams = GaugeMetricFamily("accessline_sip_rtp_streams", "RTP streams on the media clock")
    streams.add_metric([], stats["rtp_streams"])
    events = CounterMetricFamily("accessline_sip_events", "SIP calls and refused datagrams", labels=["kind"])
    for kind in ("calls", "dropped_not_allowed", "dropped_oversize", "malformed"):
        events.add_metric([kind], stats[kind])
    yield from (active, streams, events)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def metrics_allowed(request: Request) -> None:
    """Raises 401/403 unless the settings let this caller read the metrics."""
    settings = request.app.state.settings
    if settings.metrics_public:
        return
    if settings.metrics_token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not same_secret(given, settings.metrics_token):
            raise HTTPException(401, "metrics token required", headers={"WWW-Authenticate": "Bearer"})
        return
    host = request.client.host if request.client else ""
    if not (host in LOOPBACK or host.startswith("127.")):
        raise HTTPException(403, "metrics are readable from this machine only (or set METRICS_TOKEN)")


@router.get("/metrics", include_in_schema=False, dependencies=[Depends(metrics_allowed)])
def metrics(request: Request) -> Response:
    registry = CollectorRegistry()
    registry.register(TicketCollector(request.app))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
