"""Is this a person's name? Find names in a sentence, and read a name spelled out character by character.

A name is 2–4 Han characters starting with a Chinese surname (or names of another people joined by ·, e.g.
阿依古丽·买买提), and never a command, an answer or a filler word (提交, 确认, 对, 取消, 不知道, 是的 …): nothing
else may ever be stored as a name.
"""

from __future__ import annotations

import re

# Common Chinese surnames (the ones of more than ~0.01% of the population, plus compound surnames).
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常申牛栗暴原郜"
    "温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳欧管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐"
    "冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郗粱璩练权逯盖后桓公来遇承浦宿訾禹蔚贲竺郦"
    "修母郜訾丰由信隆亢达国勾门卢蓟伏宣薄印扈羊苍双闭禄从衡慕茅步那鲜但阚寿相代平晋富衣初矫邴展逄生智战续"
    "綦巴俄折锁拓"
    # the rest of the 百家姓 whose character is not also an everyday word at the start of a phrase (家, 东, 能, 有 …
    # are left out here: a name answered outright needs no known surname, see is_name)
    "水傅萧湛狄贝昝裘杭洪诸钮嵇荀芮羿汲糜隗宓钭戎韶邰鄂赖屠莘雍濮郏阎茹宦庾暨阙殳夔厍晁毋乜蒯缑郈佴谯笪廉酆凤强"
    "钦昌"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "令狐", "夏侯", "端木", "独孤", "南宫", "呼延", "万俟", "轩辕", "澹台", "百里",
                     "西门", "闻人", "赫连", "公羊", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "仲孙",
                     "钟离", "鲜于", "闾丘", "司空", "亓官", "司寇", "子车", "颛孙", "巫马", "公西", "漆雕", "乐正",
                     "壤驷", "公良", "拓跋", "夹谷", "宰父", "谷梁", "段干", "东郭", "南门", "羊舌", "微生", "梁丘",
                     "左丘", "东门", "第五")  # fmt: skip
# Words that are answers, commands or fillers, never names (checked on the whole candidate and on its parts).
NOT_NAMES = frozenset({
    "提交", "确认", "确定", "取消", "不知道", "是的", "好的", "可以", "同意", "不同意", "没有", "对的", "不对", "谢谢",
    "你好", "您好", "知道", "不是", "是我", "本人", "自己", "给自己", "帮家人", "低保", "特困", "都不是", "不用",
    "不要", "算了", "行了", "没错", "嗯嗯", "对对", "对对对", "重新", "再说", "不清楚", "忘了", "人工", "转人工",
    "不办了", "退出", "申请", "好了", "完了", "明白", "清楚", "没了", "我爸", "我妈", "爸爸", "妈妈", "儿子", "女儿",
    "老伴", "俺爹", "俺娘", "孩子", "闺女", "姑娘", "小子", "老人", "家人", "我们", "他们", "她们", "你们", "这个",
    "那个", "什么", "怎么", "为啥", "干啥", "咋办", "没事", "等等", "等一下", "稍等", "回头", "以后", "现在",
    "马上", "一样", "同上", "相同", "有的", "没有证", "残疾", "残疾人", "补贴", "护理", "轮椅", "老师", "大夫",
    "医生", "师傅", "同志", "领导", "小姐", "先生", "女士", "阿姨", "大爷", "大妈", "大娘", "大姐", "大哥",
    "王八", "江湖", "高兴", "高级", "黄色", "白色", "金额", "钱数", "安全", "方便", "和平", "平安", "成功",
    "路上", "关键", "全部", "全都", "常常", "时间", "文件", "于是", "向着", "万一", "还有", "连续", "车子",
    "邻居", "老邻居", "街坊", "隔壁", "朋友", "同事", "网格员", "村干部", "志愿者", "亲戚", "亲属", "家属",
    "算球", "算逑", "拉倒", "麻烦", "太麻烦", "考虑", "想想", "放放", "下回", "下次", "改天", "回头再说",
})  # fmt: skip
NAME_HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
NAME_DOTTED = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:[·•・.][\u4e00-\u9fff]{1,10})+$")
# Characters that end a name inside a sentence (particles, verbs, punctuation of the next clause).
_STOP_CHARS = set("的了吗呢吧啊呀嘛哦哈，,。.!！?？、；;：: 是在住家电身证号要想给帮办申请我你他她俺咱和跟与及今年岁")
# "木子李" style descriptions of one character, and "长短的长" (the character after 的).
RADICAL_SPELLINGS = {
    "木子李": "李", "弓长张": "张", "立早章": "章", "耳东陈": "陈", "口天吴": "吴", "双木林": "林", "言午许": "许",
    "古月胡": "胡", "草头黄": "黄", "三横王": "王", "文刀刘": "刘", "禾口程": "程", "人可何": "何", "干钩于": "于",
    "子小孙": "孙", "走肖赵": "赵", "关耳郑": "郑", "草头萧": "萧", "双口吕": "吕", "石头的石": "石", "日月明": "明",
    "女子好": "好", "土里金": "金", "三点水的江": "江", "双人徐": "徐", "木易杨": "杨", "十八子李": "李",
    "马字旁的马": "马", "宝盖宋": "宋", "米字旁的米": "米", "虎头卢": "卢", "月半胖": "胖", "雨字头的雷": "雷",
}  # fmt: skip
_SPELL_OF = re.compile(r"(.{1,6})的([\u4e00-\u9fff])$")
_SPELL_SPLIT = re.compile(r"[，,、。\s]+|然后|再是|再一个|最后一个|第二个字|第三个字|第一个字")


