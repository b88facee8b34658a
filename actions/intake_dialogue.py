"""One turn of the application form, as a pure function of the slots and the message (no Rasa; the form validation
action in actions/intake_form.py runs it and turns its result into events and messages).

Every message is read for every field still needed; the bot then confirms what it took from a long sentence and
asks only for what is missing. A question is answered and the same question asked again; "取消" ends everything
and keeps nothing; "电话错了，是…" corrects a field at any time; naming another benefit switches and keeps what was
said; the read-back must be confirmed before anything is submitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from actions import intake_texts as texts
from actions.intake_understand import (
    STRONG_QUESTION,
    Heard,
    Listener,
    asks_about_cover,
    ends_in_cancel,
    loose_name,
    only_asks_about_staff,
    starts_in_cancel,
)
from actions.readback import readback_messages, spoken_value
from actions.repeats import says_not_understood
from bot.rules.benefits import (
    FORM_NAME,
    BenefitSpec,
    BenefitTable,
    HelpAnswer,
    benefit_mentions,
    detect_benefit,
    load_table,
)
from bot.rules.disability_card import CATEGORIES, validate_disability_card
from bot.rules.eligibility import FINAL_DECISION, applicant_age, condition_holds
from bot.rules.field_values import NO_CARD, parse_household, refuses_last, yes_or_no
from bot.rules.id_card import validate_id_number
from bot.rules.places import normalise_address, region_of_id
from bot.rules.regions import REGIONS
from bot.text.normalize import as_written

__all__ = ["FORM_NAME", "Incoming", "Turn", "form_slots", "hidden_slots", "refused", "step"]

REJECT_INTENTS = frozenset({"request_human", "complaint", "danger"})
HIDDEN = ("has_card", "address_part", "relation_clue", "speaker_name", "speaker_phone", "region_from_id",
          "intake_misses", "intake_pending_faq", "intake_turns", "application_token", "submission_pending")  # fmt: skip
NAME_KINDS = ("name",)
_BEFORE_AGREEING = re.compile(
    r"(?:同意|确认|提交)(?:之前|以前|前)|先别(?:同意|确认|提交)|等(?:一?下|会儿)再(?:同意|确认)"
)
MAX_MISSES_BEFORE_HELP = 2  # the second miss of a question offers help (spelling a name, a person)
MAX_MISSES_BEFORE_HANDOVER = 4  # the fourth hands over to a person: never a stuck loop
MAX_REFUSALS = 2  # the gateway refusing a value twice hands over: never a loop of read-backs


@dataclass(frozen=True)
class Incoming:
    """The resident's message and what the NLU made of it."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    faq_key: str | None = None  # the FAQ answer chosen, only when the NLU understood a policy question
    written: str | None = None  # the message as written, when it differs from `text` (traditional characters)


@dataclass
class Turn:
    """What the form does: slot updates, messages ({"text", "buttons"} or {"faq": key}), the next question."""

    slots: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    requested: str | None = None
    outcome: str | None = None  # None (asking) | confirmed | cancelled | no_consent | handover | reject

    def say(self, text: str, buttons: tuple[str, ...] | list[str] = ()) -> None:
        self.messages.append({"text": text, "buttons": [{"title": b, "payload": b} for b in buttons]})


def form_slots(table: BenefitTable | None = None) -> tuple[str, ...]:
    return (table or load_table()).all_form_fields


def hidden_slots() -> tuple[str, ...]:
    return HIDDEN


def needed_fields(table: BenefitTable, slots: dict[str, Any]) -> tuple[str, ...]:
    """The fields of the current benefit that apply now (proxy fields only for family members …)."""
    spec = table.benefit(slots.get("benefit"))
    if spec is None:
        return ("benefit",)
    keys = [k for k in spec.form_fields if table.fields[k].applies(slots)]
    if slots.get("has_card") is False and "card_number" in keys:
        keys.remove("card_number")  # "没有" answered the card question
    return tuple(keys)


def next_field(table: BenefitTable, slots: dict[str, Any]) -> str | None:
    """The first field still missing; a relation that only the ID number's sex digit can settle waits for it."""
    waiting = []
    for key in needed_fields(table, slots):
        if key == "card_number" and slots.get("has_card") is False:
            continue
        if key == "proxy_relation" and slots.get("relation_clue") and not slots.get("id_number"):
            waiting.append(key)
            continue
        if slots.get(key) in (None, ""):
            return key
    return waiting[0] if waiting else None


