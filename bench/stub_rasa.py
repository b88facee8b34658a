"""A stand-in for Rasa and the action server that answers every turn at once with a typical FAQ reply, so that
`bench/gateway_cpu.py` meters the gateway alone (its CPU per turn, its Redis round trips, its Rasa requests).

Serves the turn webhook (`{"messages": [...], "state": {...}}`, as bot/dialogue/turn_channel.py answers), `/status`
with a model file (what /readyz asks Rasa) and `/health` (what /readyz asks the action server); counts the turn
requests it received (`GET /count`). Run: `python -m bench.stub_rasa PORT`."""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.dialogue.client import REST_WEBHOOK, TURN_WEBHOOK

ANSWER = (
    "潞城区重度残疾人护理补贴：一级、二级重度残疾人，按每人每月标准发放。"
    "申请时带上身份证、残疾人证和户口本，到户籍所在地的乡镇（街道）残联提出申请，以残联和民政部门审核为准。"
)
MESSAGES = [
    {"recipient_id": "", "text": ANSWER},
    {"recipient_id": "", "text": "还想了解什么？", "buttons": [
        {"title": "我要申请护理补贴", "payload": "/apply{\"benefit\": \"care_subsidy\"}"},
        {"title": "转人工", "payload": "/handover"},
    ]},
]  # fmt: skip
STATE = {
    "latest_message": {
        "intent": {"name": "faq", "confidence": 0.97},
        "response_selector": {
            "faq": {"response": {"intent_response_key": "faq/severe_care_subsidy", "confidence": 0.91}}
        },
    },
    "active_loop": {"name": None},
}
received = {"turns": 0}


async def turn(request: Request) -> JSONResponse:
    body = await request.json()
    received["turns"] += 1
    messages = [{**m, "recipient_id": body.get("sender", "")} for m in MESSAGES]
    return JSONResponse({"messages": messages, "state": STATE})


async def rest(request: Request) -> JSONResponse:
    await request.json()
    received["turns"] += 1
    return JSONResponse(MESSAGES)


async def status(_request: Request) -> JSONResponse:
    return JSONResponse({"model_file": "stub.tar.gz"})


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def count(_request: Request) -> JSONResponse:
    return JSONResponse(received)


app = Starlette(
    routes=[
        Route(TURN_WEBHOOK, turn, methods=["POST"]),
        Route(REST_WEBHOOK, rest, methods=["POST"]),
        Route("/status", status),
        Route("/health", health),
        Route("/count", count),
    ]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