def surname_of(name: str) -> str | None:
    """The surname a name starts with, or None when it does not start with a known surname."""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound):
            return compound
    return name[0] if name and name[0] in SINGLE_SURNAMES else None


# Characters a name never has: pronouns, particles, negations, question words (an answer, not a name).
_NEVER_IN_NAMES = set("我你他她俺咱们的了吗呢吧啊呀嘛哦哟不没啥甚谁哪么呗嗯哈")
_NOT_NAME_PARTS = ("申请", "补贴", "残疾", "同意", "知道", "清楚", "名字", "姓名", "身份", "电话", "轮椅", "低保",
                   "街道", "小区", "爸", "妈", "爹", "娘", "儿子", "女儿", "闺女", "老伴", "瘫", "截", "聋", "瞎", "瘸",
                   "哑", "病")  # fmt: skip
_NOT_NAME_ENDS = tuple("镇乡村号路街楼组")  # 路长有 is a name; 东关村 is not
# Words that often follow a name without punctuation ("崔红兵肢体二级", "他叫李明今年七十").
_AFTER_NAME = ("肢体", "视力", "听力", "言语", "智力", "精神", "多重", "残疾", "今年", "身份", "电话", "手机", "住在",
               "家住", "一级", "二级", "三级", "四级", "七十", "八十", "六十", "九十", "五十", "男的", "女的", "岁",
               "是我", "是他", "是她", "想", "要", "申请", "办", "给", "的", "身", "电", "住", "家", "是", "今", "年",
               "他", "她", "我", "俺", "现", "得", "有", "瘫", "腿", "眼", "耳", "脑", "病", "残", "在", "和",
               "跟")  # fmt: skip


def is_name(text: str | None, *, known_surname: bool = True) -> bool:
    """True only for a plausible person's name (see the module doc). A name answered outright need not start with a
    surname this module knows (`known_surname=False`); one found inside a sentence must."""
    if not text:
        return False
    name = text.strip()
    if name in NOT_NAMES or set(name) & _NEVER_IN_NAMES or any(part in name for part in _NOT_NAME_PARTS):
        return False
    if name.endswith(_NOT_NAME_ENDS):
        return False
    if NAME_DOTTED.match(name):
        return len(name) <= 20
    if not NAME_HAN.match(name):
        return False
    surname = surname_of(name)
    if surname is None:
        return not known_surname and len(name) <= 3
    given = name[len(surname) :]
    return bool(given) and given not in NOT_NAMES


def _ends_there(tail: str, length: int) -> bool:
    """True when a name of `length` characters would end at a plausible place in the sentence."""
    rest = tail[length:]
    return not rest or not re.match(r"[\u4e00-\u9fff]", rest[0]) or rest.startswith(_AFTER_NAME)


def name_at(text: str, start: int) -> str | None:
    """The name that starts at `start` in a sentence, or None. Names are mostly 3 characters, then 2 (4 with a
    compound surname): the first length whose end is a plausible boundary wins ("钟伟肢体二级" → 钟伟), else the
    first plausible length."""
    tail = text[start : start + 20]
    dotted = re.match(r"[\u4e00-\u9fff]{1,10}(?:[·•・][\u4e00-\u9fff]{1,10})+", tail)
    if dotted and is_name(dotted.group()):
        return dotted.group()
    end = 0
    while end < len(tail) and end < 4 and re.match(r"[\u4e00-\u9fff]", tail[end]) and tail[end] not in _STOP_CHARS:
        end += 1
    compound = any(tail.startswith(c) for c in COMPOUND_SURNAMES)
    lengths = [n for n in ((4, 3) if compound else (3, 2)) if n <= end and is_name(tail[:n])]
    for length in lengths:
        if _ends_there(tail, length):
            return tail[:length]
    return tail[: lengths[0]] if lengths else None


def spelled_name(text: str) -> str | None:
    """A name spelled out: "木子李，长短的长，顺利的顺" → 李长顺; None when the text is not a spelling."""
    parts = [p for p in _SPELL_SPLIT.split(text.strip()) if p]
    if len(parts) < 2:
        return None
    chars = []
    for part in parts:
        part = part.removeprefix("是").removesuffix("字")
        if part in RADICAL_SPELLINGS:
            chars.append(RADICAL_SPELLINGS[part])
        elif (match := _SPELL_OF.search(part)) is not None:
            chars.append(match.group(2))
        elif re.fullmatch(r"[\u4e00-\u9fff]", part):
            chars.append(part)
        else:
            return None
    name = "".join(chars)
    return name if is_name(name) else None
