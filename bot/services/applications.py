"""Benefit applications: idempotent submission, status lookups for residents, status changes by staff."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timezone
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.security import FieldCipher
from bot.rules.benefits import TRANSITIONS
from bot.rules.disability_card import validate_disability_card
from bot.rules.id_card import validate_id_number
from bot.rules.masking import mask_sensitive
from bot.rules.phone import validate_phone
from bot.storage.models import Application, AuditEntry, StatusChange


class InvalidApplication(ValueError):
    """A field failed validation; the message says which, in plain Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TransitionNotAllowed(ValueError):
    pass


Benefit = Literal["living_subsidy", "care_subsidy", "home_modification", "assistive_devices", "child_rehab"]
Region = Literal["绥芬河市", "潞城区"]
Household = Literal["低保", "低保边缘", "特困", "无"]


class Submission(BaseModel):
    """What the intake form collected (checked by the action server, and again here before storing)."""

    idempotency_key: str = Field(min_length=8, max_length=128)
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    channel: str = Field(default="web", max_length=16)
    benefit: Benefit
    region: Region
    applicant_name: str = Field(min_length=1, max_length=32)
    id_number: str = Field(max_length=64)
    card_number: str | None = Field(default=None, max_length=64)
    phone: str = Field(max_length=64)
    town: str = Field(min_length=1, max_length=64)
    address: str = Field(min_length=1, max_length=200)
    household: Household
    for_self: bool
    proxy_name: str | None = Field(default=None, max_length=32)
    proxy_relation: str | None = Field(default=None, max_length=16)
    proxy_phone: str | None = Field(default=None, max_length=64)
    child_birth_date: date | None = None
    precheck_notes: list[str] = Field(default_factory=list, max_length=10)


def sender_hash(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode()).hexdigest()


def _checked(submission: Submission) -> dict:
    """Validate the personal numbers again (never store an invalid ID) and return normalised values."""
    id_check = validate_id_number(submission.id_number)
    if not id_check.ok:
        raise InvalidApplication("id_number", id_check.message)
    phone = validate_phone(submission.phone)
    if not phone.ok:
        raise InvalidApplication("phone", phone.message)
    values = {"id_number": id_check.value, "phone": phone.value, "card": None, "category": None, "level": None}
    if submission.card_number:
        card = validate_disability_card(submission.card_number, id_number=id_check.value)
        if not card.ok:
            raise InvalidApplication("card_number", card.message)
        values.update(card=card.value, category=card.category, level=card.level)
    if not submission.for_self:
        if not (submission.proxy_name and submission.proxy_relation and submission.proxy_phone):
            raise InvalidApplication("proxy", "代办人的姓名、关系和电话都需要填写。")
        proxy_phone = validate_phone(submission.proxy_phone)
        if not proxy_phone.ok:
            raise InvalidApplication("proxy_phone", proxy_phone.message)
        values["proxy_phone"] = proxy_phone.value
    if submission.benefit == "child_rehab" and submission.child_birth_date is None:
        raise InvalidApplication("child_birth_date", "残疾儿童康复救助需要孩子的出生日期。")
    return values


def _new_reference(session: Session) -> str:
    """Eight digits, first not zero: short and easy to read aloud; unique in the table."""
    while True:
        reference = str(secrets.randbelow(90_000_000) + 10_000_000)
        if session.scalar(select(Application.id).where(Application.reference == reference)) is None:
            return reference


def submit(session: Session, cipher: FieldCipher, submission: Submission) -> tuple[Application, bool]:
    """Store the application once. A retry with the same idempotency key returns the first record."""
    existing = session.scalar(select(Application).where(Application.idempotency_key == submission.idempotency_key))
    if existing is not None:
        return existing, False
    values = _checked(submission)
    application = Application(
        reference=_new_reference(session),
        idempotency_key=submission.idempotency_key,
        benefit=submission.benefit,
        region=submission.region,
        status="submitted",
        channel=submission.channel,
        sender_hash=sender_hash(submission.sender_id),
        applicant_name_enc=cipher.encrypt(submission.applicant_name),
        id_number_enc=cipher.encrypt(values["id_number"]),
        id_number_hash=cipher.lookup_hash(values["id_number"]),
        card_number_enc=cipher.encrypt(values["card"]),
        disability_category=values["category"],
        disability_level=values["level"],
        phone_enc=cipher.encrypt(values["phone"]),
        phone_hash=cipher.lookup_hash(values["phone"]),
        town=submission.town,
        address_enc=cipher.encrypt(submission.address),
        household=submission.household,
        for_self=submission.for_self,
        proxy_name_enc=cipher.encrypt(submission.proxy_name),
        proxy_relation=submission.proxy_relation,
        proxy_phone_enc=cipher.encrypt(values.get("proxy_phone")),
        child_birth_date_enc=cipher.encrypt(
            submission.child_birth_date.isoformat() if submission.child_birth_date else None
        ),
        precheck_notes=submission.precheck_notes,
    )
    application.changes.append(StatusChange(actor="resident", from_status=None, to_status="submitted", note=""))
    session.add(application)
    try:
        session.commit()
    except IntegrityError:  # a concurrent retry stored it first (same key) or a reference collided
        session.rollback()
        existing = session.scalar(select(Application).where(Application.idempotency_key == submission.idempotency_key))
        if existing is not None:
            return existing, False
        raise
    return application, True


def find_for_resident(session: Session, cipher: FieldCipher, reference: str, phone_last4: str) -> Application | None:
    """The application only if the reference and the phone's last four digits both match."""
    application = session.scalar(select(Application).where(Application.reference == reference))
    if application is None:
        return None
    phone = cipher.decrypt(application.phone_enc) or ""
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


def masked_view(application: Application, cipher: FieldCipher) -> dict:
    """A summary with personal fields masked (for lists and exports)."""
    id_number = cipher.decrypt(application.id_number_enc) or ""
    phone = cipher.decrypt(application.phone_enc) or ""
    name = cipher.decrypt(application.applicant_name_enc) or ""
    return {
        "reference": application.reference,
        "benefit": application.benefit,
        "region": application.region,
        "status": application.status,
        "created_at": application.created_at.isoformat(),
        "applicant_name": name[:1] + "*" * max(len(name) - 1, 1),
        "id_number": mask_sensitive(id_number),
        "phone": mask_sensitive(phone),
        "town": application.town,
        "household": application.household,
        "for_self": application.for_self,
        "disability_category": application.disability_category,
        "disability_level": application.disability_level,
    }


def full_view(application: Application, cipher: FieldCipher) -> dict:
    """Every field in clear, with the status history (only for staff and admin; audit every call)."""
    return {
        **masked_view(application, cipher),
        "applicant_name": cipher.decrypt(application.applicant_name_enc),
        "id_number": cipher.decrypt(application.id_number_enc),
        "card_number": cipher.decrypt(application.card_number_enc),
        "phone": cipher.decrypt(application.phone_enc),
        "address": cipher.decrypt(application.address_enc),
        "proxy_name": cipher.decrypt(application.proxy_name_enc),
        "proxy_relation": application.proxy_relation,
        "proxy_phone": cipher.decrypt(application.proxy_phone_enc),
        "child_birth_date": cipher.decrypt(application.child_birth_date_enc),
        "channel": application.channel,
        "precheck_notes": application.precheck_notes,
        "history": [
            {"at": c.at.isoformat(), "actor": c.actor, "from": c.from_status, "to": c.to_status, "note": c.note}
            for c in application.changes
        ],
    }
