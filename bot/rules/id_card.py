"""Check an 18-character resident ID number (居民身份证号, GB 11643-1999) and explain problems in plain Chinese.

Layout: 6-digit area code (GB/T 2260) + 8-digit birth date YYYYMMDD + 3-digit sequence (the last of them odd
for 男, even for 女) + 1 check character (ISO 7064 MOD 11-2: "0"-"9" or "X").

Only the first two digits of the area code are checked (province level), because county codes change over
the years while old ID numbers stay valid. Accepted province codes are those of GB/T 2260 plus 83: 830000 is
the area code that 台湾居民居住证 numbers use (71 台湾, 81 香港 and 82 澳门 are in GB/T 2260 itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.rules.spoken_numbers import has_place_value_words, read_number

ID_LENGTH = 18
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2**(17-i) mod 11
CHECK_CHARS = "10X98765432"  # indexed by (sum of digit × weight) mod 11
PROVINCE_CODES: frozenset[str] = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
     "71", "81", "82", "83"}
)  # fmt: skip
EARLIEST_BIRTH = date(1900, 1, 1)

_AGAIN = "请看着身份证核对后，再说一遍。"


@dataclass(frozen=True)
class IdCheck:
    """Result of validate_id_number. `birth_date` and `sex` are filled only when the number is valid."""

    ok: bool
    value: str
    problem: str | None  # "length" | "characters" | "area" | "birth_date" | "check_digit"
    message: str
    birth_date: date | None = None
    sex: str | None = None


def id_check_digit(first17: str) -> str:
    """The check character ("0"-"9" or "X") for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("expected exactly 17 ASCII digits")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _birth_date(value: str, today: date) -> tuple[date | None, str | None]:
    """The birth date in an 18-character number, or None and the reason in plain words."""
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None, "没有这个日子"
    if born < EARLIEST_BIRTH:
        return None, "年份太早了"
    if born > today:
        return None, "这个日子还没到"
    return born, None


def _fail(value: str, problem: str, message: str) -> IdCheck:
    return IdCheck(ok=False, value=value, problem=problem, message=message)


def validate_id_number(raw: str, today: date | None = None) -> IdCheck:
    """Check an ID number as typed or spoken (lead-in words, spoken or full-width digits, lower-case x allowed)."""
    today = today or date.today()
    value = read_number(raw or "")
    if not value:
        if has_place_value_words(raw or ""):
            return _fail("", "characters", "身份证号请一位一位地说，不要说“十”“百”。请再说一遍。")
        return _fail("", "characters", "没听清身份证号。身份证号是18位数字，最后一位可能是X。请一位一位地再说一遍。")
    if ID_LENGTH < len(value) <= ID_LENGTH + 4:
        # a spoken digit of the talk around the number ran into it ("最后一位是叉 不是零 2310…049X"): a window that
        # passes every check (area, date, check digit) is the number; the one that ends last wins
        for start in range(len(value) - ID_LENGTH, -1, -1):
            window = _check(value[start : start + ID_LENGTH], today)
            if window.ok:
                return window
    return _check(value, today)


def _check(value: str, today: date) -> IdCheck:
    if len(value) != ID_LENGTH:
        return _fail(value, "length", f"身份证号应该是18位，您说的是{len(value)}位。请再说一遍。")
    if "X" in value[:17]:
        return _fail(value, "characters", "身份证号只有最后一位可能是X，前面都是数字。" + _AGAIN)
    if value[:2] not in PROVINCE_CODES:
        return _fail(value, "area", "身份证号开头两位不对，这两位表示省份。" + _AGAIN)
    born, reason = _birth_date(value, today)
    if born is None:
        return _fail(value, "birth_date", f"出生日期那一段不对（中间的8位），{reason}。" + _AGAIN)
    if id_check_digit(value[:17]) != value[17]:
        return _fail(value, "check_digit", "最后一位校验位对不上，可能有一位数字听错了。" + _AGAIN)
    sex = "男" if int(value[16]) % 2 else "女"
    return IdCheck(ok=True, value=value, problem=None, message="身份证号核对好了。", birth_date=born, sex=sex)
