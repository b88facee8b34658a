"""Complaints, anger and requests for a person, recognised by rules (beside the model): these go to people at once.

`is_complaint` — 投诉, "到底管不管", "没人管", discrimination against the speaker, swearing, "太不像话" …
`wants_person` — "转人工", "找真人", "给我接12385"; `asked_line` says which hotline was asked for, if any.
"""

from __future__ import annotations

import re

from bot.rules.sounds import literal_words, repair

HOTLINES = ("12385", "12345")


def _words(*lines: str) -> str:
    return "|".join(word for line in lines for word in line.split())


_COMPLAINT = re.compile(
    _words(
        r"投诉 举报 (?:到底|你们|还|究竟|倒是|就)管不管 管不管[啊呀了!！?？] 不管事 不管不问 不作为",
        r"(?:根本|都|也|压根|从来|就是|一直)没人(?:管|理|办) 没人管[啊呀吗!！] 推三阻四 踢皮球",
        "太不像话 不像话 岂有此理 太过分 欺人太甚 什么破 破系统 破地方 垃圾 刁难 吃拿卡要 要好处",
        r"态度(?:太|真|特别|贼|老)?(?:差|恶劣|不好|蛮横) 糊弄 忽悠 骗人 骗子 这是什么服务 什么服务态度",
        r"效率(?:太|真|这么|也太)?低 (?:很|太|真|快)生气 气死(?:我|人)?了 凭(?:什么|啥|甚)\S{0,4}不",
        "我要告 告你们 曝光 找媒体 找记者",
        "(?:看不起|瞧不起)(?:人|残疾人|我|俺|我们|俺们|咱)",
        r"(?:^|[，,。!！\s])妈的 他妈的 TMD tmd 特么 卧槽 我操 操你 滚蛋 给我滚 傻逼 傻B SB",
        "狗屁 放屁 王八蛋 混蛋 缺德 扯犊子 瞎整 什么玩意 寒心 心寒 窝火 憋屈 气人 太欺负人",
        r"(?:给|要|讨)(?:个|一个)?说法 欺负(?:我们|俺们|残疾人|人) 不(?:拿|把)\S{0,6}当人 残疾人就不是人",
        "甩脸子 爱答不理 门难进 脸难看 推诿 敷衍 官僚 不负责任 乱收费 石沉大海 一拖再拖 没下文 我要上访 去上访",
        r"到底(?:给不给|办不办|有没有人|怎么回事|咋回事|能不能给|还管) 有没有人管",
        r"打了\S{0,6}(?:电话|次|遍)\S{0,4}没人接",
        r"问了\S{0,2}(?:几|好几|三|两|N|\d)\S{0,1}(?:遍|次|回)",
    )
)
# A grievance about what already happened (an application waiting, a benefit not paid, how someone was treated): the
# resident wants it looked into, not a new application, even when a benefit is named ("申请护理补贴三个月了没消息").
_GRIEVANCE = re.compile(
    _words(
        r"投诉 举报 告他们 告你们 我要告 态度 糊弄 忽悠 一直不发 一直没发 说好的 没消息 没下文 石沉大海 管不管",
        r"(?:申请|交|报|办|等)了\S{0,6}(?:天|月|年|回|次|遍) (?:三|两|几|好几|半)\S{0,1}(?:个月|年|天)了",
    )
)


def is_grievance(text: str | None) -> bool:
    """True when an angry message is about something that already happened (not a wish to apply now)."""
    return bool(text) and bool(_GRIEVANCE.search(re.sub(r"\s+", "", text)))


# Softer signs: a complaint unless the message asks where to go with it (the petitions / hotline answer fits then).
_SOFT_COMPLAINT = re.compile(
    _words(
        r"找了\S{0,4}(?:几|多)\S{0,2}(?:次|回|趟) 跑了\S{0,3}(?:几|多|N|\d+)\S{0,2}趟 跑断腿",
        "没人理 推来推去 扯皮 瞎扯 没人办 不给办 拖着不办",
        r"(?:申请|等|拖|办)了\S{0,4}(?:半年|一年|好几个月|几个月|好久)\S{0,6}(?:没|不)",
        r"(?:补贴|钱|低保)\S{0,4}(?:被)?\S{0,2}(?:砍|扣|停|取消)了 扣了\S{0,4}(?:补贴|钱|低保) 上访",
    )
)
_ASKS_WHERE = re.compile(
    r"怎么上访|怎么信访|如何|去哪|找谁|哪里|哪个部门|怎么反映|能不能|能进|有没有|咋办|怎么办|能不|能申请"
)
# Discrimination is a complaint when it happened to the speaker or their family ("单位歧视我"),
# a policy question when asked in general ("就业歧视怎么维权").
_DISCRIMINATION = re.compile(r"歧视|区别对待|不公平")
_SPEAKER = re.compile(r"我|俺|咱|孩子|娃|儿子|闺女|女儿|爸|妈|爹|娘|老伴|媳妇|丈夫|老公|家")
_GENERAL_ASK = re.compile(r"怎么维权|找谁|去哪|哪个部门|有什么规定|有什么政策|法律|规定")

_PERSON = re.compile(
    _words(
        "(?:转|接|找|要|叫|换|来)(?:个|一个|位)?(?:人工|真人|活人|客服|工作人员|接线员|坐席)",
        "人工(?:服务|客服|坐席) 转人工 真人 活人 ^人工$ 接线员 找个人 工作人员来",
        r"不想跟机器 不跟机器 不要机器 别用机器 机器人\S{0,4}(?:听不懂|没用|不行) 叫\S{0,4}工作人员",
        "(?:接|转|拨|连|打|联系|找)(?:通|一下|给我)?(?:12385|12345)",
        r"给我(?:接|转|拨|连)(?:通)?\S{0,4}(?:热线|电话|人)",
        "(?:找|叫|让|要见)(?:你们|一下)?(?:的)?(?:领导|负责人|主任|管事的|残联的人)",
        r"回(?:个)?电话 (?:给我|给俺)打(?:个)?电话 打(?:个)?电话给(?:我|俺) 来个电话",
    )
)
_LINE = re.compile(r"12385|12345")
# Words a wrong homophone may hide (头诉 → 投诉, 转人公 → 转人工).
_SOUND_WORDS = tuple(
    w for w in literal_words([_COMPLAINT.pattern, _SOFT_COMPLAINT.pattern, _PERSON.pattern]) if len(w) >= 3
) + ("投诉", "举报", "歧视", "人工", "真人", "糊弄", "忽悠")


def is_complaint(text: str | None) -> bool:
    """True for a complaint, anger at the service or swearing."""
    if not text:
        return False
    return _complains(text) or _complains(repair(text, _SOUND_WORDS))


def _complains(text: str) -> bool:
    if _COMPLAINT.search(text) or (_SOFT_COMPLAINT.search(text) and not _ASKS_WHERE.search(text)):
        return True
    return bool(_DISCRIMINATION.search(text) and _SPEAKER.search(text) and not _GENERAL_ASK.search(text))


def wants_person(text: str | None) -> bool:
    """True when the resident asks for a person or a hotline to be put through ("转人工", "给我接12385")."""
    return bool(text) and bool(_PERSON.search(text or "") or _PERSON.search(repair(text or "", _SOUND_WORDS)))


def asked_line(text: str | None) -> str | None:
    """The hotline the resident asked to be put through to (12385 / 12345), if they named one."""
    found = _LINE.search(text or "") if wants_person(text) else None
    return found.group(0) if found else None