def _settle(table: BenefitTable, slots: dict[str, Any]) -> None:
    """Fill what follows from what is known: whose name/phone, the relation by the applicant's sex, the child's
    birth date and the region from the ID number, no card."""
    if slots.get("card_number") == NO_CARD:
        slots["card_number"], slots["has_card"] = None, False
    elif slots.get("card_number"):
        slots["has_card"] = True
    for_self = slots.get("for_self")
    if for_self is not None:
        for spoken, own, proxy in (("speaker_name", "applicant_name", "proxy_name"),
                                   ("speaker_phone", "phone", "proxy_phone")):  # fmt: skip
            if slots.get(spoken):
                target = own if for_self else proxy
                if not slots.get(target):
                    slots[target] = slots[spoken]
                slots[spoken] = None
    if for_self is True:
        for key in ("proxy_name", "proxy_relation", "proxy_phone", "relation_clue"):
            slots[key] = None
    check = validate_id_number(slots.get("id_number") or "")
    clue = slots.get("relation_clue")
    if clue and check.ok:
        slots["proxy_relation"] = clue["male"] if check.sex == "男" else clue["female"]
        slots["relation_clue"] = None
    town, address = slots.get("town"), slots.get("address")
    if address:
        slots["address_part"] = None
    if town and address and town not in address:
        slots["address"] = normalise_address(address, town)  # the stored address starts with the town
    if check.ok:
        if "child_birth_date" in needed_fields(table, slots) and check.birth_date:
            slots["child_birth_date"] = check.birth_date.isoformat()
        if not slots.get("region") and region_of_id(check.value):
            slots["region"], slots["region_from_id"] = region_of_id(check.value), True


def _name_keys(table: BenefitTable) -> tuple[str, ...]:
    return (*(key for key, spec in table.fields.items() if spec.kind in NAME_KINDS), "speaker_name")


def _as_written(table: BenefitTable, heard: Heard, incoming: Incoming) -> None:
    """Names heard in the simplified text, stored as the resident wrote them ("金寶山", not "金宝山")."""
    for key in _name_keys(table):
        if isinstance(heard.facts.get(key), str):
            heard.facts[key] = as_written(heard.facts[key], incoming.text, incoming.written)


def _apply(table: BenefitTable, slots: dict[str, Any], heard: Heard, turn: Turn) -> list[str]:
    """Put what was heard into the slots; return the fields newly learned (for the "记下了" echo)."""
    learned = []
    for key, value in heard.facts.items():
        if key not in table.fields and key not in HIDDEN:
            continue
        if key == "region" and slots.get("region_from_id") and value != slots.get("region"):
            slots["region_from_id"] = None  # where they live beats where the ID was issued
        elif slots.get(key) not in (None, "") and key not in heard.corrected:
            continue
        if key == "proxy_relation":
            slots["relation_clue"] = None  # said outright: no guess to settle later
        if key == "id_number" and slots.get("card_number") and not str(slots["card_number"]).startswith(value):
            slots["card_number"] = None  # the card must start with the (new) ID number
        slots[key] = value
        if key in table.fields:
            learned.append(key)
    _settle(table, slots)
    return learned


def _echo(table: BenefitTable, slots: dict[str, Any], keys: list[str]) -> str | None:
    if "address" in keys and str(slots.get("town") or "-") in str(slots.get("address") or ""):
        keys = [k for k in keys if k != "town"]  # the address says the town already
    parts = []
    for key in keys:
        spec = table.fields[key]
        said = spoken_value(table, key, slots)
        if said is None or spec.kind in ("consent", "confirm"):
            continue
        parts.append(f"{spec.label}{said}" if spec.kind != "for_self" else said)
    return texts.NOTED.format(facts="、".join(parts)) if parts else None


