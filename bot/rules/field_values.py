"""Read one answer to one application question, by the field's kind (config/benefits.yml), in plain Chinese.

`parse_answer(field, text, slots)` returns Parsed(value, message, also): `value` is None when the answer cannot be
used and `message` then says why and what to say instead; `also` holds other fields the same answer settled (an
address also gives the town and the region; "没有" to the card question settles that there is no card).
Used by the action server (to understand answers) and by the gateway (to check a submission again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.rules.benefits import FieldSpec, detect_benefit
from bot.rules.disability_card import validate_disability_card
from bot.rules.id_card import validate_id_number
from bot.rules.kinship import relation_answer
from bot.rules.names import is_name, spelled_name
from bot.rules.phone import validate_phone
from bot.rules.places import find_town, gazetteer, has_detail, normalise_address, region_in, tidy_numbers
from bot.rules.regions import canonical_region
from bot.rules.spoken_numbers import digits_from_speech

NO_VALUE = "none"  # an optional field answered "没有" / "不知道": asked no more, stored as empty
NO_CARD = NO_VALUE  # the has_card slot is False; card_number stays empty
DONT_KNOW = re.compile(
    r"^(?:嗯+|啊)?[，,\s]*(?:不知道|不清楚|说不好|说不上来|还没想好|没想好|都行|随便|都可以|看着办|你们看着|"
    r"不确定|不好说|再说吧|没想过)"
)
YES = ("同意", "可以", "好的", "好", "是的", "是", "对", "行", "嗯", "确认", "确定", "愿意", "没问题", "提交", "没错",
       "中", "得嘞", "妥", "成", "要得", "ok", "OK", "当然", "对的", "对对", "正确", "都对", "没毛病", "好嘞",
       "嗯嗯")  # fmt: skip
NO = ("不同意", "不愿意", "不行", "不可以", "不是", "不对", "不要", "拒绝", "不", "没有", "错", "不中", "不成", "甭")
QUESTION_MARKERS = ("吗", "怎么", "什么", "哪", "多少", "能不能", "是不是", "?", "？", "为啥", "为什么", "咋", "谁",
                    "干嘛", "做甚", "有没有", "行不行", "中不中", "可不可以", "会不会", "要不要")  # fmt: skip
HOUSEHOLDS = (("低保边缘", "低保边缘"), ("边缘", "低保边缘"), ("低收入", "低保边缘"), ("特困", "特困"),
              ("五保", "特困"), ("低保", "低保"), ("吃低保", "低保"))  # fmt: skip
NOT_POOR = ("都不是", "不是", "没有", "都没有", "无", "普通", "一般", "都不", "啥也不是", "甚也不是", "不吃低保")
_LEAD_NAME = re.compile(
    r"^(?:嗯+|呃|啊|那个|就是|我想想)?[，,\s]*(?:(?:我|俺|他|她|娃|孩子|老人|申请人|我爸|我妈|俺爹|俺娘)?的?"
    r"(?:大名|小名|名字|姓名|名儿)?(?:叫|是)|(?:(?:我|俺|他|她|娃|孩子|老人|申请人)的?)?(?:姓名|名字|大名|名儿)|"
    r"名叫)?[：:\s]*"
)
_TRIM = " 。.!！,，~～、"


@dataclass(frozen=True)
class Parsed:
    value: Any
    message: str | None = None
    also: dict[str, Any] = field(default_factory=dict)


_NO_NO = re.compile(r"不([\u4e00-\u9fff]{1,2})不\1")  # "不对不对", "不行不行": a no said twice, not "行不行"


def looks_like_question(text: str) -> bool:
    text = _NO_NO.sub("", text)
    return any(marker in text for marker in QUESTION_MARKERS)


def yes_or_no(text: str) -> bool | None:
    """True for yes, False for no, None when unclear (questions are never taken as an answer).

    Negative words are checked first (不同意 contains 同意); one-character words (是, 对, 好 …) count only at the
    start of a short answer, so "这是干什么用的" is not a yes."""
    clean = text.strip(_TRIM)
    if not clean or looks_like_question(clean):
        return None
    lead = re.sub(r"^(?:嗯+|啊|那个|好吧|我也|俺也|我|俺)[，,\s]*", "", clean)
    if any(lead.startswith(word) for word in NO):
        return False
    for word in YES:
        at = clean.find(word)
        if len(word) > 1 and at > 0 and clean[at - 1] in "不别没甭莫":
            return None  # "先不提交", "别确认": not a yes
        if len(word) > 1 and (lead.startswith(word) or (at >= 0 and len(clean) <= 10)):
            return True  # a long message counts only when it starts with the yes ("同意，你问吧")
        if len(word) == 1 and lead.startswith(word) and len(clean) <= 6:
            return True
    return None


# A refusal said as a clause of its own, anywhere in the message ("身份证啥的俺不想说 不同意 俺上残联去办"): never
# part of a question ("不同意会咋样" goes on after it) and never taken back by what follows.
_REFUSAL_CLAUSE = re.compile(
    r"(?:^|[\s，,。！!；;…?？])(?:那|那就|那我|那俺|我|俺)?(?:不同意|不愿意|拒绝)(?:了|的|啊|吧)?(?=$|[\s，,。！!；;…])"
)
# Not wanting to give the details here, with or without going in person instead: no consent to record them.
_WONT_GIVE_DETAILS = re.compile(
    r"不(?:想|愿意|敢)(?:在网上|在这|在这里|在手机上|跟你|和你|给你)?(?:说|讲|留|填|给|告诉)"
)


def refuses_last(text: str) -> bool:
    """A refusal clause that nothing after it asks about ("存这些干啥？不同意 我去镇上办"): the answer, whatever was
    asked before it (the question is its reason); "不同意 会咋样？" still asks."""
    clean = text.strip(_TRIM)
    refusals = list(_REFUSAL_CLAUSE.finditer(clean))
    return bool(refusals) and not looks_like_question(clean[refusals[-1].end() :])


def parse_consent(text: str) -> Parsed:
    """Consent: a refusal clause anywhere; a yes said first, before a question in the same message ("同意 那要多久？":
    both — the question is answered and consent is kept)."""
    clean = text.strip(_TRIM)
    refused = _REFUSAL_CLAUSE.search(clean) or (_WONT_GIVE_DETAILS.search(clean) and not looks_like_question(clean))
    answer = False if refused else yes_or_no(text)
    if answer is None and looks_like_question(clean):
        first = re.split(r"[\s，,。！!；;]+", clean, maxsplit=1)[0]
        answer = True if first != clean and yes_or_no(first) is True else None
    return Parsed(answer, None if answer is not None else "请说“同意”或“不同意”。")


_NOT_SELF = re.compile(
    r"不是(?:给|为|替)?(?:我|俺)?(?:自己|本人|我|俺)|(?:我|俺)?不是(?:给|为)(?:我|俺)|不给(?:我|俺)?自己"
)
_SELF = ("自己", "本人", "我本人", "我的", "给我办", "给我申请", "是我")
_FOR_OTHERS = ("家人", "帮", "代", "替", "别人", "家里人", "邻居", "朋友")


def parse_for_self(text: str) -> Parsed:
    """ "给自己" / "帮我妈"; a story is read for its negation first ("不是 俺不是给自己整 … 俺妈…" is for family)."""
    clue = relation_answer(text)
    if _NOT_SELF.search(text):
        return Parsed(False)
    if any(word in text for word in _SELF) and (clue is None or len(text) <= 12):
        return Parsed(True)
    if clue is not None or any(word in text for word in _FOR_OTHERS):
        return Parsed(False)
    if any(word in text for word in _SELF):
        return Parsed(True)
    return Parsed(None, "请说“给自己”或“帮家人”。")


def _name_in(piece: str) -> str | None:
    candidate = _LEAD_NAME.sub("", piece.strip(_TRIM), count=1).strip(_TRIM).rstrip("啊呀吧呢哈嘛哦的了哟")
    return candidate if is_name(candidate, known_surname=False) else None


_REMARK = re.compile(r"[(（][^()（）]*[)）]?")


def read_name(text: str) -> str | None:
    """The name in an answer to a name question: "王秀英", "嗯 我叫何翠萍", "大名叫王拴柱 拴马的拴 柱子的柱" (the name,
    then how it is written), "王建军 俺哥说…" (the name first), or spelled out ("木子李 长短的长 顺利的顺")."""
    raw = text.strip(_TRIM)
    if _REMARK.search(raw):  # "张丽华（简体的）", "(我叫)刘芳": the name outside a remark in brackets, else inside
        outside = read_name(_REMARK.sub(" ", raw)) if _REMARK.sub("", raw).strip(_TRIM) else None
        inside = [name for remark in _REMARK.findall(raw) if (name := read_name(remark.strip("()（）")))]
        return outside or (inside[0] if len(set(inside)) == 1 else None)
    whole = _name_in(re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", raw))
    if whole:
        return whole
    spelled = spelled_name(raw)
    if spelled:
        return spelled
    pieces = [p for p in re.split(r"[\s，,。；;、]+", raw) if p]
    han = [p for p in pieces if re.search(r"[\u4e00-\u9fff]", p)]
    if len(han) == 1 and han[0] != pieces[0]:  # "shen bao guo, 申保国": the one piece in characters
        return _name_in(han[0])
    return _name_in(pieces[0]) if pieces else None


def parse_name(text: str) -> Parsed:
    name = read_name(text)
    if name is None:
        return Parsed(None, "没听清名字。请只说名字，比如“王秀英”。")
    return Parsed(name)


def parse_relation(text: str, sex: str | None) -> Parsed:
    clue = relation_answer(text)
    if clue is None:
        return Parsed(None, "申请人是您的什么人？比如父亲、母亲、儿子、女儿、老伴。")
    relation = clue.resolve(sex)
    if relation is None:  # 老伴 / 孩子 before the ID number: its sex digit will tell
        return Parsed(None, None, {"relation_clue": {"male": clue.male, "female": clue.female}})
    return Parsed(relation)


def parse_phone(text: str, slots: dict[str, Any], same_as: str | None) -> Parsed:
    if same_as and slots.get(same_as) and any(w in text for w in ("同上", "一样", "相同", "就是这个", "就这个")):
        return Parsed(slots.get(same_as))
    check = validate_phone(text)
    return Parsed(check.value) if check.ok else Parsed(None, check.message)


def parse_id_number(text: str) -> Parsed:
    check = validate_id_number(text)
    return Parsed(check.value) if check.ok else Parsed(None, check.message)


def parse_card(text: str, slots: dict[str, Any]) -> Parsed:
    """A card number, or "没有" (no card: the value NO_CARD). "有" alone asks for the number."""
    clean = text.strip(_TRIM)
    if re.search(r"没有|没办|还没|无证|没证|没得|木有|没\b", clean) or clean in ("无", "没", "不有"):
        return Parsed(NO_CARD)
    check = validate_disability_card(text, id_number=slots.get("id_number"))
    if check.ok:
        return Parsed(check.value)
    if check.value == "" and (clean.startswith("有") or yes_or_no(clean)):
        return Parsed(None, "请说一下残疾人证号，20位，前18位和身份证号一样。", {"has_card": True})
    return Parsed(None, check.message)


_FILLERS = re.compile(r"那嘎达|那疙瘩|那旮旯|那块儿|那个|这个|就是|那边的|那边")
_ASKING = re.compile(r"问一下|问一句|问一嘴|问个事|请问|想问|打听|[？?]$")
_PLACE_STOP = re.compile(r"[，,。！!？?；;(（]|[A-Za-z]{2,}")
_AFTER_TOWN_FILLER = re.compile(r"^(?:上|里|那边|这边|那嘎达|那疙瘩|那旮旯|那块|这块|那儿|那里|这里|管|那片|附近)?"
                                r"(?:的|了|呢|啊|吧|哈|管)*$")  # fmt: skip
_BEFORE_TOWN_FILLER = re.compile(r"(?:就是|就在|是|在|属于|归|都是)+$")


def _town_last(clean: str) -> str | None:
    """ "南马村 东头 3号 店上的", "光明社区…二零幺 就是绥芬河镇上": the details first, the town at the end."""
    found = find_town(clean)
    if not found or found[2] == 0 or not found[1]:
        return None
    before = re.sub(r"\s+", "", clean[: found[2]]).strip(_TRIM)
    before = _BEFORE_TOWN_FILLER.sub("", before).strip(_TRIM)
    after = re.sub(r"\s+", "", clean[found[3] :]).strip(_TRIM)
    if not before or not _AFTER_TOWN_FILLER.match(after) or _PLACE_STOP.search(before):
        return None
    return found[0] + before if has_detail(found[0] + before) else None


def _restated(clean: str) -> str | None:
    """ "搬到店上村了 店上镇店上村南街9号": the whole address said again from its town, after a story that reached no
    house, is the address (the last town named in full — with 镇, 乡 or 街道 — that starts one reaching a house)."""
    starts = [
        (at, len(spelling))
        for spelling in gazetteer().towns
        if spelling.endswith(("镇", "乡", "街道"))
        for at in [m.start() for m in re.finditer(re.escape(spelling), clean)]
        if at > 0
    ]
    if not starts:
        return None
    at, size = max(starts)
    tail, head = clean[at:], clean[:at]
    return tail if house_level(tail[size:]) and has_detail(tail) and not house_level(head) else None


_HOUSE_LEVEL = re.compile(r"\d|号|组|队|单元|室|栋|幢|层|楼|排|户|巷|胡同|门牌|[一二三四五六七八九十]+(?:组|队|号)")
_NO_HOUSE_NUMBER = re.compile(r"没有?(?:门牌|号)|没门牌|就这些|就这个地址|就是这个|就住村里|村里没号")


def house_level(address: str) -> bool:
    """True when an address reaches a house (a number, 号, 组, 单元 …), not only a village or a community."""
    return bool(_HOUSE_LEVEL.search(address))


def complete_address(part: str, answer: str) -> str | None:
    """The house said after a village heard earlier: "店上镇东邑村" + "后巷7号" → "店上镇东邑村后巷7号";
    "阜宁镇亮子川村" + "亮子川二组6号" → "阜宁镇亮子川村二组6号"; "没有门牌号" keeps the village. None when the answer
    names its own town (a different address)."""
    clean = re.sub(r"\s+", "", answer.strip(_TRIM))
    if _NO_HOUSE_NUMBER.search(clean):
        return part
    if find_town(clean) or re.search(r"镇|乡|街道", clean[:7]) or not house_level(clean):
        return None
    found = find_town(part)
    town = found[0] if found and found[2] == 0 else ""
    village = part[len(town) :]
    stem = re.sub(r"(?:村|屯|社区|小区)$", "", village)
    if village and clean.startswith(village):
        return town + clean
    if village and village in clean:
        return town + clean[clean.index(village) :]
    if len(stem) >= 2 and clean.startswith(stem) and clean[len(stem) : len(stem) + 1] not in ("镇", "乡", "街"):
        return town + village + clean[len(stem) :]
    return part + clean


_UNITS = r"(号楼|号院|单元|号|室|层|楼|组|栋|幢)"
_NUMERAL = r"(\d+|[零〇一二两三四五六七八九十幺]+)"
_REPEATED_TAIL = re.compile(
    _NUMERAL + _UNITS + r"?([\s，,、]*)(?:就是|是|也就是)?" + _NUMERAL + _UNITS + r"?[\s。.!！]*$"
)


def drop_repeated_number(text: str) -> str:
    """ "西街社区51号 五十一", "二组15号，十五号": the last house number said again (in other words) is said once."""
    match = _REPEATED_TAIL.search(text)
    if not match:
        return text
    first, unit, gap, again, unit_again = match.groups()
    same_way = first.isdigit() == again.isdigit()
    if _cn_number(first) != _cn_number(again) or (unit_again and unit_again != unit) or (same_way and not gap):
        return text
    return text[: match.start(3)]


_SPOKEN = r"[零〇一二两三四五六七八九十百幺洞拐]"
# Where a house ends: its number ("6号", "六号", "201室", "3户"), or a room number after the unit or the floor
# ("三单元二零幺", "2单元301", "5楼502").
_HOUSE_END = re.compile(
    rf"(?:(?:\d+|{_SPOKEN}+)(?:号|室|户)|(?:单元|号楼|楼|层|栋|幢)(?:\d+|[零〇一二两三四五六七八九幺洞拐]{{2,4}}))$"
)
# A remark says no number of the address: no digits, no numeral with an address unit, no spoken room number.
_ADDRESS_NUMBER = re.compile(
    rf"\d|{_SPOKEN}+(?:号|室|户|组|队|单元|栋|幢|层|楼|排)|[零〇一二两三四五六七八九幺洞拐]{{3,}}|^[号楼院单元室栋幢层户]"
)


def end_at_house(text: str) -> str:
    """ "…二组十一号 就是卫生所对过那家", "…7号 耳朵一级 啥也听不见", "…三单元二零幺 挨着超市那栋": what is said after
    the house (its number, or a room number) and a pause, when it names no address number and no town, is a remark,
    not part of the address. A town said last ("3号 店上的") and a part of the house ("8号 3单元") stay."""
    for gap in re.finditer(r"\s+", text):
        head, tail = text[: gap.start()], text[gap.end() :]
        if _HOUSE_END.search(head) and tail and not _ADDRESS_NUMBER.search(tail) and not find_town(tail):
            return head
    return text


def parse_place(text: str, slots: dict[str, Any]) -> Parsed:
    """An address: also gives the town and the region when they are in it. It starts at the town named, or after
    the last "住在 / 搬到 / 地址是" (what comes before is the story); a town said last ("南马村3号，店上的") is moved
    to the front; it ends before a remark in brackets, words in Latin letters or the next clause (unless the first
    clause is the town alone: "成家川街道，成家川村新村路4号")."""
    clean = re.sub(
        r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", end_at_house(drop_repeated_number(text.strip(_TRIM)))
    )
    if _ASKING.search(clean) or (looks_like_question(clean) and not find_town(clean)) or re.search(r"不是|错了", clean):
        return Parsed(None, "请说一下详细地址，比如哪个村、哪个小区、门牌号。")
    part = slots.get("address_part")
    if part and (whole := complete_address(part, clean)):
        found = find_town(whole)
        also = {"town": found[0], **({"region": found[1]} if found[1] else {})} if found else {}
        return Parsed(normalise_address(whole, also.get("town") or slots.get("town")), None, also)
    leads = list(
        re.finditer(r"(?:家住在|家住|住在|现在住|现住|搬到了|搬到|住址是|地址是|住址|地址|家在|住)[：:\s]*", clean)
    )
    if leads:
        clean = clean[leads[-1].end() :]
    clean = _restated(clean) or _town_last(clean) or clean
    found_town = find_town(clean)
    if found_town and found_town[2] > 0 and found_town[1]:
        clean = clean[found_town[2] :]
    clean = _FILLERS.sub("", clean)
    clauses = [c.strip(_TRIM) for c in _PLACE_STOP.split(clean)]
    first = clauses[0] if clauses and clauses[0] else clean
    following = clauses[1] if len(clauses) > 1 else ""
    other_town = find_town(following) if following else None
    same_town = other_town is None or other_town[0] == ((find_town(first) or ("",))[0])
    if following and has_detail(following) and same_town:
        if not has_detail(first) or (not house_level(first) and house_level(following)):
            first = first + following  # "成家川街道，成家川村4号", "…西关社区，育才路5号院3号楼"
    clean = first
    if looks_like_question(clean) or not (3 <= len(clean) <= 100) or re.search(r"\d{7}|不对", clean):
        return Parsed(None, "请说一下详细地址，比如哪个村、哪个小区、门牌号。")
    also: dict[str, Any] = {}
    found = find_town(clean)
    if found:
        also["town"] = found[0]
        if found[1]:
            also["region"] = found[1]
    region = region_in(clean)
    if region:
        also["region"] = region
    if not has_detail(clean):
        return Parsed(None, "请再说一下详细地址，比如哪个村、哪个小区、门牌号。", also)
    return Parsed(normalise_address(clean, also.get("town") or slots.get("town")), None, also)


def parse_town(text: str) -> Parsed:
    clean = text.strip(_TRIM)
    found = find_town(clean)
    if found:
        return Parsed(found[0], None, {"region": found[1]} if found[1] else {})
    if looks_like_question(clean) or not (2 <= len(clean) <= 12) or not re.fullmatch(r"[\u4e00-\u9fff]+", clean):
        return Parsed(None, "请说一下乡镇或街道的名字，比如“阜宁镇”“潞华街道”。")
    return Parsed(clean)


def parse_region(text: str) -> Parsed:
    region = canonical_region(text) or region_in(text)
    return Parsed(region, None if region else "目前只能办理绥芬河市和潞城区的申请。请说“绥芬河市”或“潞城区”。")


def parse_household(text: str) -> Parsed:
    for word, status in HOUSEHOLDS:
        if word in text and not re.search(r"不是" + word + "|不吃" + word, text):
            return Parsed(status)
    if any(word in text for word in NOT_POOR):
        return Parsed("无")
    return Parsed(None, "请说“低保”“低保边缘”“特困”或“都不是”。")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "幺": 1}  # fmt: skip


def _cn_number(token: str) -> int | None:
    """Arabic digits, or Chinese numerals up to 99 (十二, 二十一) or digit by digit (二零二零)."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    if token and all(ch in _CN_DIGITS for ch in token):
        return int("".join(str(_CN_DIGITS[ch]) for ch in token))
    return None


