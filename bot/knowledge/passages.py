"""The two plans (config/plans.yml, texts in SEEDS_DIR) cut into passages: sentences, long ones cut again at
semicolons, each with its plan, region and section (the sections table of config/plans.yml).

The seeds are copied from web pages and PDFs: the Suifenhe text carries PDF line breaks and page numbers between
words ("突发公 5 共事件"). Page numbers are removed first (the numbers 1, 2, 3 … met in order, each standing alone
between spaces), then every space and line break (`squash`, as the quote checks do)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.rules.plans import Plan, Plans, load_plans, squash

_LONE_NUMBER = re.compile(r"(?<=\S)\s+(\d{1,3})\s+(?=\S)")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]|[^。！？!?]+$")
_SEMICOLON = re.compile(r"[^；;]*[；;]|[^；;]+$")
_UNITS = re.compile(r"[（(]\s*(?:涉\s*及\s*单\s*位|责任单位|牵头单位)[^）)]*[）)]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d))")
_SENTENCE_ENDS = set("。！？!?；;")
_CLAUSE_ENDS = set("，,。；;：:")
_QUOTED_TITLE = re.compile(r"“([^”]+)”")
LONG_SENTENCE = 110  # characters: a longer sentence is cut at its semicolons
MIN_STANDALONE = 16  # characters: a shorter sentence is a title ("聋人文化服务项目。"), shown with the next one
MIN_HAN = 8  # a piece with fewer Chinese characters is a heading or a page remnant, not a passage


@dataclass(frozen=True)
class Passage:
    """One sentence (or semicolon part of a long one) of a plan, verbatim apart from spaces and line breaks."""

    file: str  # seed file name (config/plans.yml key)
    region: str
    section: str  # how the section is told to residents (config/plans.yml `name`)
    text: str  # verbatim, numbering ("1、", "（二）") and the list of responsible offices removed
    start: int  # position in the squashed plan text (for ordering and neighbours)

    @property
    def topic(self) -> str:
        """The section's own title (the quoted part of its name), which says what the passage is about."""
        found = _QUOTED_TITLE.search(self.section)
        return found.group(1) if found else self.section


def drop_page_numbers(raw: str) -> str:
    """`raw` without the page numbers a PDF copy leaves between words: the numbers 1, 2, 3 … in order, each alone
    between spaces. A figure such as "惠及 419 人" is not the next page number and stays; of several candidates for
    page n ("附件 1" before page 1), the last one before the first candidate for page n + 1 is taken."""
    numbers = [(int(m.group(1)), m.start(1), m.end(1)) for m in _LONE_NUMBER.finditer(raw)]
    cuts: list[tuple[int, int]] = []
    position, page = 0, 1
    while True:
        candidates = [(s, e) for n, s, e in numbers if n == page and s >= position]
        if not candidates:
            break
        following = next((s for n, s, _e in numbers if n == page + 1 and s > candidates[0][0]), None)
        before = [c for c in candidates if following is None or c[0] < following]
        start, end = before[-1] if following is not None else candidates[0]
        cuts.append((start, end))
        position, page = end, page + 1
    out: list[str] = []
    position = 0
    for start, end in cuts:
        out.append(raw[position:start])
        position = end
    out.append(raw[position:])
    return "".join(out)


def plan_text(raw: str) -> str:
    """A seed file's text as one line: page numbers removed, then every space and line break."""
    return squash(drop_page_numbers(raw))


def section_starts(text: str, plan: Plan) -> list[tuple[int, str]]:
    """(position, section name) of each section heading of `plan` in `text`, searched in order like the quote
    checks (bot/rules/plans.SeedIndex); a heading not found is skipped."""
    starts: list[tuple[int, str]] = []
    position = 0
    for section in plan.sections:
        found = text.find(squash(section.find), position)
        if found >= 0:
            starts.append((found, section.name))
            position = found + 1
    return starts


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of the sentences of `text`, a long sentence cut at its semicolons."""
    pieces: list[tuple[int, str]] = []
    for sentence in _SENTENCE.finditer(text):
        if len(sentence.group()) <= LONG_SENTENCE:
            pieces.append((sentence.start(), sentence.group()))
            continue
        for part in _SEMICOLON.finditer(sentence.group()):
            pieces.append((sentence.start() + part.start(), part.group()))
    return pieces


def tidy(piece: str, heading: str = "") -> str:
    """A piece as shown: the offices in charge "(涉及单位:…)", a `heading` it starts with when the heading is not
    its own clause ("一、编制背景“十三五”期间…"), and a leading number "1、" removed."""
    piece = _UNITS.sub("", piece).strip()
    if heading and piece.startswith(heading) and piece[len(heading) : len(heading) + 1] not in _CLAUSE_ENDS:
        piece = piece[len(heading) :]
    while (numbered := _NUMBERING.match(piece)) is not None:
        piece = piece[numbered.end() :]
    return piece


def plan_passages(file: str, raw: str, plan: Plan) -> list[Passage]:
    """The passages of one plan: its text from the first section heading on, cut at sentence ends and at every
    section heading (a heading never runs into the passage before it)."""
    text = plan_text(raw)
    starts = section_starts(text, plan)
    if not starts:
        return []
    headings = {name: squash(s.find) for s in plan.sections for name in [s.name]}
    bounds = [*starts, (len(text), "")]
    passages: list[Passage] = []
    for (begin, name), (end, _next) in zip(bounds, bounds[1:], strict=False):
        held: tuple[int, str] | None = None  # a short heading-like sentence, joined to the next one
        for offset, piece in _pieces(text[begin:end]):
            shown = tidy(piece, headings[name] if offset == 0 else "")
            if held is not None:
                offset, shown = held[0], held[1] + shown
                held = None
            if shown.endswith("。") and (len(shown) < MIN_STANDALONE or _same(shown, name)):
                held = (offset, shown)
            elif _is_passage(shown, name):
                passages.append(Passage(file, plan.region, name, shown, begin + offset))
    return passages


def _same(shown: str, section: str) -> bool:
    """The piece only says the section's title (brackets compared full-width)."""
    return _wide(shown.rstrip("。；;，,")) in _wide(section)


def _wide(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


def _is_passage(shown: str, section: str) -> bool:
    """Not a heading (a piece the section's name already says, or a box title "专栏…") nor a page remnant."""
    bare = _wide(shown.rstrip("。；;，,"))
    section = _wide(section)
    ends = shown[-1:] in _SENTENCE_ENDS  # a piece cut off at the next heading without a full stop is a part's title
    return ends and len(_HAN.findall(shown)) >= MIN_HAN and not shown.startswith("专栏") and bare not in section


def load_passages(seeds_dir: Path, plans: Plans | None = None) -> list[Passage]:
    """Every passage of the plans in config/plans.yml whose seed file is in `seeds_dir` (a missing one is skipped:
    the bot then answers without it)."""
    plans = plans or load_plans()
    passages: list[Passage] = []
    for file, plan in plans.plans.items():
        path = seeds_dir / file
        if path.is_file():
            passages += plan_passages(file, path.read_text("utf-8", errors="replace"), plan)
    return passages