def _ask(table: BenefitTable, slots: dict[str, Any], key: str, turn: Turn, lead: list[str]) -> None:
    """Ask for `key` (the read-back for `confirmed`), after the lead sentences, in one message when short."""
    turn.requested = key
    spec = table.fields[key]
    if key == "confirmed":
        for text in lead:
            turn.say(text)
        for text in readback_messages(table, needed_fields(table, slots), slots):
            turn.say(text)
        turn.say(spec.question, spec.buttons)
        return
    question = spec.ask(slots.get("for_self"))
    if key == "card_number" and slots.get("has_card") is True:
        question = "请说一下残疾人证号，20位，前18位和身份证号一样。"
    if key == "address" and slots.get("address_part"):
        question = texts.ASK_HOUSE.format(place=slots["address_part"])
    if lead and lead[-1].endswith("？"):
        question = ""  # the last sentence already asks (e.g. "申请人是您的丈夫还是妻子？")
    buttons = spec.buttons
    if key == "benefit":
        buttons = tuple(b.name for b in table.benefits.values())
        named = [b for b in buttons if any(b in text for text in lead)]
        buttons = tuple(named) if len(named) > 1 else buttons  # only those the resident named
    turn.say("".join([*lead, question]), buttons)


def _misses(slots: dict[str, Any], key: str, turn: Turn) -> int:
    misses = dict(slots.get("intake_misses") or {})
    misses[key] = misses.get(key, 0) + 1
    turn.slots["intake_misses"] = misses
    slots["intake_misses"] = misses
    return misses[key]


def _help_answer(table: BenefitTable, asked: str | None, text: str) -> HelpAnswer | None:
    """The table's answer to a question about the application itself ("你是机器人吗", "同意是啥意思"), if any."""
    names_a_benefit = bool(benefit_mentions(text) or _WHAT_PROGRAMME.search(text))  # "这是啥项目": not consent
    for help_answer in table.questions:
        if help_answer.when_asked and (asked not in help_answer.when_asked or names_a_benefit):
            continue  # "这托养是啥样的人都收": a question about the benefit, not about what consenting means
        if any(word in text for word in help_answer.words):
            return help_answer
    return None


def _answer_question(
    table: BenefitTable,
    slots: dict[str, Any],
    incoming: Incoming,
    turn: Turn,
    needs_region: Callable[[str], bool],
    hotline: Callable[[str | None], str],
) -> bool:
    """Answer a question asked in the middle; False when the region must be asked first (kept for later)."""
    help_answer = _help_answer(table, slots.get("requested_slot"), incoming.text)
    if help_answer is not None:
        turn.say(help_answer.answer)
        return True
    if incoming.intent == "check_status":
        turn.say(texts.IN_FORM_STATUS)
        return True
    faq_key = incoming.faq_key if incoming.intent == "faq" else None
    benefit = table.benefit(slots.get("benefit"))
    about_this = (
        bool(benefit)
        and detect_benefit(incoming.text) == benefit.key
        and not _names_other_benefit(table, benefit.key, incoming.text)
    )
    # "孩子多大为止" names no benefit: asked while applying, it is about this one (unless the NLU knew another topic)
    unnamed = bool(benefit) and detect_benefit(incoming.text) is None and (not faq_key or faq_key == benefit.faq)
    if (
        (about_this or unnamed)
        and _ELIGIBILITY.search(incoming.text)
        and (notes := _plan_notes(benefit, slots, incoming.text))
    ):
        turn.say("".join(notes) + FINAL_DECISION)  # "托养是不是有岁数限制": the plans' own words on who it is for
        return True
    other = _asked_about_other(table, benefit, incoming.text)
    if other and _ELIGIBILITY.search(incoming.text) and (notes := _plan_notes(other, slots, incoming.text)):
        turn.say("".join(notes) + FINAL_DECISION)  # "三级的话护理补贴是不是不行" while applying for another one
        return True
    if (
        (about_this or unnamed)
        and _WHAT_PROGRAMME.search(incoming.text)
        and (notes := _plan_notes(benefit, slots, what_only=True))
    ):
        turn.say("".join(notes) + FINAL_DECISION)  # "你们这是啥项目", "是不是…工程那个": what this application is
        return True
    benefit_faqs = {b.faq for b in table.benefits.values() if b.faq}
    if about_this and benefit.faq and (not faq_key or (faq_key in benefit_faqs and faq_key != benefit.faq)):
        faq_key = benefit.faq  # a question about the benefit being applied for ("助听器钱要自己出吗")
    elif unnamed and benefit.faq and not faq_key and _HOW_MUCH.search(incoming.text):
        faq_key = benefit.faq  # "一年到底给多少钱", "能帮多少人" while applying: this benefit (the plans' words on it)
    if faq_key:
        if needs_region(faq_key) and not slots.get("region"):
            slots["intake_pending_faq"] = faq_key
            turn.say(texts.REGION_FIRST)
            return False
        turn.messages.append({"faq": faq_key})
        return True
    turn.say(texts.CANNOT_ANSWER.format(hotline=hotline(slots.get("region"))))
    return True


