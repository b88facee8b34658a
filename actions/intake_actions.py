"""Start, submit and cancel applications; answer status questions.

After an application is stored every slot of the form is cleared from the tracker (names, ID, card, phones,
address, proxy data, birth date …): the gateway's database is the one place they are kept, encrypted. The region
stays (it is not personal and the FAQ uses it)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import intake_texts as texts
from actions.gateway_client import client_tag, post, resident_channel
from actions.intake_dialogue import hidden_slots, refused
from actions.intake_form import render
from actions.intake_submit import application_record
from actions.readback import group_digits
from actions.safety_net import numbers_first
from bot.rules.benefits import FORM_NAME, STATUS_NAMES, format_reference, load_table
from bot.rules.disability_card import validate_disability_card
from bot.rules.eligibility import precheck_for
from bot.rules.routing import load_routing


def clear_application() -> list[dict[str, Any]]:
    """Forget everything the form collected (the region stays: it is not personal)."""
    keys = [*load_table().all_form_fields, *hidden_slots(), "requested_slot"]
    return [SlotSet(key, None) for key in dict.fromkeys(keys) if key != "region"]


def _hotline(tracker: Tracker) -> str:
    return load_routing().hotline_phrase(tracker.get_slot("region"))


class ActionStartApplication(Action):
    """Any way of saying "I want to apply" starts the one application form at once; the form reads the benefit,
    the family member and every other fact from the same message."""

    def name(self) -> str:
        return "action_start_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        await numbers_first(dispatcher, tracker)  # read as "I want to apply", yet sounds like danger: numbers first
        events: list[dict] = []
        if not tracker.get_slot("application_token"):
            events.append(SlotSet("application_token", uuid.uuid4().hex))
        return [*events, FollowupAction(FORM_NAME)]


def _submission(tracker: Tracker) -> dict[str, Any]:
    table = load_table()
    slots = dict(tracker.slots)
    record = application_record(table, slots)
    card = validate_disability_card(record.get("card_number") or "")
    notes = precheck_for(
        record["benefit"],
        record,
        level=card.level if card.ok else None,
        category=card.category if card.ok else None,
        today=date.today(),
    )
    return {
        **record,
        "idempotency_key": slots["application_token"],
        "sender_id": tracker.sender_id,
        "channel": resident_channel(tracker),
        "precheck_notes": notes.notes,
    }


class ActionSubmitApplication(Action):
    """Send the confirmed application to the gateway; tell the reference and the pre-check; clear the slots."""

    def name(self) -> str:
        return "action_submit_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_slot("confirmed") is not True or not tracker.get_slot("application_token"):
            if tracker.latest_action_name != FORM_NAME:  # the form ending by "取消" needs no word from here
                dispatcher.utter_message(text=texts.NOTHING_TO_SUBMIT)
            return []
        payload = _submission(tracker)
        reply = await post("/internal/applications", payload)
        if reply.unavailable:
            dispatcher.utter_message(text=texts.STORE_FAILED.format(hotline=_hotline(tracker)))
            return [SlotSet("submission_pending", True)]
        if reply.status == 422:  # the gateway's own check refused a value: ask it again (twice: a person helps)
            detail = str(reply.body.get("detail") or "有一项信息不对，请再核对。")[:200]
            turn = refused(load_table(), dict(tracker.slots), str(reply.body.get("field") or ""), detail)
            render(dispatcher, domain, turn.messages, tracker.get_slot("region"))
            events: list[dict] = [SlotSet(key, value) for key, value in turn.slots.items()]
            events.append(SlotSet("submission_pending", None))
            if turn.outcome == "handover":
                return [*events, SlotSet("requested_slot", None), FollowupAction("action_escalate")]
            return [*events, SlotSet("requested_slot", turn.requested), ActiveLoop(FORM_NAME)]
        reference = reply.body["reference"]
        dispatcher.utter_message(text=texts.SUBMITTED.format(reference=format_reference(reference)))
        for note in payload["precheck_notes"]:
            dispatcher.utter_message(text=note)
        return clear_application()


class ActionCancelApplication(Action):
    """ "取消" outside the application form: stop the status question, or say there is nothing to cancel."""

    def name(self) -> str:
        return "action_cancel_application"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        form = (tracker.active_loop or {}).get("name")
        if form == "status_form":
            dispatcher.utter_message(text="好的，不查了。还有什么可以帮您？")
            return [ActiveLoop(None), SlotSet("status_reference", None), SlotSet("status_phone_last4", None),
                    SlotSet("requested_slot", None)]  # fmt: skip
        if tracker.get_slot("application_token") or tracker.get_slot("submission_pending"):
            dispatcher.utter_message(text=texts.CANCELLED)
            return [ActiveLoop(None), *clear_application()]
        dispatcher.utter_message(response="utter_nothing_to_cancel")
        return []


class ActionCheckStatus(Action):
    """Tell the status for a reference + phone pair, in plain words; the same neutral answer otherwise."""

    def name(self) -> str:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        reference = tracker.get_slot("status_reference")
        last4 = tracker.get_slot("status_phone_last4")
        clear = [SlotSet("status_reference", None), SlotSet("status_phone_last4", None)]
        if not reference or not last4:
            return clear
        reply = await post(
            "/internal/applications/status",
            {
                "sender_id": tracker.sender_id,
                "reference": reference,
                "phone_last4": last4,
                "client": client_tag(tracker),
            },
        )
        body = reply.body
        hotline = _hotline(tracker)
        if reply.unavailable:
            dispatcher.utter_message(text=f"对不起，现在查不了。请过一会儿再试，或者拨打{hotline}。")
        elif body.get("blocked"):
            dispatcher.utter_message(text=f"查询次数太多了。请过一会儿再试，或者拨打{hotline}。")
        elif not body.get("found"):
            dispatcher.utter_message(
                text=f"没有查到编号 {group_digits(reference)} 和这个电话对得上的申请。请核对后再试，或者拨打{hotline}。"
            )
        else:
            benefit = load_table().name_of(body["benefit"])
            status = STATUS_NAMES.get(body["status"], body.get("status_text", ""))
            dispatcher.utter_message(text=f"您的{benefit}申请：{status}。")
            if body["status"] == "need_more_info" and body.get("note"):
                dispatcher.utter_message(text=f"工作人员说：{body['note']}")
        return clear
