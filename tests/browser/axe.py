"""axe-core (from the npm registry, installed by `npm ci` into node_modules) injected into a Selenium page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((result) => done({violations: result.violations, version: axe.version}))
  .catch((error) => done({error: String(error)}));
"""


@lru_cache(maxsize=1)
def axe_source() -> str:
    """The axe-core script, or skip the test with the reason when node_modules lacks it."""
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed ({AXE_JS} missing): run `npm ci --no-audit --no-fund` (needs npm)")
    return AXE_JS.read_text(encoding="utf-8")


def violations(driver, tags: tuple[str, ...] = WCAG_AA) -> list[dict]:
    """Inject axe-core into the current page and return its violations of the given rule tags."""
    source = axe_source()
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(source)
    driver.set_script_timeout(60)
    result = driver.execute_async_script(_RUN, list(tags))
    if "error" in result:
        raise RuntimeError(f"axe-core failed: {result['error']}")
    return result["violations"]


def describe(found: list[dict]) -> str:
    """A readable list of violations: rule, impact, help text and the offending elements."""
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)
