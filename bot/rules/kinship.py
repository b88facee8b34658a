"""Family words: who the applicant is to the person applying for them (FORMAT.md's relation names).

"帮我妈办" → 母亲; "俺家小子" → 儿子; "我是他闺女" (the speaker is the applicant's daughter) → 父亲 (他) or
母亲 (她). Some words need the applicant's sex (老伴, 孩子, 我是他/她…): a Clue keeps both answers until the
ID number or a pronoun tells."""

from __future__ import annotations

import re
from dataclasses import dataclass

RELATIONS = ("父亲", "母亲", "儿子", "女儿", "丈夫", "妻子", "爷爷", "奶奶", "外公", "外婆", "孙子", "孙女", "哥哥",
             "姐姐", "弟弟", "妹妹", "公公", "婆婆", "岳父", "岳母", "其他亲属", "邻居", "朋友", "其他")  # fmt: skip
# Not family: a neighbour, a friend, a village or community worker may apply for someone (委托代办); staff need to
# know it is not a relative, so they are never stored as 其他亲属.
NOT_FAMILY: dict[str, str] = {
    **{w: "邻居" for w in ("邻居", "老邻居", "街坊", "街坊邻居", "隔壁", "邻里", "对门")},
    **{w: "朋友" for w in ("朋友", "老朋友", "好朋友", "同事", "战友", "老乡", "工友")},
    **{w: "其他" for w in ("网格员", "村干部", "社区干部", "社区工作人员", "志愿者", "社工", "村委会", "居委会",
                           "护工", "保姆")},
}  # fmt: skip


@dataclass(frozen=True)
class Clue:
    """The relation if the applicant is male / female (equal when the word says it)."""

    male: str
    female: str

    def resolve(self, sex: str | None) -> str | None:
        if self.male == self.female:
            return self.male
        return {"男": self.male, "女": self.female}.get(sex or "")


def _same(relation: str) -> Clue:
    return Clue(relation, relation)


# The applicant is the speaker's … (longest words are tried first).
MY_RELATIVE: dict[str, Clue] = {
    **{w: _same("父亲") for w in ("父亲", "爸爸", "老爸", "老爹", "爹", "爸", "老爷子", "俺爹", "家父", "爹爹")},
    **{w: _same("母亲") for w in ("母亲", "妈妈", "老妈", "老娘", "娘", "妈", "俺娘", "家母", "老母亲", "娘亲")},
    **{w: _same("儿子") for w in ("儿子", "小子", "大儿子", "小儿子", "二儿子", "男娃", "儿娃")},
    **{w: _same("女儿") for w in ("女儿", "闺女", "姑娘", "丫头", "女娃", "大闺女", "小闺女", "二闺女")},
    **{w: _same("丈夫") for w in ("丈夫", "老公", "男人", "当家的", "孩子他爸", "孩他爸", "老头子", "先生")},
    **{w: _same("妻子") for w in ("妻子", "老婆", "媳妇", "孩子他妈", "孩他妈", "老婆子", "内人", "爱人她")},
    **{w: Clue("丈夫", "妻子") for w in ("老伴", "爱人", "对象", "老伴儿")},
    **{w: Clue("儿子", "女儿") for w in ("孩子", "娃", "小孩", "娃娃", "孩儿")},
    **{w: _same("爷爷") for w in ("爷爷",)},
    **{w: _same("奶奶") for w in ("奶奶",)},
    **{w: _same("外公") for w in ("外公", "姥爷", "老爷")},
    **{w: _same("外婆") for w in ("外婆", "姥姥", "姥娘")},
    **{w: _same("孙子") for w in ("孙子", "外孙", "大孙子", "小孙子")},
    **{w: _same("孙女") for w in ("孙女", "外孙女", "孙闺女")},
    **{w: _same("哥哥") for w in ("哥哥", "哥", "大哥", "二哥", "三哥")},
    **{w: _same("姐姐") for w in ("姐姐", "姐", "大姐", "二姐", "三姐")},
    **{w: _same("弟弟") for w in ("弟弟", "弟", "小弟", "兄弟", "老弟")},
    **{w: _same("妹妹") for w in ("妹妹", "妹", "小妹", "妹子", "老妹")},
    **{w: _same("公公") for w in ("公公",)},
    **{w: _same("婆婆") for w in ("婆婆", "婆婆妈")},
    **{w: _same("岳父") for w in ("岳父", "老丈人", "丈人", "老泰山")},
    **{w: _same("岳母") for w in ("岳母", "丈母娘")},
    **{w: _same("其他亲属") for w in ("叔叔", "叔", "舅舅", "舅", "姑姑", "姑", "姨", "小姨", "大姨", "侄子", "侄女",
                                       "外甥", "外甥女", "小叔子", "大伯子", "嫂子", "弟媳", "儿媳妇", "儿媳", "女婿",
                                       "表哥", "表姐", "表弟", "表妹", "堂哥", "堂弟", "亲戚", "大伯", "伯伯",
                                       "大爷", "二大爷", "婶子", "婶婶", "大娘", "姑父", "姨父")},
    **{w: _same(r) for w, r in NOT_FAMILY.items()},
}  # fmt: skip
# The speaker is the applicant's … → the applicant is the speaker's …
I_AM_THEIR: dict[str, Clue] = {
    **{w: Clue("父亲", "母亲") for w in ("女儿", "闺女", "儿子", "姑娘", "孩子", "娃", "小子", "大儿子", "小儿子",
                                        "大闺女", "小闺女")},
    **{w: Clue("爷爷", "奶奶") for w in ("孙子", "孙女", "孙闺女")},
    **{w: Clue("外公", "外婆") for w in ("外孙", "外孙女")},
    **{w: _same("丈夫") for w in ("妻子", "老婆", "媳妇", "爱人她")},
    **{w: _same("妻子") for w in ("丈夫", "老公", "男人")},
    **{w: Clue("丈夫", "妻子") for w in ("老伴", "爱人", "对象")},
    **{w: Clue("儿子", "女儿") for w in ("妈", "妈妈", "母亲", "爸", "爸爸", "父亲", "娘", "爹")},
    **{w: Clue("弟弟", "妹妹") for w in ("哥哥", "哥", "姐姐", "姐")},
    **{w: Clue("哥哥", "姐姐") for w in ("弟弟", "弟", "妹妹", "妹")},
    **{w: Clue("孙子", "孙女") for w in ("爷爷", "奶奶")},
    **{w: Clue("公公", "婆婆") for w in ("儿媳妇", "儿媳")},
    **{w: Clue("岳父", "岳母") for w in ("女婿",)},
    **{w: _same(r) for w, r in NOT_FAMILY.items()},
}  # fmt: skip
_MY = r"(?:我|俺|咱|我们|俺们|我家|俺家|咱家|我们家|俺们家)的?"
_SPEAKER_IS = re.compile(r"(?:我|俺)是(?:他|她|它|人家|申请人|老人|孩子)?(?:的)?(" +
                         "|".join(sorted(I_AM_THEIR, key=len, reverse=True)) + ")")  # fmt: skip
