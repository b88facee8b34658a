"""Benefit applications: idempotent submission checked field by field against the benefit table, status lookups for
residents, status changes by staff, and the views staff get (full, or with personal fields masked)."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime, timezone
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher
from bot.rules.benefits import TRANSITIONS, BenefitTable, FieldSpec, load_table
from bot.rules.disability_card import validate_disability_card
from bot.rules.id_card import validate_id_number
from bot.rules.masking import mask_sensitive
from bot.rules.names import is_name
from bot.rules.phone import validate_phone
from bot.services.application_schema import Submission
from bot.storage.models import Application, AuditEntry, StatusChange
from bot.text.normalize import simplified

__all__ = ["InvalidApplication", "Submission", "TransitionNotAllowed", "submit", "full_view", "masked_view"]
CARD_FACTS = ("disability_category", "disability_level")


class InvalidApplication(ValueError):
    """A field failed validation; the message says which, in plain Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TransitionNotAllowed(ValueError):
    pass


def sender_hash(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode()).hexdigest()


def _check(spec: FieldSpec, value: Any, values: dict[str, Any]) -> Any:
    """The stored form of one value, or InvalidApplication (never store an invalid ID, phone or non-name)."""
    if spec.kind == "name":
        # the form's own test of a name answered outright, on its simplified form (a name is stored as written)
        if not isinstance(value, str) or not is_name(simplified(value), known_surname=False):
            raise InvalidApplication(spec.key, f"{spec.label}的名字不对，请再核对。")
        return value.strip()
    if spec.kind == "id_number":
        check = validate_id_number(value)
        if not check.ok:
            raise InvalidApplication(spec.key, check.message)
        return check.value
    if spec.kind == "phone":
        phone = validate_phone(value)
        if not phone.ok:
            raise InvalidApplication(spec.key, phone.message)
        return phone.value
    if spec.kind == "disability_card":
        card = validate_disability_card(value, id_number=values.get("id_number"))
        if not card.ok:
            raise InvalidApplication(spec.key, card.message)
        values.update(disability_category=card.category, disability_level=card.level)
        return card.value
    if spec.kind == "date":
        born = value if isinstance(value, date) else date.fromisoformat(str(value))
        id_check = validate_id_number(values.get("id_number") or "")
        if spec.from_id_number and id_check.ok and id_check.birth_date != born:
            raise InvalidApplication(spec.key, "孩子的出生日期和身份证号里的不一样，请再核对。")
        return born.isoformat()
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise InvalidApplication(spec.key, f"{spec.label}没有填。")
    return value


def checked_values(table: BenefitTable, submission: BaseModel) -> dict[str, Any]:
    """Every field the benefit needs, checked and normalised; fields that do not apply are dropped."""
    data = submission.model_dump()
    benefit = table.benefits[data["benefit"]]
    values: dict[str, Any] = {"benefit": data["benefit"], "region": data["region"], "for_self": data["for_self"]}
    for key in dict.fromkeys(("id_number", *benefit.fields)):  # the ID first: the card and birth date need it
        spec = table.fields[key]
        if key in ("region", "for_self") or spec.stored == "false" or not spec.applies(values):
            continue
        raw = data.get(key)
        if raw in (None, ""):
            if spec.optional:
                values[key] = None
                continue
            raise InvalidApplication(key, f"{spec.label}没有填。")
        values[key] = _check(spec, raw, values)
    return values


def _new_reference(session: Session) -> str:
    """Eight digits, first not zero: short and easy to read aloud; unique in the table."""
    while True:
        reference = str(secrets.randbelow(90_000_000) + 10_000_000)
        if session.scalar(select(Application.id).where(Application.reference == reference)) is None:
            return reference


