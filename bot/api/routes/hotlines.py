"""GET /api/hotlines — the hotlines a resident is told to call, from the routing table (config/escalation.yml), for
pages that do not know the resident's region yet (the web chat's header and its error messages)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from bot.rules.regions import REGIONS

router = APIRouter(tags=["chat"])


@router.get("/api/hotlines")
def hotlines(request: Request) -> dict:
    """`text`: each region's disability hotline (e.g. "12385残疾人服务热线（绥芬河市）或12345…（潞城区）");
    `regions`: per region, the disability and the general hotline."""
    routing = request.app.state.routing
    return {
        "text": routing.hotline_phrase(None),
        "general": routing.hotline_phrase(None, "general"),
        "regions": {
            r: {"disability": routing.hotline_phrase(r), "general": routing.hotline_phrase(r, "general")}
            for r in REGIONS
        },  # fmt: skip
    }
