"""Understand one resident message during an application (pure functions, no Rasa).

Mixed initiative: every message is searched for every field the form still needs — the benefit, for whom and the
family relation, the applicant's and the family member's names ("我爸叫李长顺，我是他闺女李秀芬"), ID and card
numbers, phones (whose?), the address with its town and region, the household status, the device wanted and the
benefit's own choices — besides the answer to the question asked. Corrections ("电话错了，是…") may come at any
time. Values are checked by bot/rules/field_values.py; what cannot be used is reported, never stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.rules.benefits import (
    BenefitTable,
    FieldSpec,
    benefit_candidates,
    benefit_mentions,
    detect_benefit,
    said_no_to,
    switch_target,
)
from bot.rules.complaints import is_complaint, wants_person
from bot.rules.disability_card import regraded, validate_disability_card
from bot.rules.field_values import (
    NO_CARD,
    Parsed,
    choice_in,
    house_level,
    looks_like_question,
    parse_answer,
    parse_place,
    replace_unit_numbers,
    swap_in,
)
from bot.rules.id_card import validate_id_number
from bot.rules.kinship import I_AM_THEIR, MY_RELATIVE, relation_clue, sex_from_pronoun
from bot.rules.names import is_name, name_at
from bot.rules.number_fix import fix_number
from bot.rules.phone import validate_phone
from bot.rules.places import find_town, tidy_numbers
from bot.rules.regions import detect_region
from bot.rules.spoken_numbers import number_spans

CANCEL = re.compile(
    r"取消|不办了|不申请了|不弄了|不填了|不整了|不搞了|不要了|别填了|不想办了|不想弄了|先不办|先不弄|"
    r"不想申请了|退出|算了吧|算了不|不办啦|不整啦|不弄啦|停止申请|以后再说|改天再说|下次再办|不用了|不用办了|"
    r"不要办了|别办了|别弄了|撤销|撤回|那就算了|不申请啦|不想要了|不办咧|不弄咧|不整咧|甭办了|甭弄了|^算了[。！!，,]*$|"
    r"不提交|别提交|先不提交|不交了|不报了|不报名了|不去了|不需要了|不想填了|不填啦|"
    r"先别交|别交了|先不交|完了再说|回头再说|过后再说|过两天再说|过些天再说|"  # not now: nothing is submitted
    r"拉倒吧|那就拉倒|拉倒了|算球了|算逑了|不申了|先放一放|先放放|放一放再说|下回再说|下次再说|再考虑考虑|考虑考虑再说|"
    r"想想再说|等等再说|不弄啦|不办咯|不整了吧|不申请咯|不要办了|就不办了"
)
_CHANGE = re.compile(r"改|换")
_CHOICE_CHANGE = re.compile(r"改|换|不要|不用|不想要|还是要|还是|其实|应该|要的是|说错|错了|不对")
SWITCH = re.compile(r"改|换|还是|不要.{0,6}要|不办.{0,6}办|改主意|重新选|申请|办")
STRONG_QUESTION = re.compile(
    r"吗|？|\?|怎么|为什么|为啥|多少|能不能|是不是|多久|多长时间|咋办|咋整|啥时候|什么时候|谁能|谁可以|"
    r"干啥|干什么|做甚|有没有|(?<!不)(?:中不中|行不行|要不要)|需要|怎样|如何|"
    r"(?:能|可以|有|是|中|行|会|要|用|给|算|够|符合|合格|管)[\u4e00-\u9fff]{0,8}不[？?。！!\s]*$|问一嘴|问个事|"
    r"呢[？?。]*$|了没[？?。]*$|"
    r"(?<!不)([\u4e00-\u9fff])不\1|有[\u4e00-\u9fff]{0,8}没(?:有)?(?:[？?。\s]|$)|问一句|问一下|问下|先问|问问|请问|想问|打听|多大|"
    r"甚(?!至)|是啥|啥(?!也|的)|几(?:点|时|号|天|个|岁|年|月|分)"
)
SELF_CUES = re.compile(r"(?:我|俺)(?:自己|本人)|给自己|为自己|自己申请|自己办|本人申请|"
                       r"(?:我|俺)是(?:个)?(?:一级|二级|三级|四级)?[\u4e00-\u9fff]{0,3}残疾|"
                       r"(?:我|俺)(?:的)?(?:耳朵|眼睛|腿|腰|手|脚)|(?:我|俺)(?:听不见|看不见|瘫|坐轮椅)|"
                       r"(?:我|俺)(?:有|开的是|开)(?:一辆|辆)?(?:残疾人)?(?:那个)?(?:机动)?轮椅车")  # fmt: skip
_SPEAKER_NAME = re.compile(
    r"(?:我|俺)(?:叫|名叫|名字叫|名字是|姓名是|的名字是|的?名字|的?姓名)|(?:我|俺)是(?=[\u4e00-\u9fff]{2,4}(?:[，,。\s]|$))"
)
_APPLICANT_NAME = re.compile(r"(?:他|她|申请人|老人|孩子|娃|老人家)(?:的)?(?:叫|名叫|名字叫|名字是|姓名是|姓名叫)")
_RELATIVE_NAMING = re.compile("(" + "|".join(sorted(MY_RELATIVE, key=len, reverse=True)) + ")" +
                              r"(?:叫|名叫|名字叫|名字是|姓名是)")  # fmt: skip
_I_AM_THEIR_NAMED = re.compile(r"(?:我|俺)是(?:他|她|它|人家|申请人|孩子)?(?:的)?(" +
                               "|".join(sorted(I_AM_THEIR, key=len, reverse=True)) +
                               r")[，,\s]?(?:我)?(?:叫|名叫)?")  # fmt: skip
_SPEAKER_ROLE_BEFORE = re.compile(r"(?:我|俺)(?:就)?是(?:他|她|它|人家|孩子|申请人|这孩子)?(?:的)?(?:亲)?$")
_FIELD_NAME = re.compile(r"(?:姓名|名字)(?:是|叫|：|:)\s*")
_MY_WORDS = re.compile(r"(?:我|俺)(?:自己)?(?:的)?(?:电话|手机|号码|联系方式)|打我|联系我|找我|给我打")
_THEIR_WORDS = re.compile(r"(?:他|她|申请人|老人|孩子|娃|" + "|".join(sorted(MY_RELATIVE, key=len, reverse=True)) +
                          r")(?:自己)?(?:的)?(?:电话|手机|号码|联系方式)")  # fmt: skip
# Who the clause before a number is about: the applicant ("他身份证…，电话…") or the speaker ("我是他闺女，电话…").
_ABOUT_THEM_OR_ME = re.compile(
    r"(?P<me>(?:我|俺)(?:就)?是(?:他|她|人家)?(?:的)?(?:" + "|".join(sorted(I_AM_THEIR, key=len, reverse=True)) +
    r")?)|(?P<them>" + "|".join(sorted(MY_RELATIVE, key=len, reverse=True)) + r"|他|她|申请人|老人家|老人)|(?P<i>我|俺)"
)  # fmt: skip
# "住三楼", "住顶楼", "住平房" tell about the home, not where it is: no address follows.
_ADDRESS_LEAD = re.compile(
    r"(?:家住在|家住|住在|住址是|地址是|住址|地址|家在|住)"
    r"(?!院|不|得|着|了|哪|[一二三四五六七八九十两\d]+(?:楼|层)|顶楼|顶层|楼上|楼下|平房|楼房|高层|老房)[：:\s]*"
)
# An address said in passing names a place (a village, a community, a street …), not only a floor or a number.
_GENERIC_PLACE = re.compile(r"村里|村子|农村|乡下|乡里|镇上|镇里|街上|城里|小区里|社区里|路上|路边")
_PLACE_NAMED = re.compile(r"村|社区|小区|路|街|巷|屯|胡同|大院|家属院|花园|公寓|家园|新村|苑|庄|镇|乡|宿舍|大厦|组")
# Where an address said in passing ends: punctuation, a remark in brackets or Latin letters, or the next clause
# ("住店上镇东邑村 俺叫王翠萍 他电话…": the spaces are gone by then, so the speaker's next words end it).
_CLAUSE_END = re.compile(
    r"[，,。！!？?；;(（]|[A-Za-z]{2,}|想申请|想办|要申请|申请|家里是|家是|电话|手机|身份证|低保|特困|残疾|这个|那个|咋|怎么|"
    r"门口|门前|台阶|楼梯|楼道|电梯|出不去|进不去|上不去|下不来|出不来|不方便|想给|想要|想整|想弄|想让|老高|太高|太陡|贼高|"
    r"轮椅|腿脚|出门|厕所|旱厕|院子|门槛|上下楼|下楼|上楼|"
    r"(?<=[楼栋幢号])(?:[一二三四五六七八九十两]|\d)+(?:楼|层)(?![\d零〇一二三四五六七八九幺])|"  # "5号楼 一楼 门口…"
    r"(?:我|俺|他|她|咱|人家)(?:叫|是|的|们|家|今年|也|就|想|要|给|帮|现在|那|有|没|坐|腿|耳|眼)"
)
_DIGIT_WORD = r"[\d零〇洞一幺两二三四五六七拐八九]"
_ERROR_CUE = (
    r"(?:说)?(?:还是(?:写|填|用|留|记)|改回|写成|填成|记成|应该写|要写|得写|错了|错[。，,\s]|不对|说岔了|说差了|念错了|报错了|"
    r"写错了|记错了|说错了|有误|搞错了|弄错了|改一下|要改|改成|改为|换成|应该是|是错的|"
    r"错了?(?:一|两|几)(?:个|位)(?:数字|数)?|"
    # "电话最后一位不是七 是一", "尾号是一 不是七": the wrong digits and the right ones, after the field's name
    rf"不是(?=\s*{_DIGIT_WORD}{{1,11}}\s*[，,、\s]*(?:而|应该|可)?是\s*{_DIGIT_WORD})|"
    rf"是(?=\s*{_DIGIT_WORD}{{1,11}}\s*[，,、\s]*(?:而|可|并)?不是\s*{_DIGIT_WORD}))"
)
# "电话刚才说错了", "残疾证最后一位错了", "身份证第三位不对", "门牌号有一个数错了"
_FILLER = (
    r"(?:刚才|刚刚|之前|前头|前面|上面|那个|我|俺|也|给你|跟你|有|的|上的|上|里的|等级|级别|类别|"
    r"(?:最后|末尾|开头|中间|后面|前面|头|尾)?(?:的)?(?:一|两|二|三|四|几|\d)(?:位|个数字|个数|个)|"
    r"(?:倒数)?第[一二三四五六七八九十\d]{1,3}(?:位|个数字|个数|个)|最后|末尾|尾号|尾数|开头|中间)*"
)
NUMBER_KINDS = ("phone", "id_number", "disability_card")
_PHONES = ("phone", "proxy_phone")
_OWN_PHONE = re.compile(r"自己的|另一个|另外|单独")  # "他自己的手机是…": not the number both were given
_WHOSE_PHONE = re.compile(r"(?:我|俺|他|她|申请人|代办人|老人|孩子|娃)(?:自己)?(?:的)?(?:电话|手机|号码|联系方式)")
_NAMES_A_PLACE = re.compile(r"村|社区|小区|路|街|巷|镇|乡|屯|胡同|大院|家属院|市|区")
# A number said with an address unit: a part of the address, not a digit of a phone or an ID number.
_PLACE_UNIT = re.compile(r"\d+\s*(?:号楼|号院|号|单元|室|层|楼|组|栋|幢)")
_SAYS_WRONG = re.compile(r"错|不对|不是|写成|记成|填成")
_BUILDING_UNIT = re.compile(r"\d+\s*(?:号楼|号院|单元|室|栋|幢)")
_HOUSE_NAMED = re.compile(r"(?:地址|住址|门牌号?|单元号?|房号|房间号|楼号|楼栋|栋号)(?:应该|其实|得)?(?:是|写|为)")
_REGRADE_CUE = re.compile(r"不是|错|不对|重新评|评成|评了|现在是|变成|改成|升|降|应该是")
_ERROR_WORDS = re.compile(r"说错了|念错了|报错了|写错了|记错了|搞错了|弄错了|错了|不对")
_NEW_VALUE = re.compile(r"^(?:了)?[，,\s]*(?:应该是|正确的是|改成|改为|换成|是|为|：|:)?\s*(.+)$")


@dataclass
class Heard:
    """What one message said: checked facts, problems with values that could not be used, and controls."""

    facts: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    corrected: set[str] = field(default_factory=set)
    cancel: bool = False
    handover: bool = False
    question: bool = False
    switch_to: str | None = None
    benefit_choices: list[str] = field(default_factory=list)  # several benefits named, none chosen
    benefit_unsure: str | None = None  # another benefit named in a question about changing

    def take(self, key: str, parsed: Parsed, *, override: bool = True) -> None:
        if parsed.value is None:
            if parsed.message:
                self.problems.setdefault(key, parsed.message)
            self.facts.update({k: v for k, v in parsed.also.items() if k not in self.facts})
            return
        if override or key not in self.facts:
            self.facts[key] = parsed.value
        self.problems.pop(key, None)
        for also_key, value in parsed.also.items():
            self.facts.setdefault(also_key, value)


@dataclass(frozen=True)
class Correction:
    """ "电话错了，是…": the field, the new value said after the error word (or None), and everything said after
    the field's name ("最后一位错了 是8": where the wrong piece is)."""

    key: str
    value: str | None
    said: str
    value_at: int = -1  # where the value starts in the text


