"""Drive Schemathesis over a running gateway: every operation of its OpenAPI description, a bounded number of
generated requests each, checked for server errors and for answers that break the published schema."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "8"))  # per operation, per mode (valid and invalid data)
PROBLEMS_SHOWN = 15


@dataclass
class FuzzReport:
    """What one run sent and what went wrong (failures are kept, not raised, so every operation is tried)."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    operations: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        codes = ", ".join(f"{code}: {count}" for code, count in sorted(self.statuses.items()))
        return f"{len(self.operations)} operations, {self.requests} requests ({codes}), {len(self.failures)} failures"


def documents_503(operation) -> bool:  # noqa: ANN001 - a schemathesis APIOperation
    """Some answers are a documented 503 by design (Rasa down, no speech engine, channel off)."""
    return "503" in (operation.definition.raw.get("responses") or {})


def fuzz_api(
    base_url: str,
    headers: dict[str, str],
    include: Callable[[str, str], bool],
    report: FuzzReport,
    tweak: Callable[[object], None] | None = None,
) -> None:
    """Run every operation `include(method, path)` selects with `headers` (a token, or none)."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    # Signing out revokes the token the other operations are fuzzed with: it goes last.
    operations.sort(key=lambda op: op.path.endswith("/logout"))
    for operation in operations:
        if not include(operation.method.upper(), operation.path):
            continue
        report.operations.add(f"{operation.method.upper()} {operation.path}")

        before = report.requests
        started = time.monotonic()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _runner(operation, mode, base_url, headers, report, tweak)()
            except Unsatisfiable:  # nothing to break (no parameters, no body): only valid requests exist
                if mode is GenerationMode.POSITIVE:
                    raise
        print(f"  {operation.method.upper()} {operation.path}: {report.requests - before} requests, "
              f"{time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)  # fmt: skip


def _runner(operation, mode, base_url: str, headers: dict[str, str], report: FuzzReport, tweak) -> Callable[[], None]:  # noqa: ANN001
    """A Hypothesis test over one operation's generated requests (valid ones, or ones that break the schema)."""
    label = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # noqa: ANN001
        if tweak is not None:
            tweak(case)
        try:
            response = case.call(base_url=base_url, headers=headers, timeout=60)
        except Exception as exc:  # noqa: BLE001 - a dropped connection is a finding too
            report.failures.append(f"{label}: no answer ({type(exc).__name__}: {exc})")
            return
        report.requests += 1
        report.statuses[response.status_code] += 1
        if response.status_code >= 500 and not (response.status_code == 503 and documents_503(operation)):
            report.failures.append(f"{label}: {response.status_code} {response.text[:200]}\n{case.as_curl_command()}")
            return
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except FailureGroup as exc:  # a BaseExceptionGroup of the failed checks
            report.failures.append(f"{label}: schema violation {str(exc)[:300]}\n{case.as_curl_command()}")

    return run


def assert_clean(report: FuzzReport) -> None:
    print("schemathesis:", report.summary())
    shown = "\n\n".join(report.failures[:PROBLEMS_SHOWN])
    assert report.requests > 0 and not report.failures, f"{report.summary()}\n\n{shown}"
