"""Run application scripts through the form's turn logic in-process (no Rasa, no NLU, no database): a fast check
of the understanding and the dialogue while developing. The real measure is tests.intake (the whole stack)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from actions.intake_dialogue import Incoming, refused, step
from actions.intake_submit import application_record
from bot.rules.benefits import BenefitTable, load_table
from bot.rules.intent_rules import rule_intent
from bot.services.applications import InvalidApplication, Submission, checked_values
from bot.text.normalize import as_typed, simplified
from tests.intake.checks import compare, invalid_values
from tests.intake.metrics import ROOT
from tests.intake.resident import Resident
from tests.intake.runner import ScriptResult
from tests.intake.schema import FormSchema
from tests.intake.scripts import Script, load_scripts


def gateway_refusal(table: BenefitTable, record: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) when the gateway's own check (bot/services/applications.py) would refuse the record."""
    try:
        checked_values(table, Submission(**record, idempotency_key="offline-run", sender_id="offline"))
    except InvalidApplication as exc:
        return exc.field, str(exc)
    except ValidationError as exc:
        return str(exc.errors()[0]["loc"][0]), "有一项信息不对，请再核对。"
    return None


def run_offline(script: Script, schema: FormSchema, verbose: bool = False) -> ScriptResult:
    table = load_table()
    result = ScriptResult(script.id, script.benefit, script.styles, script.expect_stored, script.expect_handover)
    result.facts = script.fact_count()
    resident = Resident(script, schema.extra_key_for_slot)
    slots: dict[str, Any] = {"requested_slot": None}
    active = False
    text = script.opening
    for _ in range(40):
        result.turns += 1
        result.transcript.append(("resident", text))
        intent = rule_intent(text, None) or ("apply" if not active else None)  # the NLU's rules, not its model
        written = as_typed(text)  # what the gateway sends: the simplified text, and the written one when it differs
        clean = simplified(written)
        turn = step(slots, Incoming(clean, intent, 0.9, written=written if written != clean else None), table=table)
        reply = "\n".join(m.get("text") or f"[faq {m.get('faq')}]" for m in turn.messages)
        result.transcript.append(("bot", reply))
        resident.record_reply(reply, turn.requested)
        if turn.outcome in ("reject", "handover"):
            result.outcome = "handover"
            break
        slots.update(turn.slots)
        slots["requested_slot"] = turn.requested
        active = True
        if turn.outcome == "confirmed" and (refusal := gateway_refusal(table, application_record(table, slots))):
            turn = refused(table, slots, *refusal)  # what actions/intake_actions.py does with the gateway's 422
            reply = "\n".join(m.get("text") or "" for m in turn.messages)
            result.transcript.append(("bot", reply))
            if turn.outcome == "handover":
                result.outcome = "handover"
                break
            slots.update(turn.slots)
            slots["requested_slot"] = turn.requested
        if turn.outcome == "confirmed":
            record = application_record(table, slots)
            result.outcome, result.new_records = "stored", 1
            expected = {**script.expected_record(), "benefit": schema.benefit_key(script.benefit)}
            result.mismatches = compare(expected, record, schema.benefit_fields(record),
                                        schema.extra_value)  # fmt: skip
            result.invalid = invalid_values(record)
            break
        if turn.outcome in ("cancelled", "no_consent"):
            result.outcome = "ended"
            break
        ask = resident.ask_name(turn.requested)
        if ask is None:
            break
        text = resident.answer(ask, turn.requested, reply)
    if verbose:
        for who, said in result.transcript:
            print(f"   {who}: {said}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.intake.offline")
    parser.add_argument("scripts", type=Path)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    schema = FormSchema.load(ROOT)
    scripts = [s for s in load_scripts(args.scripts) if not args.only or s.id in args.only]
    right = 0
    for script in scripts:
        result = run_offline(script, schema, args.verbose)
        right += result.exact
        print(f"{result.id}: {result.outcome} exact={result.exact} turns={result.turns}/{result.facts} "
              f"{'; '.join(result.mismatches + result.invalid)}", flush=True)  # fmt: skip
    print(f"{right}/{len(scripts)} right")


if __name__ == "__main__":
    main()
