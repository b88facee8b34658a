"""The benefits residents can apply for and the fields of their applications, read from config/benefits.yml (the one
table the forms, validation, read-back, API schema, storage and staff views are derived from), plus the
application status lifecycle."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "config" / "benefits.yml"
FORM_NAME = "application_form"
# Fields every form has before (benefit, consent) and after (the read-back) the benefit's own list.
LEADING_FIELDS = ("benefit", "pi_consent")
TRAILING_FIELDS = ("confirmed",)
KINDS = frozenset({"benefit", "consent", "for_self", "name", "relation", "id_number", "disability_card", "phone",
                   "address", "town", "region", "household", "date", "device", "choice", "confirm"})  # fmt: skip

STATUS_NAMES: dict[str, str] = {
    "submitted": "已提交，等待审核",
    "under_review": "正在审核",
    "approved": "审核通过",
    "rejected": "审核没有通过",
    "need_more_info": "需要补充材料",
}

# Which status may follow which (staff change them; residents only create "submitted").
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"under_review", "need_more_info", "rejected"}),
    "under_review": frozenset({"approved", "rejected", "need_more_info"}),
    "need_more_info": frozenset({"under_review", "rejected"}),
    "approved": frozenset(),
    "rejected": frozenset({"under_review"}),
}


class TableError(ValueError):
    """config/benefits.yml does not describe a usable table."""


@dataclass(frozen=True)
class Choice:
    value: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class FieldSpec:
    """One question of an application: how its answer is read (`kind`), asked and stored."""

    key: str
    kind: str
    label: str
    question: str
    question_self: str | None = None
    buttons: tuple[str, ...] = ()
    applies_when: dict[str, Any] = field(default_factory=dict)
    personal: bool = False
    lookup: bool = False
    stored: str = "details"  # column | details (plain JSON) | personal (encrypted JSON) | false (not stored)
    optional: bool = False
    from_id_number: bool = False
    extra: bool = False
    also_called: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    open_choice: bool = False

    def ask(self, for_self: bool | None) -> str:
        """The question, addressed to the applicant when they apply for themselves."""
        return self.question_self if for_self is True and self.question_self else self.question

    def applies(self, slots: dict[str, Any]) -> bool:
        """False when `applies_when` names a slot value that does not hold (e.g. proxy fields for oneself)."""
        return all(slots.get(key) == value for key, value in self.applies_when.items())


@dataclass(frozen=True)
class PrecheckRule:
    when: dict[str, Any]
    likely: bool | None = None
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class BenefitSpec:
    key: str
    name: str
    words: tuple[str, ...]
    fields: tuple[str, ...]
    precheck: tuple[PrecheckRule, ...]
    faq: str | None = None
    weak_words: tuple[str, ...] = ()
    short_name: str = ""

    @property
    def form_fields(self) -> tuple[str, ...]:
        """Every slot the form fills for this benefit, in the order it asks."""
        return (*LEADING_FIELDS, *self.fields, *TRAILING_FIELDS)


@dataclass(frozen=True)
class HelpAnswer:
    key: str
    words: tuple[str, ...]
    answer: str
    when_asked: tuple[str, ...] = ()  # only while these fields are asked (empty: at any step)


@dataclass(frozen=True)
class BenefitTable:
    fields: dict[str, FieldSpec]
    benefits: dict[str, BenefitSpec]
    questions: tuple[HelpAnswer, ...]

    def benefit(self, key: str | None) -> BenefitSpec | None:
        return self.benefits.get(key or "")

    def name_of(self, key: str | None, default: str = "申请") -> str:
        spec = self.benefit(key)
        return spec.name if spec else default

    @property
    def all_form_fields(self) -> tuple[str, ...]:
        """The union of every benefit's fields, in asking order (the Rasa form's required_slots)."""
        ordered: list[str] = []
        for spec in self.benefits.values():
            for key in spec.form_fields:
                if key not in ordered:
                    ordered.append(key)
        order = list(self.fields)
        return tuple(sorted(ordered, key=order.index))

    def stored_fields(self, place: str | None = None) -> tuple[FieldSpec, ...]:
        """Fields kept in the database (optionally only those stored in `place`)."""
        return tuple(f for f in self.fields.values() if f.stored != "false" and (place is None or f.stored == place))

    def personal_fields(self) -> tuple[str, ...]:
        return tuple(key for key, spec in self.fields.items() if spec.personal)


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def _field(key: str, raw: dict[str, Any]) -> FieldSpec:
    kind = raw.get("kind")
    if kind not in KINDS:
        raise TableError(f"field {key}: unknown kind {kind!r}")
    for required in ("label", "question"):
        if not raw.get(required):
            raise TableError(f"field {key}: {required} is required")
    personal = bool(raw.get("personal"))
    stored = str(raw.get("stored", "personal" if personal else "details")).lower()
    if stored not in ("column", "details", "personal", "false"):
        raise TableError(f"field {key}: stored must be column, details, personal or false")
    choices = tuple(Choice(str(c["value"]), _tuple(c.get("words"))) for c in raw.get("choices") or ())
    if kind == "choice" and not choices:
        raise TableError(f"field {key}: a choice needs choices")
    return FieldSpec(
        key=key,
        kind=kind,
        label=str(raw["label"]),
        question=str(raw["question"]).strip(),
        question_self=(str(raw["question_self"]).strip() if raw.get("question_self") else None),
        buttons=_tuple(raw.get("buttons")),
        applies_when=dict(raw.get("applies_when") or {}),
        personal=personal,
        lookup=bool(raw.get("lookup")),
        stored=stored,
        optional=bool(raw.get("optional")),
        from_id_number=bool(raw.get("from_id_number")),
        extra=bool(raw.get("extra")),
        also_called=_tuple(raw.get("also_called")),
        choices=choices,
        open_choice=bool(raw.get("open_choice")),
    )


def _benefit(key: str, raw: dict[str, Any], fields: dict[str, FieldSpec]) -> BenefitSpec:
    unknown = [f for f in raw.get("fields") or () if f not in fields]
    if unknown or not raw.get("name") or not raw.get("fields"):
        raise TableError(f"benefit {key}: needs a name and fields that exist (unknown: {unknown})")
    rules = tuple(
        PrecheckRule(dict(r.get("when") or {}), r.get("likely"), r.get("note"), r.get("source"))
        for r in raw.get("precheck") or ()
    )
    return BenefitSpec(key, str(raw["name"]), _tuple(raw.get("words")), _tuple(raw["fields"]), rules, raw.get("faq"),
                       _tuple(raw.get("weak_words")), str(raw.get("short_name") or raw["name"]))  # fmt: skip


def parse_table(raw: dict[str, Any]) -> BenefitTable:
    """Build the table from the YAML's data (checked: kinds, labels, questions, field references)."""
    fields = {key: _field(key, spec) for key, spec in (raw.get("fields") or {}).items()}
    for key in (*LEADING_FIELDS, *TRAILING_FIELDS):
        if key not in fields:
            raise TableError(f"field {key} is required")
    benefits = {key: _benefit(key, spec, fields) for key, spec in (raw.get("benefits") or {}).items()}
    if not benefits:
        raise TableError("no benefits")
    questions = tuple(
        HelpAnswer(key, _tuple(spec.get("words")), str(spec["answer"]), _tuple(spec.get("when_asked")))
        for key, spec in (raw.get("questions") or {}).items()
    )
    return BenefitTable(fields, benefits, questions)