_DATE = re.compile(r"([0-9零〇一二两三四五六七八九幺]{4})\s*[年\-./]\s*([0-9一二三四五六七八九十]{1,3})\s*[月\-./]"
                   r"\s*([0-9一二三四五六七八九十]{1,3})")  # fmt: skip


def parse_date(text: str, today: date | None = None) -> Parsed:
    today = today or date.today()
    match = _DATE.search(text.replace("号", "日"))
    parts = [_cn_number(g) for g in match.groups()] if match else []
    try:
        born = date(parts[0], parts[1], parts[2]) if len(parts) == 3 and None not in parts else None
    except ValueError:
        born = None
    if born is None:
        return Parsed(None, "没听清日期。请按“2020年5月1日”这样说年、月、日。")
    if born > today or born.year < today.year - 30:
        return Parsed(None, "这个出生日期不对，请再说一遍。")
    return Parsed(born.isoformat())


def choice_in(spec: FieldSpec, text: str) -> str | None:
    """The choice whose word appears in the text (longest word first; negated words do not count)."""
    best: tuple[int, str] | None = None
    for choice in spec.choices:
        for word in choice.words:
            if word in text and (best is None or len(word) > best[0]):
                negated = not word.startswith(("没", "不", "无")) and re.search(rf"(?:没有|不要|不是|没){word}", text)
                if not negated:
                    best = (len(word), choice.value)
    return best[1] if best else None


