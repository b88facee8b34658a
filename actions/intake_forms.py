"""Validation of the application forms (one per benefit, sharing their questions) and the status form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import intake_fields as fields
from actions.faq import say_faq
from actions.parse import faq_understood, selected_faq
from actions.readback import parse_correction

Parser = Callable[[str, dict], fields.Parsed]
PROXY_SLOTS = ("proxy_name", "proxy_relation", "proxy_phone")
FAQ_CONFIDENCE = 0.6

PARSERS: dict[str, Parser] = {
    "pi_consent": fields.parse_consent,
    "for_self": fields.parse_for_self,
    "proxy_name": fields.parse_name,
    "proxy_relation": fields.parse_relation,
    "proxy_phone": fields.parse_phone,
    "applicant_name": fields.parse_name,
    "id_number": fields.parse_id_number,
    "has_card": fields.parse_has_card,
    "card_number": fields.parse_card_number,
    "phone": lambda text, slots: fields.parse_phone(text, slots, same_as="proxy_phone"),
    "region": fields.parse_region,
    "town": fields.parse_town,
    "address": fields.parse_address,
    "household": fields.parse_household,
    "child_birth_date": fields.parse_birth_date,
    "status_reference": fields.parse_reference,
    "status_phone_last4": fields.parse_last4,
}


def _answered_a_question_instead(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """A policy question asked mid-form is answered (then the form asks its question again)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    if intent.get("name") != "faq" or intent.get("confidence", 0) < FAQ_CONFIDENCE or not faq_understood(tracker):
        return False
    faq_key = selected_faq(tracker)
    if not faq_key:
        return False
    if not say_faq(dispatcher, domain, faq_key, tracker.get_slot("region")):
        dispatcher.utter_message(text="这个问题两个地方的规定不一样。填完申请后再问我，我按您的地区回答。")
    dispatcher.utter_message(text="我们接着填申请。")
    return True


class FieldValidation(FormValidationAction):
    """Shared machinery: parse the requested slot's raw text with its parser, explain failures."""

    form = ""

    def name(self) -> str:
        return f"validate_{self.form}"

    def _validate(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None or isinstance(value, bool) or slot not in PARSERS:
            return {slot: value}
        if not isinstance(value, str):
            value = str(value)
        parsed = PARSERS[slot](value, dict(tracker.slots))
        if parsed.value is not None:
            return {slot: parsed.value}
        if tracker.get_slot("requested_slot") == slot and not _answered_a_question_instead(dispatcher, tracker, domain):
            dispatcher.utter_message(text=parsed.message or "没听清，请再说一遍。")
        return {slot: None}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict]:
        """Run the parser of every slot just filled (one generic path instead of a method per slot)."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        updates: dict[str, Any] = {}
        for slot, value in tracker.slots_to_validate().items():
            if slot not in required:
                continue
            if slot == "confirmed":
                result = self.validate_confirmed(value, dispatcher, tracker, domain)
            else:
                result = self._validate(slot, value, dispatcher, tracker, domain)
            if slot == "id_number" and result.get("id_number"):
                card = tracker.get_slot("card_number")
                if card and not str(card).startswith(result["id_number"]):
                    result["card_number"] = None  # the card number must start with the (new) ID number
            updates.update(result)
            tracker.slots.update(result)
        return [SlotSet(name, new) for name, new in updates.items()]

    def validate_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """确认 → submit; "电话错了，是…" → correct that field and read back again; 不对 → ask which."""
        if value is True:
            return {"confirmed": True}
        text = str(value or "")
        correction = parse_correction(text)
        if correction:
            slot, new_text = correction
            if slot in PROXY_SLOTS and tracker.get_slot("for_self"):
                slot = {"proxy_phone": "phone", "proxy_name": "applicant_name"}.get(slot, slot)
            if new_text and slot in PARSERS:
                parsed = PARSERS[slot](new_text, dict(tracker.slots))
                if parsed.value is not None:
                    dispatcher.utter_message(text="好的，已经改好了。")
                    return {slot: parsed.value, "confirmed": None}
                dispatcher.utter_message(text=parsed.message or "没听清。")
            return {slot: None, "confirmed": None}
        answer = fields.yes_or_no(text)
        if answer is True:
            return {"confirmed": True}
        if answer is False:
            dispatcher.utter_message(text="哪一项不对？直接说，比如“电话错了，是……”，或者“地址错了”。")
        elif not _answered_a_question_instead(dispatcher, tracker, domain):
            dispatcher.utter_message(text="请说“确认”提交；要改哪一项，直接说；不办了请说“取消”。")
        return {"confirmed": None}


class ApplicationFormValidation(FieldValidation):
    """Skips questions that do not apply (no proxy for oneself, no card number without a card)."""

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("pi_consent") is False:
            return []  # no consent: nothing more is asked, and nothing is collected
        skip: set[str] = set()
        if tracker.get_slot("for_self") is True:
            skip.update(PROXY_SLOTS)
        if tracker.get_slot("has_card") is False:
            skip.add("card_number")
        return [slot for slot in domain_slots if slot not in skip]


class ValidateLivingSubsidyForm(ApplicationFormValidation):
    form = "living_subsidy_form"


class ValidateCareSubsidyForm(ApplicationFormValidation):
    form = "care_subsidy_form"


class ValidateHomeModificationForm(ApplicationFormValidation):
    form = "home_modification_form"


class ValidateAssistiveDevicesForm(ApplicationFormValidation):
    form = "assistive_devices_form"


class ValidateChildRehabForm(ApplicationFormValidation):
    form = "child_rehab_form"


class ValidateStatusForm(FieldValidation):
    form = "status_form"