@lru_cache(maxsize=4)
def load_table(path: str | None = None) -> BenefitTable:
    """The table of this process: `BENEFITS_CONFIG` or config/benefits.yml (read once)."""
    source = Path(path or os.environ.get("BENEFITS_CONFIG") or DEFAULT_TABLE)
    return parse_table(yaml.safe_load(source.read_text(encoding="utf-8")))


def benefit_names() -> dict[str, str]:
    """benefit key → its Chinese name."""
    return {key: spec.name for key, spec in load_table().benefits.items()}


def format_reference(reference: str) -> str:
    """Group a reference number for reading aloud: 38275190 → 3827 5190."""
    return f"{reference[:4]} {reference[4:]}" if len(reference) == 8 else reference


_ASKED_FOR = re.compile(r"(?:要|申请|弄|整|配|领|换|办|买|来|给|帮)(?:个|一个|一辆|一副|一台|副|台|辆)?$")


def benefit_mentions(text: str | None) -> list[tuple[int, int, str, bool]]:
    """(start, length, benefit, weak) for every benefit word in the text, longest words first at each place."""
    if not text:
        return []
    found = []
    for key, spec in load_table().benefits.items():
        for words, weak in ((spec.words, False), (spec.weak_words, True)):
            for word in words:
                start = text.find(word)
                while start >= 0:
                    found.append((start, len(word), key, weak))
                    start = text.find(word, start + 1)
    return sorted(found, key=lambda item: (-item[1], item[0]))


