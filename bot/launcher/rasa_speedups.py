"""CPU fixes for the Rasa 3.6 server, applied at start-up; they change no result, only the cost.

Runs inside the Rasa environment (`.venv-rasa`), so it imports only Rasa and the standard library.
Profiled with py-spy (docs/benchmarks.md): on a form turn Rasa spent ~44% of its CPU re-checking one constant JSON
schema, and ~7–12% searching the Event class tree once per stored event.

1. `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)` for every custom-action reply.
   jsonschema 4 re-validates the *schema* against the draft 2020-12 meta-schema on each call (~20 ms). We check the
   schema once and keep the validator: the reply is validated exactly as before (same schema, same best-matching
   error, same message), in ~0.3 ms.
2. `Event.resolve_by_type` walks all Event subclasses (recursively, with `inspect.isabstract`) for every event it
   deserialises, i.e. for every event of the tracker on every turn with a Redis tracker store. We remember each
   type name's class once found; names not found yet (or unknown) still go through Rasa's own lookup.
3. `RedisTrackerStore._merge_trackers` (run on every save when the stored and in-memory histories differ) turns
   every stored event into a dict again for every new event: quadratic in the length of the conversation (~12% of
   Rasa's CPU at 10 concurrent conversations). We turn each event into a dict once and test membership in that list,
   which is the same comparison (`==` on the dicts) with the same outcome.
"""

from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger(__name__)
SUPPORTED_RASA = "3.6."  # the patched functions are copied from Rasa 3.6.21; re-check them before an upgrade
_APPLIED = False


def _cached_response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate does on every call; once is enough
    return validator_class(schema)


def patch_action_result_validation() -> None:
    """Validate action-server replies with a validator built once (same schema, same errors)."""
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    validator = _cached_response_validator()

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the Action "
                f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def patch_event_type_lookup() -> None:
    """Remember the Event class of each type name instead of walking the class tree per event."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = original(type_name, default)
        if cls is not None and cls is not default and getattr(cls, "type_name", None) == type_name:
            found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


def merge_trackers(prior_tracker: Any, tracker: Any) -> Any:
    """Rasa 3.6's `RedisTrackerStore._merge_trackers`, with each event's `as_dict()` computed once."""
    if not prior_tracker.events:
        return tracker
    last_event_timestamp = prior_tracker.events[-1].timestamp
    past_tracker = tracker.travel_back_in_time(target_time=last_event_timestamp)
    if past_tracker.events == prior_tracker.events:
        return tracker
    merged = tracker.init_copy()
    merged.update_with_events(list(prior_tracker.events), override_timestamp=False, domain=None)
    known = [event.as_dict() for event in merged.events]
    for new_event in tracker.events:
        as_dict = new_event.as_dict()
        if as_dict not in known:  # Rasa: all(new.as_dict() != existing.as_dict() for existing in merged.events)
            merged.update(new_event)
            known.append(as_dict)
    return merged


def patch_redis_tracker_merge() -> None:
    """Use `merge_trackers` unless a bounded event history could drop events while merging."""
    from rasa.core.tracker_store import RedisTrackerStore

    original = RedisTrackerStore._merge_trackers

    def _merge_trackers(prior_tracker: Any, tracker: Any) -> Any:
        if tracker._max_event_history is not None:  # events may fall off the front: keep Rasa's own loop
            return original(prior_tracker, tracker)
        return merge_trackers(prior_tracker, tracker)

    RedisTrackerStore._merge_trackers = staticmethod(_merge_trackers)  # type: ignore[method-assign]


def apply() -> bool:
    """Apply all patches once; False (nothing patched) when switched off or on a Rasa other than 3.6."""
    global _APPLIED
    if _APPLIED:
        return True
    import rasa

    if os.environ.get("ACCESSLINE_RASA_SPEEDUPS", "1") == "0":
        log.info("Rasa speed-ups switched off (ACCESSLINE_RASA_SPEEDUPS=0).")
        return False
    if not rasa.__version__.startswith(SUPPORTED_RASA):
        log.warning("Rasa %s: speed-ups written for %sx, not applied.", rasa.__version__, SUPPORTED_RASA)
        return False
    patch_action_result_validation()
    patch_event_type_lookup()
    patch_redis_tracker_merge()
    _APPLIED = True
    log.info("Rasa speed-ups applied (cached response validator, event type lookup, linear tracker merge).")
    return True
