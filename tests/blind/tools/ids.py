#!/usr/bin/env python3
"""GB 11643-1999 citizen ID helpers for the blind intake test set.

python3 ids.py make 231081 19510307 031        -> full 18-char ID
python3 ids.py check 23108119510307031X        -> valid / invalid
python3 ids.py xseq 231081 20230802 male       -> sequence numbers giving check digit X
"""

import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
AREAS = {"231081": "绥芬河市", "140406": "潞城区"}
CATEGORIES = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神", "7": "多重"}


def check_digit(first17: str) -> str:
    assert len(first17) == 17 and first17.isdigit(), first17
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(area: str, birth: str, seq: str) -> str:
    body = f"{area}{birth}{seq}"
    return body + check_digit(body)


def is_valid_id(s: str) -> bool:
    s = s.upper()
    return len(s) == 18 and s[:17].isdigit() and check_digit(s[:17]) == s[17]


def birth_of(s: str) -> str:
    return f"{s[6:10]}-{s[10:12]}-{s[12:14]}"


def is_male(s: str) -> bool:
    return int(s[16]) % 2 == 1


def card(id_number: str, category: int, level: int) -> str:
    assert str(category) in CATEGORIES and 1 <= level <= 4
    return f"{id_number}{category}{level}"


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        print(make_id(*sys.argv[2:5]))
    elif cmd == "check":
        for s in sys.argv[2:]:
            print(s, "valid" if is_valid_id(s) else "INVALID")
    elif cmd == "xseq":
        area, birth, sex = sys.argv[2:5]
        for n in range(1, 1000):
            seq = f"{n:03d}"
            if (n % 2 == 1) == (sex == "male") and make_id(area, birth, seq).endswith("X"):
                print(seq, make_id(area, birth, seq))
    else:
        sys.exit(__doc__)