def _overlap_choice(spec: FieldSpec, text: str) -> str | None:
    """The one choice sharing a two-character piece with the answer ("寄宿制" ~ 寄宿 → 集中照护), if only one does."""
    pieces = {text[i : i + 2] for i in range(len(text) - 1)}
    scores = sorted(
        (
            (len({p for p in pieces for w in (c.value, *c.words) if len(w) >= 2 and p in w}), c.value)
            for c in spec.choices
        ),
        reverse=True,
    )
    if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


def parse_choice(spec: FieldSpec, text: str) -> Parsed:
    value = choice_in(spec, text.strip(_TRIM))
    if value is not None:
        return Parsed(value)
    clean = text.strip(_TRIM)
    if spec.optional and DONT_KNOW.match(clean):
        return Parsed(NO_VALUE)
    overlap = _overlap_choice(spec, clean) if not spec.open_choice else None
    if overlap is not None:
        return Parsed(overlap)
    if spec.open_choice and 1 <= len(clean) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+", clean):
        if not looks_like_question(clean) and not DONT_KNOW.match(clean):
            return Parsed(re.sub(r"^(?:想要|要|想)(?:个|一个|一台|一副)?", "", clean) or clean)
    options = "、".join(f"“{c.value}”" for c in spec.choices[:4])
    return Parsed(None, f"请说{options}。" if not spec.open_choice else f"请说一下想要什么，比如{options}。")