# The word that names a benefit, said apart from 补贴 ("护理的补贴", "燃油那个补助") or after it in sign-language or
# telegraphic order ("补贴 生活 申请"): joined as the table's words have them.
_CORE = r"(护理|生活|燃油|油费|加油|困难)"
_SUBSIDY = r"(补贴|补助)"
_APART = re.compile(_CORE + r"(?:的|那个|这个|方面的|上的|那|这)" + _SUBSIDY)
_REVERSED = re.compile(_SUBSIDY + r"(?:的)?" + _CORE + r"(?![费用补])")
# "给俺爹办个护理", "想申请燃油": the word alone as what is asked for, at the end of a clause
_BARE = re.compile(
    r"(?<![需不没只])((?:办|申请|整|弄|领)(?:个|一个)?(?:那个)?)(护理|燃油)(?=$|[，,。！!？?\s吧啊呀的])(?!的[\u4e00-\u9fff])"
)


def spoken_together(text: str | None) -> str:
    """The text without spaces between characters and with a benefit's word joined to 补贴 ("护理的补贴" →
    "护理补贴", "补贴 生活" → "生活补贴"), for finding which benefit it names."""
    joined = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text or "")
    joined = _APART.sub(lambda m: m.group(1) + m.group(2), joined)
    joined = _REVERSED.sub(lambda m: m.group(2) + m.group(1), joined)
    return _BARE.sub(lambda m: m.group(1) + m.group(2) + "补贴", joined)


def detect_benefit(text: str | None) -> str | None:
    """The benefit a request names (typed or as an ASR transcript gives it), or None.

    The longest matching word wins (机动轮椅车燃油补贴 is the fuel subsidy, not a wheelchair). A weak word (a device:
    "坐轮椅"; a barrier at home: "门槛高") counts when nothing else is named, or when it is asked for ("要个轮椅")
    before anything else is named; among weak words only, the benefit with most of them wins ("坐轮椅 … 门槛贼高
    厕所是旱厕 … 听说有给改的" is about the home)."""
    text = spoken_together(text)
    mentions = benefit_mentions(text)
    strong = [m for m in mentions if not m[3]]
    asked = [m for m in mentions if m[3] and _ASKED_FOR.search((text or "")[max(0, m[0] - 4) : m[0]])]
    if asked and (not strong or min(m[0] for m in asked) < min(m[0] for m in strong)):
        return min(asked)[2]
    if strong:
        return strong[0][2]
    if not mentions:
        return None
    evidence: dict[str, set[int]] = {}
    for start, length, key, _weak in mentions:
        evidence.setdefault(key, set()).update(range(start, start + length))
    first = {key: min(m[0] for m in mentions if m[2] == key) for key in evidence}
    return max(evidence, key=lambda key: (len(evidence[key]), -first[key]))


_SWITCH_BEFORE = re.compile(
    r"(?:改成|换成|改为|改办|换办|改申请|还是办|还是申请|还是要|还是弄|还是整|那就办|就办|要办|想办|先办|办个|申请|"
    r"要个|弄个|整个|改|换|应该办的是|应该申请的是|应该是|应该办|应该申请|该办|该申请|办的是|要的是|申请的是|"
    r"(?:给|帮|替)(?:我|俺|他|她|咱|我们|俺们|咱们|老人|孩子)(?:办|申请|整|弄|报))"
    r"(?:那个|个|一个)?$"
)
_SAID_NO_BEFORE = re.compile(r"(?:不是|不要|不办|别办|不申请|不想办|不想要|不整|不弄|而不是)(?:那个|这个|啥)?$")
_WISHED_BEFORE = re.compile(
    r"(?:想办|要办|想申请|要申请|想要|想整|想弄|办个|办一个|整个|弄个|要个|应该办的是|应该是|应该办|应该申请|"
    r"(?:给|帮|替)[\u4e00-\u9fff]{1,4}?(?:办|申请|整|弄|报))(?:个|一个|那个|的)?$"
)


def _strong_mentions(text: str) -> list[tuple[int, int, str, bool]]:
    """Strong benefit words in the order said, without words inside a longer one already taken."""
    taken: set[int] = set()
    found = []
    for mention in benefit_mentions(text):  # longest first at each place
        span = set(range(mention[0], mention[0] + mention[1]))
        if not mention[3] and not span & taken:
            taken |= span
            found.append(mention)
    return sorted(found)


# "生活补贴不中", "护理补贴办不了": the benefit named, then that it is not for them (not as a question: "…不行吗")
_SAID_NO_AFTER = re.compile(
    r"^(?:也|就|肯定|估计|怕是|恐怕)?(?:不中|不行|不成|办不了|办不成|整不了|弄不了|申请不了|领不了|够不上|不够格|"
    r"不符合|没戏|没指望|轮不上|不要了|不办了)(?![吗嘛么呢？?]|不)"
)