def _split(table: BenefitTable, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    personal = {key: values.get(key) for key in CARD_FACTS}
    details: dict[str, Any] = {}
    for spec in table.stored_fields():
        if spec.key not in values or spec.stored == "column":
            continue
        (personal if spec.stored == "personal" else details)[spec.key] = values[spec.key]
    return personal, details


def submit(session: Session, cipher: FieldCipher, submission: BaseModel) -> tuple[Application, bool]:
    """Store the application once. A retry with the same idempotency key returns the first record."""
    key = submission.idempotency_key  # type: ignore[attr-defined]
    existing = session.scalar(select(Application).where(Application.idempotency_key == key))
    if existing is not None:
        return existing, False
    table = load_table()
    values = checked_values(table, submission)
    personal, details = _split(table, values)
    application = Application(
        reference=_new_reference(session),
        idempotency_key=key,
        benefit=values["benefit"],
        region=values["region"],
        status="submitted",
        channel=submission.channel,  # type: ignore[attr-defined]
        sender_hash=sender_hash(submission.sender_id),  # type: ignore[attr-defined]
        personal_enc=cipher.encrypt(json.dumps(personal, ensure_ascii=False)),
        id_number_hash=cipher.lookup_hash(values["id_number"]),
        phone_hash=cipher.lookup_hash(values["phone"]),
        details=details,
        precheck_notes=submission.precheck_notes,  # type: ignore[attr-defined]
    )
    application.changes.append(StatusChange(actor="resident", from_status=None, to_status="submitted", note=""))
    session.add(application)
    try:
        session.commit()
    except IntegrityError:  # a concurrent retry stored it first (same key) or a reference collided
        session.rollback()
        existing = session.scalar(select(Application).where(Application.idempotency_key == key))
        if existing is not None:
            return existing, False
        raise
    return application, True


def personal_data(application: Application, cipher: FieldCipher) -> dict[str, Any]:
    return json.loads(cipher.decrypt(application.personal_enc) or "{}")


def find_for_resident(session: Session, cipher: FieldCipher, reference: str, phone_last4: str) -> Application | None:
    """The application only if the reference and the phone's last four digits both match."""
    application = session.scalar(select(Application).where(Application.reference == reference))
    if application is None:
        return None
    phone = str(personal_data(application, cipher).get("phone") or "")
    return application if secrets.compare_digest(phone[-4:], phone_last4) else None


def change_status(session: Session, application: Application, to_status: str, actor: str, note: str) -> StatusChange:
    """Move along the lifecycle; every change is recorded with who, when, from → to and the note."""
    if to_status not in TRANSITIONS.get(application.status, frozenset()):
        raise TransitionNotAllowed(f"{application.status} → {to_status}")
    change = StatusChange(actor=actor, from_status=application.status, to_status=to_status, note=note)
    application.changes.append(change)
    application.status = to_status
    application.updated_at = datetime.now(timezone.utc)
    session.add(AuditEntry(actor=actor, action="application.status", target=application.reference,
                           details={"from": change.from_status, "to": to_status}))  # fmt: skip
    session.commit()
    return change


def _mask(spec: FieldSpec, value: Any) -> Any:
    """A personal value as lists and exports show it: enough to recognise, not enough to misuse."""
    if value in (None, ""):
        return value
    text = str(value)
    if spec.kind == "name":
        return text[:1] + "*" * max(len(text) - 1, 1)
    if spec.kind in ("id_number", "phone", "disability_card"):
        return mask_sensitive(text)
    if spec.kind == "address":
        return text[:3] + "***"
    if spec.kind == "date":
        return text[:4] + "-**-**"
    return value


def _fields(application: Application, cipher: FieldCipher) -> tuple[dict[str, Any], dict[str, Any]]:
    return personal_data(application, cipher), dict(application.details or {})


def masked_view(application: Application, cipher: FieldCipher) -> dict[str, Any]:
    """A summary with personal fields masked (for lists, exports and the operator console)."""
    table = load_table()
    personal, details = _fields(application, cipher)
    view: dict[str, Any] = {
        "reference": application.reference,
        "benefit": application.benefit,
        "benefit_name": table.name_of(application.benefit, application.benefit),
        "region": application.region,
        "status": application.status,
        "created_at": application.created_at.isoformat(),
    }
    for spec in table.stored_fields():
        if spec.stored == "personal":
            view[spec.key] = _mask(spec, personal.get(spec.key)) if spec.kind != "household" else personal.get(spec.key)
        elif spec.stored == "details":
            view[spec.key] = details.get(spec.key)
    view.update({key: personal.get(key) for key in CARD_FACTS})
    return view


def full_view(application: Application, cipher: FieldCipher) -> dict[str, Any]:
    """Every field in clear, with the status history (only for staff and admin; audit every call)."""
    personal, details = _fields(application, cipher)
    return {
        **masked_view(application, cipher),
        **details,
        **personal,
        "channel": application.channel,
        "precheck_notes": application.precheck_notes,
        "history": [
            {"at": c.at.isoformat(), "actor": c.actor, "from": c.from_status, "to": c.to_status, "note": c.note}
            for c in application.changes
        ],
    }


def csv_columns() -> list[str]:
    """The export's columns, in the table's order."""
    table = load_table()
    fields = [spec.key for spec in table.stored_fields() if spec.key not in ("benefit", "region")]
    return ["reference", "benefit", "benefit_name", "region", "status", "created_at", *fields, *CARD_FACTS]