def correction(text: str, table: BenefitTable, benefit_fields: tuple[str, ...]) -> Correction | None:
    """The correction a message makes, if any; the field named first in the sentence wins."""
    found: list[tuple[int, int, str, int, int]] = []
    for key in benefit_fields:
        spec = table.fields[key]
        for word in (spec.label, *spec.also_called):
            for match in re.finditer(re.escape(word) + r"(?:号码|号)?" + _FILLER + _ERROR_CUE, text):
                found.append((match.start(), -len(word), key, match.end(), match.start() + len(word)))
    if not found:
        return None
    _, _, key, end, word_end = min(found)
    rest = text[end:].lstrip(" 。.，,")
    match = _NEW_VALUE.match(rest)
    value = match.group(1).strip(" 。.!！，,") if match else ""
    at = len(text) - len(rest) + match.start(1) if match and value else -1
    return Correction(key, value or None, text[word_end:], at)


_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def compact(text: str) -> str:
    """The text without spaces between Chinese characters (written sign-language order, dictation pauses)."""
    return _HAN_GAP.sub("", text)


def _kept_positions(text: str) -> list[int]:
    """For each character of compact(text), where it stands in `text`."""
    dropped = {at for gap in _HAN_GAP.finditer(text) for at in range(gap.start(), gap.end())}
    return [at for at in range(len(text)) if at not in dropped]


