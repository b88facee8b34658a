"""The one table of benefits and fields (config/benefits.yml) and what is generated from it."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.rules.benefits import DEFAULT_TABLE, TableError, detect_benefit, load_table, parse_table, wants_to_apply
from bot.services.application_schema import submission_model

ROOT = Path(__file__).resolve().parents[2]
RAW = yaml.safe_load(DEFAULT_TABLE.read_text(encoding="utf-8"))


def test_generated_rasa_files_are_up_to_date() -> None:
    result = subprocess.run([sys.executable, "scripts/gen_intake.py", "--check"], cwd=ROOT, capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + "\nrun `make intake` and retrain"


def test_every_benefit_has_a_name_words_fields_and_sourced_notes() -> None:
    table = load_table()
    assert {spec.name for spec in table.benefits.values()} >= {"机动轮椅车燃油补贴", "托养服务（阳光家园）"}
    for spec in table.benefits.values():
        assert spec.words and spec.fields[0] == "for_self" and "region" in spec.fields
        for rule in spec.precheck:
            assert rule.note is None or rule.note.endswith("。")
            assert "元" not in (rule.note or "")
        assert any(rule.source for rule in spec.precheck)


def test_adding_a_benefit_is_one_entry(tmp_path) -> None:
    raw = copy.deepcopy(RAW)
    raw["benefits"]["braille_books"] = {"name": "盲文读物", "words": ["盲文书"], "fields": ["for_self", "region"]}
    table = parse_table(raw)
    assert table.benefit("braille_books").form_fields == ("benefit", "pi_consent", "for_self", "region", "confirmed")
    model = submission_model(table)
    assert "braille_books" in model.model_json_schema()["properties"]["benefit"]["enum"]


@pytest.mark.parametrize(
    "change",
    [lambda raw: raw["fields"]["phone"].update(kind="telepathy"),
     lambda raw: raw["fields"]["phone"].pop("question"),
     lambda raw: raw["benefits"]["care_subsidy"]["fields"].append("shoe_size"),
     lambda raw: raw["fields"].pop("confirmed")],
)  # fmt: skip
def test_a_broken_table_is_refused(change) -> None:
    raw = copy.deepcopy(RAW)
    change(raw)
    with pytest.raises(TableError):
        parse_table(raw)


@pytest.mark.parametrize(
    ("text", "benefit"),
    [("机动轮椅车燃油补贴", "fuel_subsidy"), ("给俺爹整个轮椅", "assistive_devices"), ("阳光家园", "care_service"),
     ("户理补贴", "care_subsidy"), ("无障爱改造", "home_modification"), ("今天天气", None)],
)  # fmt: skip
def test_benefit_words_longest_first(text, benefit) -> None:
    assert detect_benefit(text) == benefit


@pytest.mark.parametrize(
    ("text", "wants"),
    [("给俺爹整个轮椅", True), ("俺娘腿脚不中了，想给她弄个轮椅，咋弄", True),
     ("我是一级肢体残疾，想申请护理补贴", True), ("护理补贴谁能领", False), ("燃油补贴怎么领", False),
     ("我想了解一下护理补贴", False), ("护理补贴能申请吗", False),
     ("想问问能不能给她整个托养 住那儿的那种", True), ("想问问给她办个托养要什么条件", False)],
)  # fmt: skip
def test_requests_to_apply_are_told_from_questions(text, wants) -> None:
    assert wants_to_apply(text) is wants
