"""The gateway's clock for office hours and SLA deadlines, which tests (and a demo at night) can set.

`ACCESSLINE_CLOCK` = an ISO time with offset (e.g. "2026-12-01T22:30:00+08:00") starts this process's clock at that
instant; it then runs at normal speed, so tickets created one after another keep their order. Ignored (and logged)
when ENVIRONMENT=production: a live service always tells residents the real time."""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timedelta, timezone

log = logging.getLogger(__name__)
VARIABLE = "ACCESSLINE_CLOCK"
_start: tuple[str, datetime, float] | None = None  # (setting, the set instant, monotonic time when first read)


def now() -> datetime:
    """The current time (UTC, timezone-aware), shifted when ACCESSLINE_CLOCK is set."""
    global _start
    setting = os.environ.get(VARIABLE, "").strip()
    if not setting:
        return datetime.now(timezone.utc)
    if _start is None or _start[0] != setting:
        if os.environ.get("ENVIRONMENT", "").lower() == "production":
            log.warning("%s is ignored in production", VARIABLE)
            return datetime.now(timezone.utc)
        moment = datetime.fromisoformat(setting)
        if moment.tzinfo is None:
            raise ValueError(f"{VARIABLE} needs a UTC offset, e.g. 2026-12-01T22:30:00+08:00")
        _start = (setting, moment.astimezone(timezone.utc), time.monotonic())
    return _start[1] + timedelta(seconds=time.monotonic() - _start[2])