def wants_handover(text: str) -> bool:
    """ "你们来个人帮俺填吧", "让工作人员给我回个电话" … (not "不用转人工"): the one owner is
    bot/rules/complaints.wants_person, with the wording that only means a person inside a form."""
    return wants_person(text, in_form=True)


# "手术和辅具管不管？": whether the benefit covers something, not anger at the service ("到底管不管！").
_COVER_QUESTION = re.compile(r"(?<![到底你们还究竟倒是就])管不管(?=[？?吗呀啊\s]|$)|管吗|包括不包括|包不包括|给不给报")


def asks_about_cover(text: str, intent: str | None) -> bool:
    """True when a message the rules took for a complaint only asks what a benefit covers ("…管不管？")."""
    if intent != "complaint" or not _COVER_QUESTION.search(text):
        return False
    return not is_complaint(_COVER_QUESTION.sub("包括吗", text))


def loose_name(text: str) -> str | None:
    """The one name (with a known surname) anywhere in a message, for a name question answered twice in a way the
    strict reading missed ("我 名字 唐秀娟", "叫我唐秀娟就行"); None when there is none or more than one."""
    words = compact(text)
    found: list[str] = []
    end = 0
    for start in range(len(words)):
        name = name_at(words, start) if start >= end else None
        if name and is_name(name):
            found.append(name)
            end = start + len(name)  # a name found: the characters after it start no other name
    return found[0] if len(set(found)) == 1 else None


