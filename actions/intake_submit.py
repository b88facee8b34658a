"""The record an application form submits, built from its slots by the table (pure; used by the submit action)."""

from __future__ import annotations

from typing import Any

from bot.rules.benefits import BenefitTable
from bot.rules.field_values import NO_VALUE


def application_record(table: BenefitTable, slots: dict[str, Any]) -> dict[str, Any]:
    """benefit, for_self and every stored field of the benefit that applies (others None)."""
    spec = table.benefit(slots.get("benefit"))
    fields = spec.fields if spec else ()
    record: dict[str, Any] = {"benefit": slots.get("benefit")}
    for key, field in table.fields.items():
        if field.stored == "false" or key == "benefit":
            continue
        applies = key in fields and field.applies(slots)
        value = slots.get(key) if applies else None
        record[key] = None if value == NO_VALUE else value
    record["for_self"] = bool(slots.get("for_self"))
    return record
