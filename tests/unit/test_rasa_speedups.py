"""The Rasa speed-ups (bot/launcher/rasa_speedups.py) give exactly Rasa's own results, checked inside the Rasa env."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.core.config import PROJECT_ROOT
from bot.launcher.model import rasa_environment, rasa_executable

CHECK = Path(__file__).with_name("rasa_speedups_check.py")


@pytest.fixture(scope="module")
def outcomes() -> dict:
    python = rasa_executable().with_name("python")
    if not python.exists():
        pytest.skip("the Rasa environment (.venv-rasa) is not installed")
    result = subprocess.run(
        [str(python), str(CHECK)], cwd=PROJECT_ROOT, env=rasa_environment({}), capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_patches_apply_on_this_rasa(outcomes: dict) -> None:
    assert outcomes["applied"] is True


def test_action_replies_are_validated_as_before(outcomes: dict) -> None:
    validation = outcomes["validation"]
    for name, (rasa, patched) in validation.items():
        assert patched == rasa, name
    assert validation["valid"][1] == "ok"
    for bad in ("events_not_a_list", "event_without_name", "unknown_event", "responses_not_objects", "not_an_object"):
        assert validation[bad][1].startswith("invalid: ") and "Action server response" in validation[bad][1]


def test_event_types_resolve_to_the_same_classes(outcomes: dict) -> None:
    lookup = outcomes["lookup"]
    for name, (rasa, patched) in lookup.items():
        assert patched == rasa, name
    assert lookup["slot"][1] == "SlotSet" and lookup["user"][1] == "UserUttered"
    assert lookup["no_such_event"][1].startswith("error: Unknown event name")


def test_tracker_merge_keeps_the_same_events(outcomes: dict) -> None:
    merge = outcomes["merge"]
    assert all(case["same"] for case in merge.values()), merge
    # The usual case in this project: message metadata puts a slot event before the session start.
    assert merge["metadata_before_session"]["first"] == "slot"
    assert merge["metadata_before_session"]["events"] == merge["same_history"]["events"]