def parse_confirm(text: str) -> Parsed:
    answer = yes_or_no(text)
    return Parsed(answer)


def parse_benefit(text: str) -> Parsed:
    benefit = detect_benefit(text)
    return Parsed(benefit, None if benefit else "您想申请哪一项？可以说项目的名字，比如“护理补贴”。")


def id_sex(slots: dict[str, Any]) -> str | None:
    check = validate_id_number(slots.get("id_number") or "")
    return check.sex if check.ok else None


_PIECE = r"([^\s，,。；;！!？?]{1,22}?)"
_SWAPS = (  # (wrong, right)
    re.compile(
        r"不是\s*" + _PIECE + r"\s*[，,、\s]*(?:而)?(?:是|应该是|改成|换成|改为)\s*" + _PIECE + r"(?=[\s，,。；;！!]|$)"
    ),
    re.compile(_PIECE + r"\s*不是\s*[，,、\s]*" + _PIECE + r"\s*(?:才|而)?是(?=[\s，,。；;！!]|$)"),
    re.compile(_PIECE + r"\s*(?:改成|换成|改为)\s*" + _PIECE + r"(?=[\s，,。；;！!]|$)"),
)
# "是51号 不是15号", "应该是1单元，不是2单元": the right part first (right, wrong)
_SWAP_RIGHT_FIRST = re.compile(
    r"(?:是|应该是|写的?是|该是)\s*"
    + _PIECE
    + r"\s*[，,、\s]*(?:而|可|并)?不是\s*"
    + _PIECE
    + r"(?=[\s，,。；;！!呢啊]|$)"
)


