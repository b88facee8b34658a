"""Run application scripts against a fresh stack and write docs/intake-eval.md.

.venv-gw/bin/python -m tests.intake tests/data/intake_dev/scripts.yml --name "dev set"
.venv-gw/bin/python -m tests.intake tests/blind/intake/b1/scripts.yml --name "blind b1" --only b1-app-003
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.stack import cleanup, start_stack
from tests.intake.access import stack_access
from tests.intake.metrics import ROOT, write_report
from tests.intake.runner import IntakeRunner
from tests.intake.schema import FormSchema
from tests.intake.scripts import load_scripts


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.intake")
    parser.add_argument("scripts", type=Path)
    parser.add_argument("--name", required=True, help="section of docs/intake-eval.md to write")
    parser.add_argument("--note", default="", help="a sentence saying what was measured (code version …)")
    parser.add_argument("--only", action="append", default=[], help="run only these script ids")
    parser.add_argument("--verbose", action="store_true", help="print each conversation")
    args = parser.parse_args()
    scripts = load_scripts(args.scripts)
    if args.only:
        scripts = [s for s in scripts if s.id in args.only]
    stack, prefix = start_stack()
    try:
        runner = IntakeRunner(stack_access(stack), FormSchema.load(ROOT))
        results = []
        for script in scripts:
            result = runner.run(script)
            results.append(result)
            print(f"{result.id}: {result.outcome} exact={result.exact} turns={result.turns}/{result.facts} "
                  f"{'; '.join(result.mismatches + result.invalid)}", flush=True)  # fmt: skip
            if args.verbose:
                for who, text in result.transcript:
                    print(f"   {who}: {text}")
        runner.close()
    finally:
        cleanup(stack, prefix)
    summary = write_report(args.name, results, args.note)
    print(summary)


if __name__ == "__main__":
    main()
