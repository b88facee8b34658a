"""Check the sources of every FAQ answer against the plans and fill in the section each quote is in.

    .venv-gw/bin/python -m scripts.faq_sources          # check only: exit 1 and list problems
    .venv-gw/bin/python -m scripts.faq_sources --fill   # also write `section` into nlu_data/faq/*.yml

The section is derived from the plan (config/plans.yml headings), never typed by hand; files keep their layout
(ruamel round trip)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from bot.core.config import PROJECT_ROOT
from bot.rules.plans import SeedIndex, load_plans
from bot.staff.yaml_files import YamlDocument

FAQ_DIR = PROJECT_ROOT / "nlu_data" / "faq"
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"


def _with_section(source: CommentedMap, section: str) -> None:
    if source.get("section") == section:
        return
    if "section" in source:
        source["section"] = section
    else:
        source.insert(list(source).index("file") + 1 if "file" in source else 0, "section", section)


def process(path: Path, seeds: SeedIndex, fill: bool) -> list[str]:
    doc = YamlDocument(path.name, path.read_text("utf-8"))
    problems: list[str] = []
    for key, variations in (doc.data.get("responses") or {}).items():
        for number, variation in enumerate(variations or [], start=1):
            metadata = variation.get("metadata") or {}
            national = [str(n) for n in metadata.get("national") or []]
            unknown = [n for n in national if n not in seeds.plans.national]
            problems += [f"{path.name} {key} #{number}: 国家文件 {n} 不在 config/plans.yml" for n in unknown]
            sources = metadata.get("sources") or []
            if not sources and not national:
                problems.append(f"{path.name} {key} #{number}: 没有依据")
            for source in sources:
                errors = seeds.source_errors({"file": source.get("file"), "quote": source.get("quote")})
                problems += [f"{path.name} {key} #{number}: {e}" for e in errors]
                if not errors and fill:
                    _with_section(source, seeds.section_of(str(source["file"]), str(source["quote"])) or "")
                elif not errors and source.get("section") != seeds.section_of(source["file"], source["quote"]):
                    problems.append(f"{path.name} {key} #{number}: 章节不对或没填（--fill 会填）")
    if fill and not problems:
        text = doc.dump()
        if text != doc.original:
            path.write_text(text, "utf-8")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", action="store_true", help="write the derived sections into the FAQ files")
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    args = parser.parse_args()
    seeds = SeedIndex(args.seeds, load_plans())
    if not seeds.available:
        print(f"no plan texts in {args.seeds}", file=sys.stderr)
        return 2
    problems = [p for path in sorted(FAQ_DIR.glob("*.yml")) for p in process(path, seeds, args.fill)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