# A remark that another part is right ends the correction ("是5栋 不是2栋 单元没错", "…，其他都对").
_RIGHT_REMARK = re.compile(
    r"[，,、\s]*(?:单元号?|楼号|楼栋|栋号?|楼|门牌号?|房号|房间号?|室|号|村|组|小区|社区|街|路|"
    r"其他的?|其它的?|别的|剩下的|后面的?|前面的?)(?:都|倒|是|也)?(?:没错|没问题|对着呢|是对的|对的|不用改|没变|对)"
    r"[了的啊呀]*(?=[\s，,。；;！!]|$)"
)


def _without_remarks(said: str) -> str:
    return _RIGHT_REMARK.sub(" ", said)


def swap_in(current: str | None, said: str) -> str | None:
    """A correction that names the wrong part and the right one: "不是502 是402", "602 不 是，601 是", "8号改成9号",
    "是51号 不是15号", "不是十五号 是五十一号" → the current value with that part replaced; None when the wrong
    part is not in the current value. A remark on another part ("单元没错") is not part of it."""
    if not current:
        return None
    said = _without_remarks(said)
    found = [(m.group(1), m.group(2)) for pattern in _SWAPS for m in pattern.finditer(said)]
    found += [(m.group(2), m.group(1)) for m in _SWAP_RIGHT_FIRST.finditer(said)]
    for old, new in found:
        pairs = [(old, new), (tidy_numbers(old), tidy_numbers(new))]  # "不是十五号 是五十一号"
        if digits_from_speech(old) and digits_from_speech(new):
            pairs.append((digits_from_speech(old), digits_from_speech(new)))  # "不是幺五 是幺八"
        old_digits, new_digits = re.findall(r"\d+", pairs[1][0]), re.findall(r"\d+", pairs[1][1])
        if old_digits and new_digits and not _BUILDING_PART.search(pairs[1][0]):  # "不是2栋" is no bare 2
            pairs.append((old_digits[-1], new_digits[0]))
        for wrong, right in pairs:
            if wrong and right and wrong != right and current.count(wrong) == 1:
                return current.replace(wrong, _without_what_follows(right, current.split(wrong, 1)[1]))
    return None