_ELIGIBILITY = re.compile(
    r"岁数|年龄|年纪|多大|几岁|够格|够不够|符合|资格|条件|谁能|什么人|哪些人|限制|几级|要求|才能|才可以|是不是得|"
    r"得是|必须|能不能(?:领|办|申请|去|享受)|(?:能|可以)(?:领|办|申请|去)(?:吗|不)|给谁|哪种人|"
    r"啥样的?人|什么样的?人|哪样的?人|啥人|收不收|都收|收啥|收什么|"
    r"不行|不能办|不能领|办不了|领不了|够不上|够得上|轮不到|排不上|能排上|算不算|算不上"
)
# "你们这个是啥项目", "是不是…工程那个", "还是别的项目": what the application being filled is (the plans' programmes).
_WHAT_PROGRAMME = re.compile(
    r"(?:啥|什么|哪个|哪一个|哪种|别的|其他|其它)(?:项目|工程|计划|政策)|(?:项目|工程|计划)(?:吗|那个|不是|是不是|呢)|"
    r"是不是[\u4e00-\u9fff]{1,10}(?:工程|计划|项目)|这(?:个|项)?(?:是|算|属于)(?:啥|什么|哪个|哪)"
)
# How much or how many, asked about the benefit being applied for without naming it ("一年到底给多少钱", "这个一年能
# 帮多少人"): its answer (the plans' words on amounts and on how many it reaches) rather than "回答不了".
_HOW_MUCH = re.compile(r"多少|补贴标准|啥标准|什么标准|几百|几千|名额|几个人|几个娃|几个孩子")
_LEVEL_SAID = re.compile(r"([一二三四1234])级")
_LEVELS = {"一": 1, "1": 1, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}
_CATEGORY_SAID = re.compile("|".join(CATEGORIES.values()))
_HOUSEHOLD_SAID = re.compile(r"低保|特困|五保|低收入")


def _names_other_benefit(table: BenefitTable, key: str, text: str) -> bool:
    return any(m[2] != key and not m[3] for m in benefit_mentions(text))


def _asked_about_other(table: BenefitTable, benefit: BenefitSpec | None, text: str) -> BenefitSpec | None:
    """The one benefit, not the one applied for, that the question clauses of a message name ("同意 三级的话护理补贴
    是不是不行 那就申请生活补贴": 护理补贴 is asked about; the clause naming 生活补贴 asks nothing)."""
    clauses = [c for c in re.split(r"[\s，,。！!；;]+", text) if STRONG_QUESTION.search(c)]
    named = {m[2] for clause in clauses for m in benefit_mentions(clause) if not m[3]}
    if benefit is None or len(named) != 1 or benefit.key in named:
        return None
    return table.benefit(named.pop())


def _plan_notes(
    benefit: BenefitSpec, slots: dict[str, Any], question: str = "", *, what_only: bool = False
) -> list[str]:
    """The benefit's pre-check notes (no placeholders) on who it is for, for what is known: the region (unknown:
    each region's note, named), the applicant's age (the child's birth date or the ID number), the level and
    category ("三级精神的能领吗") and the household ("是低保边缘户 能办不") asked about, or on the card and in the
    form. A rule naming a fact not known is left out; `what_only`: only the notes on what the benefit is (those
    that depend on nothing but the region)."""
    card = validate_disability_card(slots.get("card_number") or "")
    levels = {_LEVELS[w] for w in _LEVEL_SAID.findall(question)}
    categories = set(_CATEGORY_SAID.findall(question))
    said_household = parse_household(question).value if _HOUSEHOLD_SAID.search(question) else None
    facts: dict[str, Any] = {
        "household": said_household or slots.get("household"),
        "age": applicant_age(slots, date.today()),
        "level": levels.pop() if len(levels) == 1 else card.level if card.ok else None,
        "category": categories.pop() if len(categories) == 1 else card.category if card.ok else None,
    }
    known_region = slots.get("region")
    notes: list[str] = []
    for region in [known_region] if known_region else list(REGIONS):
        for rule in benefit.precheck:
            keys = set(rule.when)
            if not rule.note or "{" in rule.note or not keys <= {"region", "age", "level", "category", "household"}:
                continue
            if what_only and not keys <= {"region"}:
                continue
            if "region" in keys and rule.when["region"] != region:
                continue
            if any(facts[k] is None and rule.when[k] != "unknown" for k in keys - {"region"}):
                continue  # a rule about a fact not known yet ("三、四级…") is not a guess
            if not all(condition_holds(rule.when[k], facts[k]) for k in keys - {"region"}):
                continue
            named = "region" in keys and not known_region and not rule.note.startswith(region)
            note = f"{region}：{rule.note}" if named else rule.note
            if note not in notes:
                notes.append(note)
    return notes


