"""The application form's validation action: runs one turn of actions/intake_dialogue.py for every message the
form receives (Rasa gives an active form every message first), and turns its result into Rasa events and messages.

One joint reading of each message replaces per-slot `extract_<slot>` methods: whose name or phone a number is
depends on the other facts in the same sentence ("我爸叫李长顺，我是他闺女李秀芬"), so all fields are read at once.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.answers import needs_region
from actions.faq import say_faq
from actions.intake_dialogue import Incoming, step
from actions.parse import faq_understood, selected_faq
from bot.rules.benefits import FORM_NAME
from bot.rules.routing import load_routing


def incoming_message(tracker: Tracker) -> Incoming:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    faq_key = selected_faq(tracker) if intent.get("name") == "faq" and faq_understood(tracker) else None
    metadata = message.get("metadata") if isinstance(message.get("metadata"), dict) else {}
    written = metadata.get("written")  # the gateway's text as written (bot/services/chat.py), when it differs
    return Incoming(
        text=(message.get("text") or "")[:1000],
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        faq_key=faq_key,
        written=written[:1000] if isinstance(written, str) else None,
    )


def render(dispatcher: CollectingDispatcher, domain: DomainDict, messages: list[dict], region: str | None) -> None:
    """Say the turn's messages; FAQ answers through the FAQ machinery, for the applicant's region."""
    for message in messages:
        if "faq" in message:
            if not say_faq(dispatcher, domain, message["faq"], region):
                dispatcher.utter_message(text="这个问题两个地区的规定不一样，请先告诉我申请人住在哪里。")
        else:
            dispatcher.utter_message(text=message["text"], buttons=message.get("buttons") or [])


class ValidateApplicationForm(FormValidationAction):
    """Every turn of the application form (see actions/intake_dialogue.py)."""

    def name(self) -> str:
        return f"validate_{FORM_NAME}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        if tracker.latest_action_name == "action_submit_application" and tracker.get_slot("requested_slot"):
            # back in the form after the gateway refused a value: the question is asked; wait for the answer
            return [SlotSet("requested_slot", tracker.get_slot("requested_slot"))]
        responses = domain.get("responses") or {}
        routing = load_routing()
        turn = step(
            dict(tracker.slots),
            incoming_message(tracker),
            needs_region=lambda key: needs_region(responses.get(f"utter_{key}") or []),
            hotline=routing.hotline_phrase,
        )
        if turn.outcome == "reject":
            return []  # nothing validated: the form rejects and the rules (hand-over, complaint, danger) run
        region = turn.slots.get("region", tracker.get_slot("region"))
        render(dispatcher, domain, turn.messages, region)
        events: list[dict] = [SlotSet(key, value) for key, value in turn.slots.items()]
        # Always one slot set besides requested_slot, or Rasa takes the turn for "nothing understood" and rejects.
        events.append(SlotSet("intake_turns", int(tracker.get_slot("intake_turns") or 0) + 1))
        events.append(SlotSet("requested_slot", turn.requested))
        if turn.outcome in ("cancelled", "no_consent", "handover"):
            events.append(ActiveLoop(None))
        if turn.outcome == "handover":
            # a person takes over: the ticket carries what was said so far (actions/escalation.py)
            events.append(FollowupAction("action_escalate"))
        return events