_BUILDING_PART = re.compile(r"\d+(?:号楼|号院|单元|栋|幢|层|楼)")
_UNIT_PIECE = re.compile(r"(\d+)(号楼|号院|单元|号|室|层|组|栋|幢)")
_U = r"\d+(?:号楼|号院|单元|号|室|层|组|栋|幢)"
# The wrong part, said to say it is wrong: "不是4号楼", "4号楼不对", "你给写成4号楼了".
_WRONG_UNIT = re.compile(
    rf"(?:不是|而不是|并不是)(?:在)?{_U}|{_U}(?:是)?(?:不对|错的|错了|写错了|记错了)|"
    rf"(?:你|给)[给我俺]*(?:写成|记成|填成|写的|记的)了?{_U}了?|(?:写成|记成|填成)了{_U}|(?:写成|记成|填成){_U}了"
)


def replace_unit_numbers(current: str | None, said: str) -> str | None:
    """ "门牌号是51号", "单元是1单元" for an address held: each number said with its unit replaces the number of the
    same unit in the address (where that unit occurs once); the wrong one said after 不是 ("6号楼 不是4号楼") and a
    remark on another part ("单元没错") are not new numbers. None when nothing can be placed or nothing changes."""
    if not current:
        return None
    said = _WRONG_UNIT.sub("", tidy_numbers(re.sub(r"\s+", "", _without_remarks(said))))
    pieces = _UNIT_PIECE.findall(said)
    if not pieces:
        return None
    changed = current
    for number, unit in pieces:
        held = [m for m in _UNIT_PIECE.finditer(changed) if m.group(2) == unit]
        if len(held) != 1:
            return None
        changed = changed[: held[0].start(1)] + number + changed[held[0].end(1) :]
    return changed if changed != current else None