_MY_RELATIVE = re.compile(rf"(?:{_MY}|给|帮|替|为|是|带)(" + "|".join(sorted(MY_RELATIVE, key=len, reverse=True)) + ")")
_BARE_RELATIVE = re.compile("^(?:是)?(?:" + _MY + ")?(" + "|".join(sorted(MY_RELATIVE, key=len, reverse=True)) + ")")


_NOT_FAMILY_WORDS = "|".join(sorted(NOT_FAMILY, key=len, reverse=True))
_SPEAKER_NOT_FAMILY = re.compile(rf"(?:我|俺)(?:们)?(?:就)?是[\u4e00-\u9fff]{{0,6}}?(?:的|家)?({_NOT_FAMILY_WORDS})")
_NOT_RELATIVE = re.compile(r"不是(?:他|她|人家)?(?:家)?(?:的)?(?:亲戚|亲属|家里人|家人)")
_SPEAKER_PARENT = re.compile(
    r"(?:我|俺)(?:就)?是(?:这|那)?(?:个)?(?:孩子|娃|小孩|娃娃)(?:他|她|的)?(妈妈|妈|娘|爸爸|爸|爹)"
)


def relation_clue(text: str) -> tuple[Clue, int, int] | None:
    """The relation a sentence states, with where the family word is ("帮我妈" before "我是她儿子"; "俺是孩子他妈"
    is the child's mother speaking, not a wife)."""
    outsider = _SPEAKER_NOT_FAMILY.search(text)
    if outsider or (_NOT_RELATIVE.search(text) and (outsider := re.search(_NOT_FAMILY_WORDS, text))):
        word = outsider.group(1) if outsider.groups() else outsider.group(0)
        return Clue(NOT_FAMILY[word], NOT_FAMILY[word]), outsider.start(), outsider.end()
    if _NOT_RELATIVE.search(text):
        return Clue("其他", "其他"), 0, 0
    parent = _SPEAKER_PARENT.search(text)
    if parent:
        return I_AM_THEIR[parent.group(1)], parent.start(1), parent.end(1)
    mine = _MY_RELATIVE.search(text)
    if mine:
        return MY_RELATIVE[mine.group(1)], mine.start(1), mine.end(1)
    speaker = _SPEAKER_IS.search(text)
    if speaker:
        return I_AM_THEIR[speaker.group(1)], speaker.start(1), speaker.end(1)
    return None


def relation_answer(text: str) -> Clue | None:
    """The answer to "申请人是您的什么人？": a family word alone or in a short sentence ("是我妈", "我父亲")."""
    clean = text.strip(" 。.!！,，")
    if clean in RELATIONS:
        return _same(clean)
    found = relation_clue(clean)
    if found:
        return found[0]
    bare = _BARE_RELATIVE.match(clean)
    return MY_RELATIVE[bare.group(1)] if bare else None


def sex_from_pronoun(text: str) -> str | None:
    """他 → 男, 她 → 女 when only one of them is used (speech recognition writes 他 for both: a weak hint)."""
    he, she = "他" in text, "她" in text
    return "男" if he and not she else "女" if she and not he else None