def _in_question_clause(text: str, key: str) -> bool:
    """True when every clause naming benefit `key` asks a question ("换成护理补贴是不是好点？")."""
    clauses = [c for c in re.split(r"[，,。！!；;\s]+", text) if any(m[2] == key for m in benefit_mentions(c))]
    return bool(clauses) and all(STRONG_QUESTION.search(c) for c in clauses)


def _whose_clause(said_before: str) -> str | None:
    """ "them" when the sentence before a number last spoke about the applicant ("他身份证…，电话…"), "me" when about
    the speaker ("我是他闺女，电话…"), None when it names nobody (only the sentence the number is in counts)."""
    sentence = re.split(r"[。！!？?；;]", said_before)[-1]
    last = None
    for match in _ABOUT_THEM_OR_ME.finditer(sentence):
        last = "them" if match.group("them") else "me"
    return last


def only_asks_about_staff(text: str, intent: str | None) -> bool:
    """True when a message the NLU took for asking for a person only asks a question about the staff or the
    service ("工作人员会上门看吗？", "审核的人是残联的吗") without asking to be put through: it is answered, not
    handed over."""
    words = compact(text)
    if intent != "request_human" or not STRONG_QUESTION.search(text) or _PERSON_WANTED.search(words):
        return False
    return not wants_handover(words)


_PERSON_WANTED = re.compile(r"人工|真人|活人|客服|转接|转到|转给|接个人|找个人|叫个人|来个人|跟人说|和人说|热线")


# "俺不办", "我不申请" said as a clause of its own (no 了): not applying. Inside a clause it is something else
# ("不办不行吗", "不办证能申请吗", "能不能不办").
_NOT_APPLYING = re.compile(
    r"(?:我|俺|咱|我们|俺们|那|那就|那我|那俺)?(?:就|先|也|还是|暂时)?(?:不办|不申请|不申|不弄|不整|不填|不报)"
    r"(?:了|啦|咧|咯|吧|啊|呀)?"
)


def is_cancel(text: str) -> bool:
    """ "算了不办了", "取消", a clause "俺不办" … (a question about cancelling is not a cancellation)."""
    if re.search(r"怎么取消|能取消吗|可以取消吗", text):
        return False
    clauses = [c for c in re.split(r"[\s，,。！!；;…]+", text.strip()) if c]
    return bool(CANCEL.search(text)) or any(_NOT_APPLYING.fullmatch(c) for c in clauses)


def ends_in_cancel(text: str) -> bool:
    """The last clause cancels ("…已经报上了，那就不用再申请了，取消吧"): that wins over anything parsed before it."""
    clauses = [c for c in re.split(r"[\s，,。！!；;]+", text.strip()) if c]
    return bool(clauses) and is_cancel(clauses[-1])


def starts_in_cancel(text: str) -> bool:
    """A short first clause cancels ("取消吧 我先问问我姐…", "算了不办了，她说社区已经给办了"): the rest is the reason,
    not an answer to the question asked."""
    clauses = [c for c in re.split(r"[\s，,。！!；;]+", text.strip()) if c]
    return len(clauses) > 1 and len(clauses[0]) <= 6 and is_cancel(clauses[0])


def _sentence_choice(spec: FieldSpec, text: str) -> str | None:
    """A choice named inside a sentence: only distinctive words count (not a bare 有 / 没有)."""
    generic = {
        "有",
        "有的",
        "没有",
        "没",
        "无",
        "不是",
        "还没买",
        "考了",
        "没考",
        "在家",
        "在家里",
        "家里照顾",
        "半天",
        "全天",
        "托管",
        "集中",
    }
    trimmed = FieldSpec(spec.key, spec.kind, spec.label, spec.question,
                        choices=tuple(type(c)(c.value, tuple(w for w in c.words if w not in generic and len(w) >= 2))
                                      for c in spec.choices))  # fmt: skip
    return choice_in(trimmed, text)


