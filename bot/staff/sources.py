"""The sources of an FAQ answer in the editor: read from and written to a variation's `metadata` (sources, national,
ask_region — the answer contract in docs/knowledge.md), and checked against the plans before anything is saved."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.rules.plans import SeedIndex, squash
from bot.staff.validation import DEFAULT_ANSWER, region_label

AnswerSources = dict[str, Any]  # {"sources": [{"file", "section", "quote"}], "national": [...], "ask_region": bool}
MAX_SOURCES = 12
MAX_QUOTE_CHARS = 300
HOTLINE_NUMBER = re.compile(r"(?<!\d)(12385|12345)(?!\d)")


def empty() -> AnswerSources:
    return {"sources": [], "national": [], "ask_region": False}


def read_metadata(variation: dict) -> AnswerSources:
    """The sources of one variation, as plain data (what the editor shows and the API returns)."""
    metadata = variation.get("metadata") if isinstance(variation.get("metadata"), dict) else {}
    sources = [
        {key: str(source.get(key) or "") for key in ("file", "section", "quote")}
        for source in metadata.get("sources") or []
        if isinstance(source, dict)
    ]
    return {
        "sources": sources,
        "national": [str(n) for n in metadata.get("national") or []],
        "ask_region": bool(metadata.get("ask_region")),
    }


def with_sections(sources: AnswerSources, index: SeedIndex) -> AnswerSources:
    """`sources` with each quote's section derived from its plan (never typed by staff)."""
    filled = [
        {"file": s["file"], "section": index.section_of(s["file"], s["quote"]) or "", "quote": s["quote"].strip()}
        for s in sources.get("sources") or []
    ]
    return {"sources": filled, "national": list(sources.get("national") or []), "ask_region": sources["ask_region"]}


def check_sources(key: str, text: str, sources: AnswerSources, index: SeedIndex) -> list[str]:
    """Plain-Chinese problems with the sources of the answer `key` (a region or DEFAULT_ANSWER)."""
    label = region_label(key)
    quotes, national = sources.get("sources") or [], sources.get("national") or []
    if not quotes and not national:
        return [f"{label}没有写依据。请写上它依据的规划原文（逐字摘录），或国家文件的文号。"]
    errors = []
    if len(quotes) > MAX_SOURCES:
        errors.append(f"{label}的依据太多了（{len(quotes)}条），最多{MAX_SOURCES}条。")
    for source in quotes:
        if len(source.get("quote") or "") > MAX_QUOTE_CHARS:
            errors.append(f"{label}的一条依据太长了，摘录最多{MAX_QUOTE_CHARS}字。")
            continue
        found = index.source_errors({"file": source.get("file"), "quote": source.get("quote")})
        errors += [f"{label}：{e}" for e in found]
        plan = index.plans.plans.get(str(source.get("file")))
        if plan and key != DEFAULT_ANSWER and plan.region != key:
            errors.append(f"{label}引用了{plan.region}的规划。每个地区的回答只能依据本地区的规划。")
    for document in national:
        if document not in index.plans.national:
            known = "、".join(index.plans.national)
            errors.append(f"{label}依据的国家文件“{document}”不认识（可用：{known}）。")
        elif document not in text:
            errors.append(f"{label}依据国家文件{document}，请在回答里写明它的文号。")
    if sources.get("ask_region") and key != DEFAULT_ANSWER:
        errors.append("只有“不分地区的回答”可以设为“说完再问地区”。")
    joined = squash("".join(str(s.get("quote") or "") for s in quotes))
    for number in HOTLINE_NUMBER.findall(unicodedata.normalize("NFKC", text)):
        if number not in joined:
            errors.append(
                f"{label}里手写了热线号码{number}。请写 {{hotline}} 或 {{general_hotline}}，机器人会按地区填上。"
            )
            break
    return errors


def write_metadata(variation: CommentedMap, sources: AnswerSources) -> None:
    """Put `sources` into a variation's metadata (ruamel round trip: untouched keys keep their place and style)."""
    metadata = variation.get("metadata")
    if not isinstance(metadata, CommentedMap):
        metadata = CommentedMap()
        variation["metadata"] = metadata
    if sources.get("ask_region"):
        if metadata.get("ask_region") is not True:
            metadata.insert(0, "ask_region", True)
    elif "ask_region" in metadata:
        del metadata["ask_region"]
    national = list(sources.get("national") or [])
    if national:
        if list(metadata.get("national") or []) != national:
            flow = CommentedSeq(national)
            flow.fa.set_flow_style()
            metadata["national"] = flow
    elif "national" in metadata:
        del metadata["national"]
    wanted = [(s["file"], s["section"], s["quote"]) for s in sources.get("sources") or []]
    present = [(s.get("file"), s.get("section"), s.get("quote")) for s in metadata.get("sources") or []]
    if wanted and wanted != present:
        metadata["sources"] = CommentedSeq(
            CommentedMap([("file", f), ("section", sec), ("quote", q)]) for f, sec, q in wanted
        )
    elif not wanted and "sources" in metadata:
        del metadata["sources"]
    if not metadata:
        del variation["metadata"]