def _without_what_follows(right: str, after: str) -> str:
    """ "是四组8号 不是三组" for …三组8号: the right part said with what follows the wrong one keeps it once."""
    for size in range(len(right) - 1, 0, -1):
        if after.startswith(right[-size:]):
            return right[:-size]
    return right


_SELF_CORRECTION = re.compile(r"(?:哎|哦|噢|啊)?(?:不对不对|不对|说错了|错了|搞错了|应该是|更正一下|我改一下|改成)")


def parse_answer(spec: FieldSpec, text: str, slots: dict[str, Any]) -> Parsed:
    """Read `text` as the answer to the question of field `spec`; when the resident corrects themself in the same
    message ("店上镇东坡村… 哎不对 现在住微子镇…"), what follows the last correction counts."""
    parts = [p for p in _SELF_CORRECTION.split(text) if p.strip(_TRIM)]
    if len(parts) > 1 and spec.kind not in ("consent", "confirm", "for_self"):
        later = _parse_one(spec, parts[-1], slots)
        if later.value is not None:
            return later
    return _parse_one(spec, text, slots)


def _parse_one(spec: FieldSpec, text: str, slots: dict[str, Any]) -> Parsed:
    kind = spec.kind
    if kind == "consent":
        return parse_consent(text)
    if kind == "for_self":
        return parse_for_self(text)
    if kind == "name":
        return parse_name(text)
    if kind == "relation":
        return parse_relation(text, id_sex(slots))
    if kind == "phone":
        return parse_phone(text, slots, "phone" if spec.key == "proxy_phone" else "proxy_phone")
    if kind == "id_number":
        return parse_id_number(text)
    if kind == "disability_card":
        return parse_card(text, slots)
    if kind == "address":
        return parse_place(text, slots)
    if kind == "town":
        return parse_town(text)
    if kind == "region":
        return parse_region(text)
    if kind == "household":
        return parse_household(text)
    if kind == "date":
        return parse_date(text)
    if kind in ("choice", "device"):
        return parse_choice(spec, text)
    if kind == "confirm":
        return parse_confirm(text)
    return parse_benefit(text)