class Listener:
    """Reads messages for one application form (the table, the benefit's fields, the slots so far)."""

    def __init__(
        self, table: BenefitTable, slots: dict[str, Any], needed: Callable[[dict[str, Any]], tuple[str, ...]]
    ) -> None:
        self.table = table
        self.slots = slots
        self._needed_for = needed  # slots → every field of their benefit that applies
        self._raw = ""  # the message as sent (its spaces separate clauses)
        self.needed = needed(slots)

    def hear(self, text: str, requested: str | None) -> Heard:
        heard = Heard()
        words = compact(text)  # "我 妈妈 腿 不好" → "我妈妈腿不好" (numbers keep their spaces: they separate groups)
        self._raw = text
        heard.cancel = is_cancel(words) or is_cancel(text)  # the spaces said end a clause ("俺不办 俺就问问")
        heard.handover = wants_handover(words)
        self._benefit(words, heard)
        benefit = heard.switch_to or heard.facts.get("benefit")
        if benefit:
            self.needed = self._needed_for({**self.slots, "benefit": benefit})
        fixed = correction(words, self.table, tuple(self.table.fields))
        if fixed is None and (requested == "confirmed" or _REGRADE_CUE.search(words)):
            self._regrade(words, heard)  # "重新评了 现在是二级": the card's level digit
        # At the read-back, or whenever a message says something was wrong ("哦 说错了 应该是6号楼" after the address
        # was echoed): the held value that has the wrong part, or the unit of the address said anew.
        fixing = requested == "confirmed" or (requested not in (None, "address") and bool(_SAYS_WRONG.search(words)))
        if fixed is None and fixing and not heard.corrected:
            self._fits_one_field(words, heard)  # "是51号 不是15号": the one field that has the wrong part
        if fixed is None and fixing and not heard.corrected:
            self._house_number(words, heard)  # "门牌号是51号": the number of that unit in the address
        if fixed is None and requested == "confirmed" and not heard.corrected:
            self._bare_number(text, heard)  # "13945670028": a whole number said again at the read-back
        if fixed is not None:
            key, value = fixed.key, fixed.value
            if value and fixed.value_at >= 0 and self.table.fields[key].kind == "address":
                value = self._as_said(words, fixed.value_at, len(words)).strip(" 。.!！，,")  # with its pauses
            heard.corrected.add(key)
            current = self.slots.get(key)
            swapped = self._checked(key, swap_in(current, fixed.said), heard) if isinstance(current, str) else None
            piece = self._number_piece(key, value or "", heard, fixed.said)
            regrade = regraded(current, fixed.said) if key == "card_number" else None
            house = (
                replace_unit_numbers(current, value or "")
                if key == "address" and isinstance(current, str) and not _NAMES_A_PLACE.search(value or "")
                else None
            )
            if regrade is not None:  # "残疾证错了 俺是二级 不是一级": the card's last two digits
                heard.facts[key] = regrade
            elif house is not None:  # "地址错了 应该是七十二号": the house number of the address held
                heard.facts[key] = house
            elif piece is not None:  # "后四位是1407 不是1406", "最后是幺九二六"
                heard.facts[key] = piece
            elif swapped:  # "门牌号错了 不是502 是402"
                heard.facts[key] = swapped
            elif value:
                parsed = parse_answer(self.table.fields[key], value, {**self.slots, **heard.facts})
                heard.take(key, parsed)
                if parsed.value is not None:  # a new address brings its own town and region
                    heard.facts.update({k: v for k, v in parsed.also.items() if k in self.table.fields})
                    heard.corrected.update(k for k in parsed.also if k in self.table.fields)
        self._same_phone(words, heard)
        if requested and not heard.corrected and requested != "benefit":
            spec = self.table.fields[requested]
            heard.take(requested, parse_answer(spec, text, {**self.slots, **heard.facts}))
        self._relations(words, heard)
        self._names(words, heard)
        self._numbers(text, heard, requested)
        self._places(words, heard, requested)
        self._household(words, heard, requested)
        self._choices(words, heard, requested)
        heard.question = bool(STRONG_QUESTION.search(text)) or (
            looks_like_question(text) and requested not in heard.facts
        )
        for key in [k for k in heard.problems if k in heard.facts]:
            del heard.problems[key]
        return heard

    # -- the pieces ----------------------------------------------------------------------------------------------
    def _number_piece(self, key: str, value: str, heard: Heard, said: str = "") -> str | None:
        """A number field corrected by the piece that was wrong; None when the value is a whole number (read as
        an answer) or the piece cannot be placed. `said` (all after the field's name) may place it ("最后一位")."""
        spec = self.table.fields[key]
        current = self.slots.get(key)
        if spec.kind not in NUMBER_KINDS or not isinstance(current, str) or not value:
            return None
        state = {**self.slots, **heard.facts}
        if parse_answer(spec, value, state).value is not None:
            return None
        valid = lambda number: parse_answer(spec, number, state).value is not None  # noqa: E731
        fixed = fix_number(current, value, valid)
        if fixed is None and said and said != value:
            fixed = fix_number(current, _ERROR_WORDS.sub(" ", said), valid)
        return parse_answer(spec, fixed, state).value if fixed else None

    def _regrade(self, text: str, heard: Heard) -> None:
        """The card's level or category said anew ("俺是二级 不是一级", "重新评了 现在是精神二级")."""
        current = self.slots.get("card_number")
        if "card_number" not in self.needed or not isinstance(current, str) or not _REGRADE_CUE.search(text):
            return
        if STRONG_QUESTION.search(self._raw):
            return  # "四级的现在是不是办不了": a question about levels, not the card
        new = regraded(current, text)
        if new is not None:
            heard.facts["card_number"] = new
            heard.corrected.add("card_number")

    def _house_number(self, text: str, heard: Heard) -> None:
        """At the read-back, the address's house number (or 单元, 室 …) said anew after naming it: "门牌号是51号";
        or a building, 栋 or 单元 said with an error word ("几号楼说错了 是6号楼", "楼不对 应该是5栋")."""
        current = self.slots.get("address")
        if "address" not in self.needed or not isinstance(current, str):
            return
        named = _HOUSE_NAMED.search(text)
        if named:
            said = text[named.end() :]
        elif _SAYS_WRONG.search(text) and _BUILDING_UNIT.search(tidy_numbers(text)):
            said = text  # "几号楼说错了 是6号楼", "6号楼 不是4号楼": the wrong parts are left out when placing
        else:
            return
        new = replace_unit_numbers(current, said)
        if new is not None:
            heard.facts["address"] = new
            heard.corrected.add("address")

    def _bare_number(self, text: str, heard: Heard) -> None:
        """At the read-back, one whole number said without naming it: the one field of its kind that holds another
        value takes it (an ID number, a card number, or the phone when there is one number for the applicant)."""
        spans = number_spans(text)
        if len(spans) != 1:
            return
        digits = spans[0][2]
        state = {**self.slots, **heard.facts}
        for key, length in (("id_number", 18), ("card_number", 20)):
            if key in self.needed and len(digits) == length and self.slots.get(key) not in (None, "", digits):
                value = parse_answer(self.table.fields[key], digits, state).value
                if value is not None and value != NO_CARD:
                    heard.facts[key] = value
                    heard.corrected.add(key)
                return
        phones = [k for k in _PHONES if k in self.needed and self.slots.get(k)]
        if not phones or not validate_phone(digits).ok or digits in (self.slots.get(k) for k in phones):
            return
        if len({self.slots.get(k) for k in phones}) == 1:  # one number for both, or only the applicant's
            heard.facts["phone"] = validate_phone(digits).value
            heard.corrected.add("phone")

    def _fits_one_field(self, text: str, heard: Heard) -> None:
        """At the read-back, "是51号 不是15号" / "不是幺五 是幺八" without naming the field: the one field whose value
        holds the wrong part once takes the right one (a phone given for both counts once). A part said with an
        address unit ("是6号楼 不是4号楼", "12栋") fits only the address, never a digit of a phone or an ID."""
        fits: dict[str, str] = {}
        place_part = bool(_PLACE_UNIT.search(tidy_numbers(text)))
        for key in self.needed:
            spec = self.table.fields[key]
            current = self.slots.get(key)
            if spec.kind not in (*NUMBER_KINDS, "address", "name") or not isinstance(current, str):
                continue
            if place_part and spec.kind != "address":
                continue
            swapped = swap_in(current, self._raw) or swap_in(current, text)  # the spaces said end a part
            checked = self._checked(key, swapped, heard)
            if checked is not None:
                fits[key] = checked
        if len(fits) == 2 and set(fits) == set(_PHONES) and len(set(fits.values())) == 1:
            del fits["proxy_phone"]  # one phone said for both: corrected for both (_same_phone)
        if len(fits) == 1:
            key, value = fits.popitem()
            heard.facts[key] = value
            heard.corrected.add(key)

    def _checked(self, key: str, value: str | None, heard: Heard) -> str | None:
        """A value made by swapping a part, as its field reads it (an ID number's 18 digits), when it changes it."""
        if not value:
            return None
        state = {**self.slots, **heard.facts, key: None, "address_part": None}
        parsed = parse_answer(self.table.fields[key], value, state).value
        return parsed if parsed not in (None, NO_CARD, self.slots.get(key)) else None

    def _same_phone(self, text: str, heard: Heard) -> None:
        """Both phones were the same number: correcting "the phone" corrects both (one phone, said twice)."""
        for key, other in (_PHONES, _PHONES[::-1]):
            old = self.slots.get(key)
            if key in heard.corrected and key in heard.facts and old and self.slots.get(other) == old:
                if other not in heard.corrected and not _OWN_PHONE.search(text) and not _WHOSE_PHONE.search(text):
                    heard.facts[other] = heard.facts[key]
                    heard.corrected.add(other)

    def _missing(self, key: str, heard: Heard) -> bool:
        return self.slots.get(key) in (None, "") and key not in heard.facts

    def _benefit(self, text: str, heard: Heard) -> None:
        current = self.slots.get("benefit")
        if current is None:
            found = detect_benefit(text)
            candidates = benefit_candidates(text)
            if len(candidates) > 1:  # "生活补贴和护理补贴 给我妈办一个": ask which, do not guess
                heard.benefit_choices = candidates
                return
            if candidates and len({m[2] for m in benefit_mentions(text) if not m[3]}) > 1:
                found = candidates[0]  # "是护理补贴，不是生活补贴"
            if found is not None:
                heard.facts["benefit"] = found
            return
        target = switch_target(text, current)
        if target is not None and _in_question_clause(self._raw, target) and not said_no_to(text, current):
            heard.benefit_unsure = target  # "换成护理补贴是不是好点？": a question about switching, not a switch
            return
        if target is None:
            found = detect_benefit(text)
            if found is None or found == current or said_no_to(text, found):
                return
            if not SWITCH.search(text) or STRONG_QUESTION.search(text):
                if STRONG_QUESTION.search(text) and _CHANGE.search(text) and found in benefit_candidates(text):
                    heard.benefit_unsure = found  # "换成护理补贴是不是好点？": ask, do not switch on a guess
                return
            target = found
        if target == "assistive_devices" and "device" in self.needed:
            return  # a device named while applying for devices is the device, not a switch
        heard.switch_to = target

    def _relations(self, text: str, heard: Heard) -> None:
        if self.slots.get("for_self") is not None and self.slots.get("proxy_relation"):
            return
        found = relation_clue(text)
        if found is not None and self.slots.get("for_self") is not True:
            clue = found[0]
            heard.facts.setdefault("for_self", False)
            id_sex = self._applicant_sex(heard)
            resolved = clue.resolve(id_sex or sex_from_pronoun(text))
            if resolved and self._missing("proxy_relation", heard):
                heard.facts["proxy_relation"] = resolved
            if clue.male != clue.female and not id_sex:
                # 他/她 is a guess (speech recognition writes 他 for both): the ID number's sex digit decides
                heard.facts.setdefault("relation_clue", {"male": clue.male, "female": clue.female})
        elif found is None and self.slots.get("for_self") is None and SELF_CUES.search(text):
            heard.facts.setdefault("for_self", True)

    def _applicant_sex(self, heard: Heard) -> str | None:
        check = validate_id_number(heard.facts.get("id_number") or self.slots.get("id_number") or "")
        return check.sex if check.ok else None

    def _names(self, text: str, heard: Heard) -> None:
        for match in _RELATIVE_NAMING.finditer(text):
            if _SPEAKER_ROLE_BEFORE.search(text[: match.start()]):
                continue  # "我是她妈妈叫冯雪": the speaker's own name
            name = name_at(text, match.end())
            if name and self._missing("applicant_name", heard):
                heard.facts["applicant_name"] = name
        match = _APPLICANT_NAME.search(text)
        if match and (name := name_at(text, match.end())) and self._missing("applicant_name", heard):
            heard.facts["applicant_name"] = name
        speaker = None
        for pattern in (_I_AM_THEIR_NAMED, _SPEAKER_NAME):
            for match in pattern.finditer(text):
                speaker = speaker or name_at(text, match.end())
        if speaker is None and (match := _FIELD_NAME.search(text)):
            name = name_at(text, match.end())
            if name and self._missing("applicant_name", heard) and "applicant_name" not in heard.facts:
                heard.facts["applicant_name"] = name
        if speaker and speaker != heard.facts.get("applicant_name", self.slots.get("applicant_name")):
            for_self = heard.facts.get("for_self", self.slots.get("for_self"))
            target = "proxy_name" if for_self is False else "applicant_name" if for_self is True else "speaker_name"
            if self._missing(target, heard):
                heard.facts[target] = speaker

    def _numbers(self, text: str, heard: Heard, requested: str | None) -> None:
        for start, _end, digits in number_spans(text):
            before = text[max(0, start - 10) : start]
            if 18 <= len(digits) <= 19 and "id_number" not in heard.facts:
                check = validate_id_number(digits)
                if check.ok:
                    if self._missing("id_number", heard) or "id_number" in heard.corrected:
                        heard.facts["id_number"] = check.value
                    heard.problems.pop("id_number", None)
                elif requested != "card_number":
                    heard.problems.setdefault("id_number", check.message)
            elif len(digits) == 20 and "card_number" not in heard.facts:
                id_number = heard.facts.get("id_number") or self.slots.get("id_number")
                card = validate_disability_card(digits, id_number=id_number)
                if card.ok and self._missing("card_number", heard):
                    heard.facts["card_number"] = card.value
                    heard.problems.pop("card_number", None)
                    if not id_number:  # the card number starts with the ID number
                        heard.facts["id_number"] = card.value[:18]
                        heard.problems.pop("id_number", None)
                elif not card.ok:
                    heard.problems.setdefault("card_number", card.message)
            elif (
                digits.startswith(("1", "0", "86"))
                and 7 <= len(digits) <= 13
                and requested not in ("phone", "proxy_phone", "id_number", "card_number")
            ):
                self._phone(digits, before, text[:start], heard)
            elif re.search(r"身份证|证号", before) and requested != "id_number" and "id_number" not in heard.facts:
                heard.problems.setdefault("id_number", f"身份证号应该是18位，您说的是{len(digits)}位。请再说一遍。")
        if self.slots.get("card_number") is None and "card_number" not in heard.facts:
            if re.search(r"没有(?:残疾人?证|证)|没办(?:残疾人?证|证)|还没(?:办|有)(?:残疾人?证|证)|无证", text):
                heard.facts["card_number"] = NO_CARD

    def _phone(self, digits: str, before: str, said_before: str, heard: Heard) -> None:
        check = validate_phone(digits)
        if not check.ok:
            heard.problems.setdefault("phone", check.message)
            return
        for_self = heard.facts.get("for_self", self.slots.get("for_self"))
        about = _whose_clause(said_before) if for_self is False and not _MY_WORDS.search(before) else None
        if _THEIR_WORDS.search(before) or for_self is True or about == "them":
            key = "phone"
        elif _MY_WORDS.search(before) or for_self is False:
            key = "proxy_phone" if for_self is False else "speaker_phone"
        else:
            key = "speaker_phone"
        if self._missing(key, heard):
            heard.facts[key] = check.value

    def _places(self, text: str, heard: Heard, requested: str | None) -> None:
        if requested != "address" and self._missing("address", heard):
            said = None
            for match in _ADDRESS_LEAD.finditer(text):  # the last one wins: "原来住…，现在住…"
                parsed = parse_place(self._passing_span(text, match.end()), {**self.slots, **heard.facts})
                said = parsed if parsed.value is not None else said
            if said is not None:
                self._passing_address(said, heard)
            else:
                found = find_town(text)
                if found and found[1]:
                    parsed = parse_place(self._passing_span(text, found[2]), {**self.slots, **heard.facts})
                    if parsed.value is not None:
                        self._passing_address(parsed, heard)
        if self._missing("town", heard) and (found := find_town(text)) and found[1]:
            heard.facts["town"] = found[0]
        if self._missing("region", heard):
            region = detect_region(text) or (found[1] if (found := find_town(text)) else None)
            if region:
                heard.facts["region"] = region

    def _passing_span(self, words: str, start: int) -> str:
        """An address said in passing, from `start` of the compacted message to the end of its clause, as said: with
        its pauses, so that a remark after the house number and a pause ("…后巷7号 耳朵一级") can be told apart."""
        rest = words[start:]
        stop = _CLAUSE_END.search(rest)
        return self._as_said(words, start, start + (stop.start() if stop else len(rest)))

    def _as_said(self, words: str, start: int, end: int) -> str:
        """words[start:end] (the compacted message) as the resident said it, with its pauses."""
        kept = _kept_positions(self._raw)
        if end <= start or len(kept) != len(words):
            return words[start:end]
        return self._raw[kept[start] : kept[end - 1] + 1]

    def _passing_address(self, parsed: Parsed, heard: Heard) -> None:
        """An address said in passing: kept only when it reaches a house; "住店上镇东邑村" is kept as the village
        (its town and region taken) and the address question then asks for the house number."""
        if not _PLACE_NAMED.search(_GENERIC_PLACE.sub("", parsed.value)):
            return  # "住一楼…", "住村里…": a floor or a kind of place, no place named
        if house_level(parsed.value):
            heard.take("address", parsed, override=False)
        else:
            heard.facts.setdefault("address_part", parsed.value)
            for key, value in parsed.also.items():
                heard.facts.setdefault(key, value)

    def _household(self, text: str, heard: Heard, requested: str | None) -> None:
        if requested == "household" or not self._missing("household", heard):
            return
        if re.search(r"不是低保|没有低保|不吃低保|不是特困|都不是", text):
            return
        for word, status in (("低保边缘", "低保边缘"), ("特困", "特困"), ("五保", "特困"), ("低保", "低保")):
            if word in text and not STRONG_QUESTION.search(text):
                heard.facts["household"] = status
                return

    def _choices(self, text: str, heard: Heard, requested: str | None) -> None:
        """Choices named in passing; a different one named later with a change word ("不要拐棍了 换个助行器"), or at
        the read-back, replaces the one said before."""
        for key in self.needed:
            spec = self.table.fields[key]
            if key == requested or spec.kind not in ("choice", "device") or key in heard.facts:
                continue
            value = _sentence_choice(spec, text)
            if value is None:
                continue
            current = self.slots.get(key)
            if current in (None, ""):
                heard.facts[key] = value
            elif current != value and (requested == "confirmed" or _CHOICE_CHANGE.search(text)):
                heard.facts[key] = value
                heard.corrected.add(key)