def said_no_to(text: str, key: str) -> bool:
    """True when every mention of benefit `key` is negated ("不是生活补贴", "不要那个改造", "生活补贴不中")."""
    text = spoken_together(text)
    mentions = [m for m in _strong_mentions(text) if m[2] == key]
    return bool(mentions) and all(
        _SAID_NO_BEFORE.search(text[max(0, m[0] - 5) : m[0]]) or _SAID_NO_AFTER.match(text[m[0] + m[1] :])
        for m in mentions
    )


def benefit_candidates(text: str | None) -> list[str]:
    """The benefits a message asks for by name, in the order said: those it says no to left out ("是护理补贴，不是
    生活补贴"), and the one right after a wish ("想办护理补贴") chosen among several. More than one left: the
    message does not say which (ask, do not guess)."""
    text = spoken_together(text)
    keys = list(dict.fromkeys(m[2] for m in _strong_mentions(text)))
    keys = [k for k in keys if not said_no_to(text, k)]
    wished = {
        m[2] for m in _strong_mentions(text) if m[2] in keys and _WISHED_BEFORE.search(text[max(0, m[0] - 8) : m[0]])
    }
    if len(keys) > 1 and len(wished) == 1:
        return list(wished)
    return keys


_SWITCH_AFTER = re.compile(
    r"^(?:吧|是吧|呢|对吧)?[？?，,\s]*(?:办那个|要那个|就办这个|办这个|申请那个|就要这个|办这个吧)"
)
_MISSPOKE = re.compile(r"说岔了|说错了|搞错了|弄错了|改主意|想错了|记错了|其实")


def switch_target(text: str | None, current: str | None) -> str | None:
    """The benefit a message switches to while applying for `current`: one named right after 改成/换成/还是办/先办个
    or followed by "办那个", even inside a question ("那生活补贴是不是整不了 那给他改成护理补贴吧"); or the one
    named last after "说岔了 / 改主意". None when no other benefit is chosen."""
    text = spoken_together(text)
    others = sorted((m for m in benefit_mentions(text) if m[2] != current), key=lambda m: m[0])
    chosen = [
        m
        for m in others
        if _SWITCH_BEFORE.search(text[max(0, m[0] - 6) : m[0]]) or _SWITCH_AFTER.match(text[m[0] + m[1] :])
    ]
    if chosen:
        return chosen[-1][2]
    strong = [m for m in others if not m[3] and not said_no_to(text, m[2])]
    if strong and (_MISSPOKE.search(text) or (current and said_no_to(text, current))):
        return strong[-1][2]  # "说岔了 …", "是护理补贴，不是生活补贴"
    return None


_REQUEST = re.compile(
    r"想|要|给|帮|替|为|申请|办|整|弄|领|报名|报个|申领|申办|搞|整个|弄个|来个|填|能不能.{0,4}(?:办|申请)|"
    r"能办不|能申请不|能报名不|能报不|中不中|行不行"
)
_WISH = re.compile(r"(?:想|要|得|来)(?:给|帮|替|为)|想申请|要申请|想办|要办|帮我|给我|想整|想弄|想领|想要|我要|俺要|"
                   r"申请一下|想报|要报|给俺|帮俺|替俺|给他|给她|帮他|帮她")  # fmt: skip
_ABOUT = re.compile(
    r"是什么|是啥|是甚|啥意思|什么意思|多少钱|给多少|多少|标准|谁能|谁可以|哪些人|什么人|什么条件|啥条件|"
    r"甚条件|条件|有哪些|多久|需要什么|要什么材料|带什么|带啥|在哪|去哪|找谁|了解|问问|问一下|咨询|打听|政策|规定|"
    r"几级|多大|几岁|多少岁|才能|才可以|够格|符合"  # who qualifies ("要几级才能领", "孩子多大能申请"): a question
)
_HOW = re.compile(r"怎么|咋|如何|吗[？?]?$|么[？?]?$")
_ASKING_FRAME = re.compile(r"问问|问一下|了解|咨询|打听")  # "想问问能不能…": how a request is often put
_DIRECT = re.compile(
    r"(?:给|帮|替)(?:我|俺|他|她|咱)(?:家)?(?:的)?[\u4e00-\u9fff]{0,3}?(?:整|弄|办|申请|报|配)(?:个|一个|一下)"
)


def wants_to_apply(text: str | None) -> bool:
    """True when a message asks to apply for a benefit (in any words: "给俺爹整个轮椅", "想给他办护理补贴"),
    not when it only asks about the benefit ("护理补贴谁能领", "燃油补贴怎么领")."""
    text = spoken_together(text)
    if not text or detect_benefit(text) is None:
        return False
    about = _ABOUT.search(_ASKING_FRAME.sub("", text)) if _DIRECT.search(text) else _ABOUT.search(text)
    if about:
        return False
    return bool(_WISH.search(text)) or (bool(_REQUEST.search(text)) and not _HOW.search(text))