def _asks_a_question(incoming: Incoming, heard: Heard, requested: str) -> bool:
    """A policy question the NLU understood, in a message that answered nothing, is a question even without 吗/？."""
    if requested == "pi_consent" and heard.facts.get("pi_consent") is False:
        if not heard.question or refuses_last(incoming.text):
            return False  # "身份证啥的俺不想说 不同意 …", "还要存身份证？不同意": a refusal, its reason first
    if heard.question or incoming.intent not in ("faq", "check_status", "out_of_scope") or incoming.confidence < 0.5:
        return heard.question
    answered = requested in heard.facts and requested not in ("pi_consent", "confirmed")
    taken = [k for k in heard.facts if k not in ("pi_consent", "confirmed")]
    if incoming.intent in ("check_status", "out_of_scope"):
        return not taken and not answered and incoming.confidence >= 0.7
    return bool(incoming.faq_key) and not answered and not taken and len(incoming.text) > 4


def _benefit_heard(heard: Heard) -> bool:
    """The message named a benefit, or several to choose from, or one to ask about: not a miss of the question."""
    return bool(heard.switch_to or heard.benefit_choices or heard.benefit_unsure or heard.facts.get("benefit"))


def _cleared(table: BenefitTable) -> dict[str, Any]:
    return {key: None for key in (*table.all_form_fields, *HIDDEN) if key != "region"}


