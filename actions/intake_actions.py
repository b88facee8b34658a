"""Start, read back, submit and cancel applications; answer status questions."""

from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.gateway_client import client_tag, post
from actions.intake_fields import relation_in
from actions.readback import CONFIRM_QUESTION, group_digits, readback_messages
from bot.rules.benefits import BENEFITS, STATUS_NAMES, detect_benefit, format_reference
from bot.rules.eligibility import precheck

FORM_OF = {benefit: f"{benefit}_form" for benefit in BENEFITS}
APPLICATION_FORMS = set(FORM_OF.values())
PERSONAL_SLOTS = ("pi_consent", "for_self", "proxy_name", "proxy_relation", "proxy_phone", "applicant_name",
                  "id_number", "has_card", "card_number", "phone", "town", "address", "household",
                  "child_birth_date", "confirmed")  # fmt: skip
PROCESS_SLOTS = ("benefit", "application_token", "submission_pending", "requested_slot")


def _active_form(tracker: Tracker) -> str | None:
    return (tracker.active_loop or {}).get("name")


def clear_application() -> list[dict[str, Any]]:
    """Forget everything personal the form collected (the region stays: it is not personal)."""
    return [SlotSet(slot, None) for slot in (*PERSONAL_SLOTS, *PROCESS_SLOTS)]


class ActionStartApplication(Action):
    """Work out which benefit is asked for and start (or switch to) its form."""

    def name(self) -> str:
        return "action_start_application"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = (tracker.latest_message or {}).get("text") or ""
        benefit = detect_benefit(text)
        current = _active_form(tracker)
        if benefit is None:
            if current in APPLICATION_FORMS:
                dispatcher.utter_message(text="我们正在填申请，接着来。")
                return [FollowupAction(current)]
            dispatcher.utter_message(response="utter_ask_benefit")
            return []
        form = FORM_OF[benefit]
        events: list[dict] = [SlotSet("benefit", benefit)]
        if not tracker.get_slot("application_token"):
            events.append(SlotSet("application_token", uuid.uuid4().hex))
        relation = relation_in(text)
        if relation and tracker.get_slot("for_self") is None:
            events += [SlotSet("for_self", False), SlotSet("proxy_relation", relation)]
        if current == form:
            dispatcher.utter_message(text="我们正在填这个申请，接着来。")
        elif current in APPLICATION_FORMS:
            dispatcher.utter_message(text=f"好的，改为申请{BENEFITS[benefit]}。已经说过的信息不用再说。")
            events += [ActiveLoop(None), SlotSet("confirmed", None), SlotSet("requested_slot", None)]
        else:
            dispatcher.utter_message(response="utter_start_application", benefit_name=BENEFITS[benefit])
        return [*events, FollowupAction(form)]


class ActionAskConfirmed(Action):
    """Read the whole application back and ask for confirmation."""

    def name(self) -> str:
        return "action_ask_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        for text in readback_messages(dict(tracker.slots)):
            dispatcher.utter_message(text=text)
        buttons = [{"title": "确认", "payload": "确认"}, {"title": "取消", "payload": "取消"}]
        dispatcher.utter_message(text=CONFIRM_QUESTION, buttons=buttons)
        return []


def _age_years(birth_iso: str | None) -> float | None:
    if not birth_iso:
        return None
    from datetime import date

    return (date.today() - date.fromisoformat(birth_iso)).days / 365.25


def _level_and_category(card_number: str | None) -> tuple[int | None, str | None]:
    from bot.rules.disability_card import validate_disability_card

    if not card_number:
        return None, None
    check = validate_disability_card(card_number)
    return (check.level, check.category) if check.ok else (None, None)


