"""Run by tests/unit/test_rasa_speedups.py with the Rasa interpreter: compare Rasa's own functions with the patched
ones on the same inputs and print the outcomes as JSON (the gateway environment has no Rasa to import)."""

from __future__ import annotations

import json
import sys
from typing import Any


def _validation_outcome(validate: Any, action: Any, response: Any) -> str:
    from jsonschema import ValidationError

    try:
        validate(action, response)
        return "ok"
    except ValidationError as error:
        return f"invalid: {error.message}"


def _events(*specs: tuple[str, dict[str, Any]], start: float = 1000.0) -> list[Any]:
    from rasa.shared.core.events import Event

    return [
        Event.from_parameters({"event": name, "timestamp": start + i, **args}) for i, (name, args) in enumerate(specs)
    ]


def _tracker(events: list[Any]) -> Any:
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events("someone", events)


def merge_cases() -> dict[str, tuple[Any, Any]]:
    """(stored tracker, in-memory tracker) pairs as RedisTrackerStore.save meets them."""
    session = [
        ("slot", {"name": "session_started_metadata", "value": {"channel": "web"}}),
        ("action", {"name": "action_session_start"}),
        ("session_started", {}),
        ("action", {"name": "action_listen"}),
        ("user", {"text": "护理补贴怎么申请", "parse_data": {"intent": {"name": "faq", "confidence": 0.9}}}),
        ("action", {"name": "action_answer_faq"}),
        ("bot", {"text": "请问您在哪里？"}),
        ("slot", {"name": "pending_faq", "value": "faq/severe_care_subsidy"}),
        ("action", {"name": "action_listen"}),
    ]
    this_turn = [
        ("user", {"text": "潞城区", "parse_data": {"intent": {"name": "inform_region", "confidence": 0.8}}}),
        ("slot", {"name": "region", "value": "潞城区"}),
        ("bot", {"text": "潞城区的护理补贴……"}),
        ("slot", {"name": "pending_faq", "value": None}),
        ("action", {"name": "action_listen"}),
    ]
    stored = _events(*session)
    later = _events(*this_turn, start=2000.0)
    return {
        # Rasa keeps the metadata slot in front of action_session_start out of the last session: the usual case.
        "metadata_before_session": (_tracker(stored), _tracker([*stored[1:], *later])),
        "same_history": (_tracker(stored), _tracker([*stored, *later])),
        "nothing_stored": (_tracker([]), _tracker(later)),
        "repeated_event_in_new_turn": (_tracker(stored), _tracker([*stored[1:], *later, later[-1]])),
    }


def main() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.tracker_store import RedisTrackerStore
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = {
        "validate": RemoteAction._validate_action_result,
        "resolve": Event.resolve_by_type,
        "merge": RedisTrackerStore._merge_trackers,
    }
    from bot.launcher import rasa_speedups

    applied = rasa_speedups.apply()
    action = RemoteAction("action_answer_faq", None)
    responses = {
        "valid": {"events": [{"event": "slot", "name": "region", "value": "潞城区"}], "responses": [{"text": "好"}]},
        "empty": {},
        "events_not_a_list": {"events": {"event": "slot"}},
        "event_without_name": {"events": [{"name": "region", "value": "x"}]},
        "unknown_event": {"events": [{"event": "no_such_event"}]},
        "responses_not_objects": {"responses": ["text"]},
        "not_an_object": ["events"],
    }
    validation = {
        name: [
            _validation_outcome(original["validate"], action, body),
            _validation_outcome(RemoteAction._validate_action_result, action, body),
        ]
        for name, body in responses.items()
    }

    def resolve(function: Any, type_name: str, default: Any = None) -> str:
        try:
            found = function(type_name, default)
        except ValueError as error:
            return f"error: {error}"
        return getattr(found, "__name__", str(found))

    names = sorted({cls.type_name for cls in all_subclasses(Event)}) + ["topic", "no_such_event"]
    lookup = {name: [resolve(original["resolve"], name), resolve(Event.resolve_by_type, name)] for name in names}
    lookup["no_such_event_with_default"] = [
        resolve(original["resolve"], "no_such_event", Event),
        resolve(Event.resolve_by_type, "no_such_event", Event),
    ]
    lookup["cached_second_call"] = [resolve(original["resolve"], "slot"), resolve(Event.resolve_by_type, "slot")]

    merge = {}
    for name, (stored, current) in merge_cases().items():
        before = [e.as_dict() for e in original["merge"](stored, current).events]
        after = [e.as_dict() for e in RedisTrackerStore._merge_trackers(stored, current).events]
        merge[name] = {"same": before == after, "events": len(after), "first": after[0]["event"] if after else None}

    json.dump({"applied": applied, "validation": validation, "lookup": lookup, "merge": merge}, sys.stdout)


if __name__ == "__main__":
    main()
