"""The status question ("我的申请到哪了"): the reference and the last four digits of the phone."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.rules.spoken_numbers import extract_digit_run


def parse_reference(text: str) -> str | None:
    digits = extract_digit_run(text) or ""
    return digits if len(digits) == 8 else None


def parse_last4(text: str) -> str | None:
    digits = extract_digit_run(text) or ""
    return digits[-4:] if len(digits) >= 4 else None


class ValidateStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_status_form"

    def validate_status_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reference = parse_reference(str(value or ""))
        if reference is None:
            dispatcher.utter_message(text="申请编号是8位数字，请再说一遍。")
        return {"status_reference": reference}

    def validate_status_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        last4 = parse_last4(str(value or ""))
        if last4 is None:
            dispatcher.utter_message(text="请说电话号码的最后4位数字。")
        return {"status_phone_last4": last4}
