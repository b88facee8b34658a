"""Standing check (issue 11): Schemathesis over the gateway's OpenAPI description, with and without staff and
operator tokens. Read-only routes run against the shared test stack (real Rasa, Redis, action server); every route,
writes included, runs against a throwaway gateway with its own database and its own copy of nlu_data. No 5xx
(except a documented 503), no answer outside its schema. FUZZ_API_EXAMPLES (default 12) bounds each operation."""

from __future__ import annotations

import shutil
import uuid

import httpx
import pytest

from bot.cli import create_user
from bot.core.config import PROJECT_ROOT
from bot.main import create_app
from tests.api.conftest import make_settings
from tests.api.live_server import serve
from tests.fuzz.api_fuzzer import FuzzReport, assert_clean, fuzz_api

pytestmark = pytest.mark.timeout(900)
PASSWORD = "fuzzing password 42"
ROLES = ("staff", "operator")


def tokens(base_url: str, prefix: str) -> dict[str, dict[str, str]]:
    """No token, and a token of each role (the users must exist)."""
    variants: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ROLES:
        answer = httpx.post(f"{base_url}/api/auth/token", data={"username": f"{prefix}{role}", "password": PASSWORD})
        answer.raise_for_status()
        variants[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return variants


def short_long_poll(case) -> None:  # noqa: ANN001
    """The updates long poll waits 25 s by default, by design; the fuzzer asks it not to wait."""
    if case.operation.path.endswith("/updates"):
        case.query = {**(case.query or {}), "wait": 0}


@pytest.mark.stack
def test_read_only_routes_on_the_shared_stack(stack) -> None:
    prefix = "fz" + uuid.uuid4().hex[:6]
    for role in ROLES:
        create_user(f"{prefix}{role}", role, PASSWORD, stack.config.database_url)
    report = FuzzReport()
    for headers in tokens(stack.url, prefix).values():
        fuzz_api(stack.url, headers, lambda method, _path: method == "GET", report, tweak=short_long_poll)
    assert_clean(report)


def test_every_route_on_a_throwaway_gateway(tmp_path) -> None:
    """Writes go to this gateway's own SQLite file and nlu_data copy; Rasa is absent (its routes answer 503)."""
    nlu_data = tmp_path / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", nlu_data)
    database = f"sqlite:///{tmp_path / 'fuzz.db'}"
    settings = make_settings(database, tmp_path).model_copy(
        update={
            "nlu_data_dir": nlu_data,
            "faq_rasa_validate": False,
            "training_runner": False,
            "models_dir": tmp_path / "models",
            "wechat_token": "fuzz-wechat-token",
            "voice_ws_token": "fuzz-voice-token",
            "chat_rate_per_address": 0,
            "chat_rate_per_sender": 0,
            "voice_rate_per_address": 0,
            "voice_rate_per_sender": 0,
        }
    )
    for role in ROLES:
        create_user(f"fz{role}", role, PASSWORD, database)
    report = FuzzReport()
    with serve(create_app(settings)) as url:
        variants = tokens(url, "fz")
        variants["internal"] = {"X-Internal-Token": settings.internal_api_token or ""}
        for headers in variants.values():
            fuzz_api(url, headers, lambda _method, _path: True, report, tweak=short_long_poll)
    assert_clean(report)


def test_the_fuzzer_finds_an_answer_outside_the_schema(tmp_path) -> None:
    """Negative control: with FastAPI's default OpenAPI (its 422 is a list of errors, ours `{detail, fields}`),
    the same run must report schema violations, so a clean run above means something."""
    from fastapi.openapi.utils import get_openapi

    app = create_app(make_settings(f"sqlite:///{tmp_path / 'control.db'}", tmp_path))
    app.openapi = lambda: get_openapi(title=app.title, version=app.version, routes=app.routes)
    report = FuzzReport()
    with serve(app) as url:
        fuzz_api(url, {}, lambda method, path: (method, path) == ("POST", "/api/voice/tts"), report)
    assert report.requests and any("schema violation" in failure for failure in report.failures)
