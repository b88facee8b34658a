"""What the harness needs to know about the bot's application form: the form's name, which slot holds which of
a script's `extra` facts, and which slots are personal. Read from config/benefits.yml when it exists (the table
the forms are generated from); otherwise the fixed field set of the older forms (for a baseline on old code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LEGACY_BENEFITS = {"living_subsidy": "困难残疾人生活补贴", "care_subsidy": "重度残疾人护理补贴",
                   "home_modification": "家庭无障碍改造", "assistive_devices": "辅助器具适配",
                   "child_rehab": "残疾儿童康复救助"}  # fmt: skip
LEGACY_PERSONAL = ("applicant_name", "id_number", "card_number", "phone", "address", "proxy_name", "proxy_phone",
                   "child_birth_date")  # fmt: skip


@dataclass
class FormSchema:
    form_names: frozenset[str] | None = None  # None: every *_form except status_form
    personal_slots: tuple[str, ...] = LEGACY_PERSONAL
    # extra field key → (the words a script may use for it, value synonyms → stored value)
    extras: dict[str, tuple[tuple[str, ...], dict[str, str]]] = field(default_factory=dict)
    fields_of_benefit: dict[str, tuple[str, ...]] = field(default_factory=dict)
    benefit_names: dict[str, str] = field(default_factory=lambda: dict(LEGACY_BENEFITS))

    @classmethod
    def load(cls, root: Path) -> FormSchema:
        table = root / "config" / "benefits.yml"
        if not table.exists():
            return cls(fields_of_benefit={"assistive_devices": ("device",), "child_rehab": ("child_birth_date",)})
        raw = yaml.safe_load(table.read_text(encoding="utf-8"))
        fields = raw["fields"]
        extras = {}
        for key, spec in fields.items():
            if spec.get("extra"):
                words = (spec["label"], *(spec.get("also_called") or ()))
                synonyms = {}
                for choice in spec.get("choices") or []:
                    for word in (choice["value"], *(choice.get("words") or ())):
                        synonyms[word] = choice["value"]
                extras[key] = (tuple(words), synonyms)
        personal = tuple(key for key, spec in fields.items() if spec.get("personal"))
        by_benefit = {key: tuple(b.get("fields") or ()) for key, b in raw["benefits"].items()}
        names = {key: str(b["name"]) for key, b in raw["benefits"].items()}
        return cls(frozenset({"application_form"}), personal, extras, by_benefit, names)

    def benefit_key(self, name: str) -> str | None:
        """The stored key of a benefit named as in the scripts (托养服务 is 托养服务（阳光家园）)."""
        return next((key for key, own in self.benefit_names.items() if own == name or own.startswith(name)), None)

    def is_application_form(self, name: str | None) -> bool:
        if not name:
            return False
        if self.form_names is not None:
            return name in self.form_names
        return name.endswith("_form") and name != "status_form"

    def _extra_field(self, key: str) -> str | None:
        for field_key, (words, _) in self.extras.items():
            if key in words or any(word in key for word in words):
                return field_key
        return None

    def extra_key_for_slot(self, slot: str, extra: dict[str, Any]) -> str | None:
        """The script's `extra` key the form slot asks for (None when the script has no such fact)."""
        return next((key for key in extra if self._extra_field(key) == slot), None)

    def benefit_fields(self, record: dict[str, Any]) -> tuple[str, ...]:
        return self.fields_of_benefit.get(record.get("benefit") or "", ())

    def extra_value(self, key: str, value: Any, record: dict[str, Any]) -> tuple[str, Any, Any] | None:
        """(field, expected value in the stored vocabulary, stored value) for one `extra` fact."""
        field_key = self._extra_field(key)
        if field_key is None:
            return None
        return field_key, self.stored_vocabulary(field_key, value), record.get(field_key)

    def stored_vocabulary(self, field_key: str, value: Any) -> Any:
        """A script's plain-Chinese value in the stored vocabulary (寄宿托养 → 集中照护): the choice whose word is the
        longest one the value contains; the value itself when none is."""
        text = str(value)
        words = self.extras[field_key][1]
        found = [(len(word), stored) for word, stored in words.items() if word in text]
        if found:
            return max(found)[1]
        pieces = {text[i : i + 2] for i in range(len(text) - 1)}  # 机构托养 ~ 托养机构 → 集中照护
        scores: dict[str, int] = {}
        for word, stored in words.items():
            scores[stored] = scores.get(stored, 0) + sum(1 for p in pieces if len(word) >= 2 and p in word)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return value