class ActionSubmitApplication(Action):
    """Send the confirmed application to the gateway; tell the reference; clear the personal slots."""

    def name(self) -> str:
        return "action_submit_application"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        slots = tracker.slots
        if slots.get("pi_consent") is False:
            dispatcher.utter_message(response="utter_no_consent")
            return clear_application()
        if slots.get("confirmed") is not True or not slots.get("application_token"):
            dispatcher.utter_message(text="现在没有要提交的申请。想申请的话，说“我要申请”就行。")
            return []
        level, category = _level_and_category(slots.get("card_number"))
        check = precheck(
            slots["benefit"],
            region=slots.get("region"),
            level=level,
            category=category,
            household=slots.get("household"),
            child_age_years=_age_years(slots.get("child_birth_date")),
        )
        payload = {
            "idempotency_key": slots["application_token"],
            "sender_id": tracker.sender_id,
            "channel": (tracker.get_latest_input_channel() or "web")[:16],
            "benefit": slots["benefit"],
            "region": slots.get("region"),
            "applicant_name": slots.get("applicant_name"),
            "id_number": slots.get("id_number"),
            "card_number": slots.get("card_number") if slots.get("has_card") else None,
            "phone": slots.get("phone"),
            "town": slots.get("town"),
            "address": slots.get("address"),
            "household": slots.get("household"),
            "for_self": bool(slots.get("for_self")),
            "proxy_name": slots.get("proxy_name"),
            "proxy_relation": slots.get("proxy_relation"),
            "proxy_phone": slots.get("proxy_phone"),
            "child_birth_date": slots.get("child_birth_date"),
            "precheck_notes": check.notes,
        }
        reply = await post("/internal/applications", payload)
        if reply.unavailable:
            dispatcher.utter_message(
                text="对不起，系统现在保存不了申请。您说的信息都还在，不会丢。过几分钟说“提交”再试一次，或者拨打12385。"
            )
            return [SlotSet("submission_pending", True)]
        if reply.status == 422:
            dispatcher.utter_message(text=reply.body.get("detail") or "有一项信息不对，请再核对。")
            return [SlotSet("confirmed", None), SlotSet("submission_pending", None)]
        reference = reply.body["reference"]
        dispatcher.utter_message(
            text=f"已经提交了。申请编号是 {format_reference(reference)}。请记下来，以后问进度要用这个编号。"
        )
        for note in check.notes:
            dispatcher.utter_message(text=note)
        return clear_application()


class ActionCancelApplication(Action):
    """Stop the form (or the status question) and forget what was collected."""

    def name(self) -> str:
        return "action_cancel_application"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        form = _active_form(tracker)
        if form == "status_form":
            dispatcher.utter_message(text="好的，不查了。还有什么可以帮您？")
            return [ActiveLoop(None), SlotSet("status_reference", None), SlotSet("status_phone_last4", None),
                    SlotSet("requested_slot", None)]  # fmt: skip
        if form in APPLICATION_FORMS or tracker.get_slot("application_token"):
            dispatcher.utter_message(response="utter_application_cancelled")
            return [ActiveLoop(None), *clear_application()]
        dispatcher.utter_message(response="utter_nothing_to_cancel")
        return []


class ActionCheckStatus(Action):
    """Tell the status for a reference + phone pair, in plain words; the same neutral answer otherwise."""

    def name(self) -> str:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if _active_form(tracker) in APPLICATION_FORMS:
            dispatcher.utter_message(text="您正在填一份申请。先把它填完，或者说“取消”，再查进度。")
            return []
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
        if reply.unavailable:
            dispatcher.utter_message(text="对不起，现在查不了。请过一会儿再试，或者拨打12385。")
        elif body.get("blocked"):
            dispatcher.utter_message(text="查询次数太多了。请过一会儿再试，或者拨打12385残疾人服务热线。")
        elif not body.get("found"):
            dispatcher.utter_message(
                text=f"没有查到编号 {group_digits(reference)} 和这个电话对得上的申请。请核对后再试，或者拨打12385。"
            )
        else:
            benefit = BENEFITS.get(body["benefit"], "申请")
            status = STATUS_NAMES.get(body["status"], body.get("status_text", ""))
            dispatcher.utter_message(text=f"您的{benefit}申请：{status}。")
            if body["status"] == "need_more_info" and body.get("note"):
                dispatcher.utter_message(text=f"工作人员说：{body['note']}")
        return clear