def step(
    slots_in: dict[str, Any],
    incoming: Incoming,
    *,
    table: BenefitTable | None = None,
    needs_region: Callable[[str], bool] = lambda key: False,
    hotline: Callable[[str | None], str] = lambda region: "残联",
) -> Turn:
    """One message during the application form (`requested_slot` None = the form is just starting)."""
    table = table or load_table()
    slots = dict(slots_in)
    requested = slots.get("requested_slot")
    turn = Turn()
    if (
        requested
        and incoming.intent in REJECT_INTENTS
        and incoming.confidence >= 0.6
        and not asks_about_cover(incoming.text, incoming.intent)
        and not only_asks_about_staff(incoming.text, incoming.intent)
    ):
        turn.outcome = "reject"  # hand-over, complaint, danger: the rules take it from here
        return turn
    listener = Listener(table, slots, lambda state: needed_fields(table, state))
    heard = listener.hear(incoming.text, requested)
    _as_written(table, heard, incoming)
    if requested and heard.handover and not heard.cancel:
        turn.say(texts.HANDING_OVER)
        turn.outcome = "handover"  # "你们来个人帮俺填吧": a person takes over (actions/intake_form.py)
        return turn
    if requested and incoming.intent == "cancel_application" and incoming.confidence >= 0.8 and not heard.facts:
        heard.cancel = heard.cancel or len(incoming.text) <= 20  # the NLU's word for a short message
    if requested and _help_answer(table, requested, incoming.text) and requested not in heard.facts:
        heard.question = True  # "你这是电脑自动回复的吧": a question the table answers, even without 吗
    if requested in ("pi_consent", "confirmed") and _BEFORE_AGREEING.search(incoming.text):
        heard.question = True  # "同意之前先问下…": a question first, the consent after it
    if requested and _asks_a_question(incoming, heard, requested):
        heard.question = True
        first_clause = re.split(r"[\s，,。！!；;]", incoming.text.strip(), maxsplit=1)[0]
        about_this_question = any(
            requested in h.when_asked and any(w in incoming.text for w in h.words) for h in table.questions
        )
        if yes_or_no(first_clause) is None or about_this_question or _BEFORE_AGREEING.search(incoming.text):
            for key in ("pi_consent", "confirmed"):
                heard.facts.pop(key, None)  # a question is not a yes (but "同意是同意，先问一句…" is both)
    changes_a_field = bool(heard.corrected & set(heard.facts)) and not ends_in_cancel(incoming.text)
    if (
        heard.cancel
        and not heard.switch_to
        and not changes_a_field  # "轮椅先不要了 换成助步器": the thing is dropped, not the application
        and (not heard.facts.get(requested or "") or ends_in_cancel(incoming.text) or starts_in_cancel(incoming.text))
    ):
        turn.slots = _cleared(table)
        turn.say(texts.CANCELLED)
        turn.outcome = "cancelled"
        return turn
    lead: list[str] = []
    if heard.switch_to:
        slots["benefit"] = heard.switch_to
        slots["confirmed"] = None
        lead.append(texts.SWITCHED.format(benefit=table.name_of(heard.switch_to)))
    elif heard.benefit_unsure:
        lead.append(texts.SWITCH_OR_NOT.format(benefit=table.name_of(heard.benefit_unsure)))
    if heard.benefit_choices and not slots.get("benefit"):
        names = [table.name_of(key) for key in heard.benefit_choices]
        lead.append(texts.WHICH_BENEFIT.format(benefits="和".join(names)))
    if requested == "pi_consent" and heard.facts.get("pi_consent") is False:
        turn.slots = _cleared(table)
        turn.say(texts.NO_CONSENT.format(hotline=hotline(slots.get("region"))))
        turn.outcome = "no_consent"
        return turn
    before = dict(slots)
    learned = _apply(table, slots, heard, turn)
    if requested == "confirmed":
        return _readback_turn(table, slots, slots_in, incoming, heard, learned, turn, needs_region, hotline)

    requested_filled = bool(requested) and slots.get(requested) not in (None, "")
    answered_too = requested_filled and requested in learned and requested != "pi_consent"
    if requested and requested != "benefit" and heard.question and not answered_too:
        if _answer_question(table, slots, incoming, turn, needs_region, hotline):
            lead.append(texts.RESUME)
    elif requested == "benefit" and not slots.get("benefit") and not _benefit_heard(heard):
        told_wrong = says_not_understood(incoming.text)  # "不是那个", "你咋老听不懂呢"
        if told_wrong or not heard.question:
            misses = _misses(slots, "benefit", turn)
            if told_wrong or misses >= MAX_MISSES_BEFORE_HELP:  # missed twice: a person (issue 12)
                turn.say(texts.HANDOVER_AFTER_MISSES)
                turn.outcome = "handover"  # no loop on "您想申请哪一项？": a person helps
                return turn
    elif requested and not requested_filled and requested != "benefit" and not heard.switch_to:
        problem = heard.problems.get(requested)
        if not learned or problem:
            misses = _misses(slots, requested, turn)
            loose = loose_name(incoming.text) if table.fields[requested].kind in NAME_KINDS and misses >= 2 else None
            if loose:  # the second time: the one name in the message, however it was put ("我 名字 唐秀娟")
                slots[requested] = as_written(loose, incoming.text, incoming.written)
                learned.append(requested)
                problem = None
            elif misses >= MAX_MISSES_BEFORE_HANDOVER:
                turn.say(texts.HANDOVER_AFTER_MISSES)
                turn.outcome = "handover"  # no stuck loop: a person helps (actions/intake_form.py)
                return turn
            else:
                if not (requested == "card_number" and slots.get("has_card") is True and not problem):
                    lead.append(problem or texts.SAY_AGAIN)
                if table.fields[requested].kind in NAME_KINDS and misses >= MAX_MISSES_BEFORE_HELP:
                    lead.append(texts.SPELL_NAME)
                elif misses >= MAX_MISSES_BEFORE_HELP:
                    lead.append(texts.OFFER_PERSON)
    for key, message in heard.problems.items():
        if key != requested and key not in learned and message not in lead:
            lead.insert(0, message)
    pending = slots.get("intake_pending_faq")
    if pending and slots.get("region"):
        turn.messages.append({"faq": pending})
        slots["intake_pending_faq"] = None
        lead.append(texts.RESUME)

    new_keys = [k for k in learned if k not in ("pi_consent", "confirmed", "benefit")]
    if requested == "pi_consent" and slots.get("pi_consent"):
        earlier = [k for k in needed_fields(table, slots) if before.get(k) not in (None, "")]
        echo_keys = [k for k in earlier if k not in ("pi_consent", "benefit")] + new_keys
    elif len(new_keys) > 1 or (new_keys and new_keys != [requested]):
        echo_keys = new_keys
    else:
        echo_keys = []
    echo = _echo(table, slots, list(dict.fromkeys(echo_keys))) if slots.get("pi_consent") else None
    if echo:
        lead.insert(0, echo)
    if requested in (None, "benefit") and table.benefit(slots.get("benefit")) and not heard.switch_to:
        lead.insert(0, texts.START.format(benefit=table.name_of(slots["benefit"])))
    key = "region" if slots.get("intake_pending_faq") and not slots.get("region") else next_field(table, slots)
    _finish(slots, slots_in, turn)
    if key is None:
        turn.outcome = "confirmed"
        return turn
    _ask(table, slots, key, turn, lead)
    return turn


