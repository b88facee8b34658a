"""The internal API's submission schema, built from the benefit table (config/benefits.yml): one pydantic model
whose fields are the table's stored fields, each typed and bounded by its kind."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from bot.rules.benefits import BenefitTable, FieldSpec, load_table
from bot.rules.field_values import HOUSEHOLDS
from bot.rules.kinship import RELATIONS
from bot.rules.regions import REGIONS

HOUSEHOLD_VALUES = tuple(dict.fromkeys([status for _, status in HOUSEHOLDS] + ["无"]))
# Upper bounds on what an answer of each kind may be (outside input is bounded before any work).
MAX_LENGTH = {"name": 32, "id_number": 64, "disability_card": 64, "phone": 64, "address": 200, "town": 64,
              "device": 32, "choice": 32}  # fmt: skip


class SubmissionBase(BaseModel):
    """What every submission carries besides the application's fields."""

    idempotency_key: str = Field(min_length=8, max_length=128)
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    channel: str = Field(default="web", max_length=16)
    precheck_notes: list[str] = Field(default_factory=list, max_length=10)


def _literal(values: tuple[str, ...]) -> Any:
    return Literal[values]  # type: ignore[valid-type]


def _field_type(spec: FieldSpec) -> tuple[Any, Any]:
    if spec.kind == "region":
        return _literal(REGIONS), ...
    if spec.kind == "for_self":
        return bool, ...
    if spec.kind == "household":
        return _literal(HOUSEHOLD_VALUES) | None, None
    if spec.kind == "relation":
        return _literal(RELATIONS) | None, None
    if spec.kind == "date":
        return date | None, None
    if spec.kind == "choice" and not spec.open_choice:
        return _literal(tuple(c.value for c in spec.choices)) | None, None
    return str | None, Field(default=None, max_length=MAX_LENGTH.get(spec.kind, 64))


def submission_model(table: BenefitTable) -> type[BaseModel]:
    fields: dict[str, Any] = {"benefit": (_literal(tuple(table.benefits)), ...)}
    for spec in table.stored_fields():
        if spec.key != "benefit":
            fields[spec.key] = _field_type(spec)
    return create_model("Submission", __base__=SubmissionBase, **fields)


Submission = submission_model(load_table())
BenefitKey = _literal(tuple(load_table().benefits))
RegionName = _literal(REGIONS)