def _readback_turn(
    table: BenefitTable, slots: dict[str, Any], slots_in: dict[str, Any], incoming: Incoming, heard: Heard,
    learned: list[str], turn: Turn, needs_region: Callable[[str], bool], hotline: Callable[[str | None], str],
) -> Turn:  # fmt: skip
    lead: list[str] = []
    changed = [k for k in learned if k != "confirmed" and slots_in.get(k) != slots.get(k)]
    cleared = [k for k in heard.corrected if k not in heard.facts]
    for key in cleared:
        slots[key] = None
        if key == "card_number":
            slots["has_card"] = None
    if changed or cleared or heard.switch_to:
        if changed:
            lead.append(texts.FIXED)
        lead.extend(heard.problems.values())
        key = next_field(table, slots)
        slots["confirmed"] = None
        _finish(slots, slots_in, turn)
        _ask(table, slots, key or "confirmed", turn, lead)
        return turn
    slots["confirmed"] = None
    same = [k for k in heard.corrected if k in heard.facts and heard.facts[k] == slots_in.get(k)]
    if same and not heard.question:  # "身份证号错了，应该是…" with the number already held: say so, ask again
        for key in same:
            lead.append(texts.SAME_AS_HELD.format(label=table.fields[key].label, value=spoken_value(table, key, slots)))
        turn.say("".join([*lead, table.fields["confirmed"].question]), table.fields["confirmed"].buttons)
        turn.requested = "confirmed"
        _finish(slots, slots_in, turn)
        return turn
    answer = yes_or_no(incoming.text) if not heard.question else None
    if answer is True:
        slots["confirmed"] = True
        _finish(slots, slots_in, turn)
        turn.outcome = "confirmed"
        return turn
    if heard.question:
        if _answer_question(table, slots, incoming, turn, needs_region, hotline):
            lead.append(texts.RESUME)
        turn.say("".join([*lead, table.fields["confirmed"].question]), table.fields["confirmed"].buttons)
    elif answer is False:
        turn.say(texts.WHICH_IS_WRONG)
    else:
        turn.say(texts.CONFIRM_OR_FIX, table.fields["confirmed"].buttons)
    turn.requested = "confirmed"
    _finish(slots, slots_in, turn)
    return turn


def _finish(slots: dict[str, Any], slots_in: dict[str, Any], turn: Turn) -> None:
    """Every slot whose value changed becomes a slot update."""
    for key, value in slots.items():
        if key == "requested_slot":
            continue
        if slots_in.get(key) != value:
            turn.slots[key] = value


def refused(table: BenefitTable, slots_in: dict[str, Any], key: str, message: str) -> Turn:
    """The gateway refused field `key` at submission (its own check, `message` says why): the field is asked again
    and the read-back follows; the second refusal hands over to a person. Nothing invalid is ever stored."""
    slots = dict(slots_in)
    turn = Turn()
    if _misses(slots, "gateway_refused", turn) >= MAX_REFUSALS:
        turn.say(texts.HANDOVER_AFTER_REFUSAL)
        turn.outcome = "handover"
        return turn
    if key in table.fields and key not in ("benefit", "pi_consent", "confirmed"):
        slots[key] = None
        if key == "card_number":
            slots["has_card"] = None
    slots["confirmed"] = None
    _finish(slots, slots_in, turn)
    _ask(table, slots, next_field(table, slots) or "confirmed", turn, [message])
    return turn
