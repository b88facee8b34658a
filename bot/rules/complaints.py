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


# A number of tries, in digits or in words ("跑了五趟", "打了十几次", "问了N遍").
_COUNT = r"(?:[一二两三四五六七八九十百千几多N\d]|好几)+"
# The speaker (or their family) as the one wronged.
_ME = r"(?:我|俺|咱|我们|俺们|咱们|我家|俺家)"

_COMPLAINT = re.compile(
    _words(
        r"投诉 举报 (?:到底|你们|还|究竟|倒是|就)管不管 管不管[啊呀了!！] 不管事 不管不问 不作为",
        r"(?:根本|都|也|压根|从来|就是|一直)没人(?:管|理|办) 没人管[啊呀吗!！] 推三阻四 踢皮球",
        "太不像话 不像话 岂有此理 太过分 欺人太甚 什么破 破系统 破地方 刁难 吃拿卡要 要好处",
        r"(?<![倒扔丢捡收运清拉])垃圾(?![桶站车袋堆场箱分池])",  # an insult, not 倒垃圾 / 垃圾桶
        r"态度(?:太|真|特别|贼|老)?(?:差|恶劣|不好|蛮横) 糊弄 忽悠 骗人 骗子 这是什么服务 什么服务态度",
        r"效率(?:太|真|这么|也太)?低 (?:很|太|真|快)生气 气死(?:我|人)?了 凭(?:什么|啥|甚)\S{0,4}不",
        "我要告(?!诉) 告你们 曝光 找媒体 找记者",
        "(?:看不起|瞧不起)(?:人|残疾人|我|俺|我们|俺们|咱)",
        r"(?:^|[，,。!！\s])妈的 他妈的 TMD tmd 特么 卧槽 我操 操你 滚蛋 给我滚 傻逼 傻B SB",
        "狗屁 放屁 王八蛋 混蛋 缺德 扯犊子 瞎整 什么玩意 寒心 心寒 窝火 憋屈 气人 太欺负人",
        r"(?:给|要|讨)(?:个|一个)?说法 欺负(?:我们|俺们|残疾人|人) 不(?:拿|把)\S{0,6}当人 残疾人就不是人",
        r"大吼大叫 (?:冲|对)(?:我|俺)\S{0,3}(?:吼|喊|嚷|发火|发脾气|瞪眼) 理都不理 不理不睬",
        r"送(?:点)?(?:东西|礼|钱)\S{0,3}才",
        "甩脸子 爱答不理 门难进 脸难看 推诿 敷衍 官僚 不负责任 乱收费 石沉大海 一拖再拖 没下文 我要上访 去上访",
        r"到底(?:给不给|办不办|有没有人|怎么回事|咋回事|能不能给|还管) 有没有人管",
        r"打了\S{0,6}(?:电话|次|遍)\S{0,4}没人接",
        r"问了\S{0,2}(?:几|好几|三|两|N|\d)\S{0,1}(?:遍|次|回)",
        # Told as a story, with no 投诉 word: rude staff, a promise broken, favouritism, being pushed around.
        r"态度\S{0,3}(?:差|恶劣|不好|蛮横|生硬) 不耐烦 爱搭不理 翻白眼 说(?:我|俺)是(?:来)?要饭 拿(?:我|俺)当要饭",
        rf"{_ME}要(?:告(?!诉)|举报|上告|去告) 要告(?:他|她|他们|她们) 告(?:他|她)去",
        r"说好(?:的|了)\S{0,20}(?:结果|可是|却|又说|到现在|一直|也没|还没|没给|不给|不发|没发)",
        r"(?:那|这)?当初\S{0,6}(?:干啥|干嘛|做甚|干什么|图啥) 白(?:等|跑|登记)了",
        r"(?:是不是|有人)\S{0,3}贪(?:了|污) 贪污 克扣 私吞 挪用 优亲厚友 走后门",
        # A benefit drawn in the resident's name by someone else ("补贴被人冒领了").
        r"被(?:人|别人|他|她|谁|村里|人家)?\S{0,3}冒领 冒名(?:顶替|领)",
        r"把\S{0,8}给(?:了)?(?:他|她)(?:家|们家|自己)?(?:的)?(?:亲戚|小舅子|小姨子|舅子|侄子|侄女|外甥|女婿|儿子|闺女|家里人|相好的|关系户)",
        r"关系户 走关系 (?:优先|先)给(?:了)?\S{0,4}(?:亲戚|熟人|关系户)",
        r"(?:收|交)了钱\S{0,4}(?:不给|不管|没人|就不)",
        r"(?:这|那)是人干的事 人干的事(?:吗|儿吗) (?:这么|这样|来回)折腾 折腾(?:人|我|俺) 瞎折腾 当皮球",
        r"听不懂人话 (?:你|您)?(?:咋|怎么)啥(?:也|都)不懂",
        r"凭(?:什么|啥|甚)(?:啊|呀|呢|嘛|$|[!！?？]) (?:这|那)(?:是|叫)(?:什么|啥|甚)态度",
        r"这叫(?:什么|啥|甚)(?:道理|事|服务)",
        # Staff who call the resident a fake or shout at them ("窗口的人说俺是装的 还骂俺").
        r"(?<![听据])说\S{0,6}(?<!不)是(?:装的|装出来的|装残疾|假残疾|骗补贴)",
        r"说(?:我|俺|孩子|娃|我们|俺们)(?:装的|装残疾|骗补贴)",
        r"这就是你们(?:说的|的|讲的) 说得好好的\S{0,12}(?:结果|一看|转头|又说|就说)",
        # Asked to judge a dispute; money kept back or a "fee" taken from a benefit by whoever pays it out.
        r"评评理 评个理 给(?:我|俺)(?:们)?评(?:个)?理",
        rf"把{_ME}(?:的|家的|们的)?\S{{0,8}}(?:扣了|扣下|截留|截了|吞了|贪了|昧了)",
        r"(?:扣|收|要|抽)\S{0,4}(?:管理费|好处费|辛苦费|手续费|人情费) 说是(?:什么)?(?:管理费|好处费|辛苦费|手续费)",
        # English: "I'd like to complain", "this is outrageous", "no one answered my letters".
        # round 9: staff's words or conduct, bribes asked for, being played with
        r"说话\S{0,2}(?:太|真|特别|贼|老|很)?(?:难听|冲|横|呛人)",
        r"(?:请|让)(?:他|她|他们|人家)?(?:吃饭|请客|吃顿饭) 请客送礼 塞钱 塞红包 送礼才",
        r"要(?:我|俺|咱)\S{0,2}(?:请客|请吃饭|送礼|给好处|塞钱|表示表示)",
        r"对(?:我|俺|孩子|娃|老人|学生|我妈|我爸|俺娘|俺爹)\S{0,2}动(?:了)?手(?!术)",
        r"(?:耍|涮|逗)(?:我|俺|人|我们|俺们)(?:玩)?(?:吗|呢|呀|啊|是吧|$|[!！?？])",
        r"拿(?:我|俺)开涮 (?:良心|脸)\S{0,3}(?:不会痛|不疼|过得去|让狗吃) 没良心 丧良心",
        r"(?:窗口|柜台|工作人员|办事的|残联的|街道的|社区的|村里的|干部)\S{0,10}(?:玩手机|嗑瓜子|聊天|睡觉)\S{0,6}(?:不理|不管|不搭理|不办)",
        # round 11: papers thrown back, a card kept from them, a promise of days that became months
        r"把(?:我|俺|咱)(?:的|家的)?\S{0,6}(?:扔|摔|甩|丢|撕)(?:出来|出去|回来|地上|了|掉|碎)",
        r"(?:说|嫌)\S{0,10}不配 (?:说|骂)(?:我|俺|孩子|娃|我们|俺们)\S{0,2}(?:装的|装病|装残疾|骗补贴|装出来)",
        r"(?:名额|补贴|指标|低保)\S{0,4}给了\S{0,6}(?:亲戚|熟人|关系户|小舅子|侄子|儿子|闺女|家里人)",
        r"(?:拿着|扣着|押着|收着|攥着|扣下|收走)(?:不还|不给|不放|不退)",
        r"(?:承诺|答应|保证|说好)\S{0,14}(?:这都|都|已经|眼看)\S{0,4}(?:天|周|月|年|礼拜|星期)了",
        r"(?i:\bcomplain|\bcomplaint|ridiculous|unacceptable|outrageous|disgrace|nobody\s(?:ever\s)?(?:called|calls|"
        r"answered|answers|replied|helped|cares)|no\sone\s(?:ever\s)?(?:called|answered|replied|helped))",
    )
)
# Work or a device that failed soon ("装的扶手 没俩月就掉了", "给的轮椅是坏的"), a fitter who never came back, a
# benefit drawn by someone else, nobody acting whoever was asked ("找谁也不管"): a complaint and a grievance.
_FAILED_SERVICE = _words(
    r"(?:修|装|改|做|配|弄|买|发|给)\S{0,8}(?:没|不到)(?:[一二两俩三仨几]|半)\S{0,2}(?:天|周|星期|礼拜|个月|月|年)"
    r"(?:就|又)(?:坏|裂|漏|塌|掉|松|不能用|不好使|不转)",
    r"(?:给|发|配)(?:我|俺|咱)?(?:的|家的)\S{0,6}(?:是)?坏的 冒领",
    r"(?:找|叫|喊|催)\S{0,8}(?:也|都)(?:不来|没来|不上门|没人来) 找谁(?:也|都)(?:不|没人?)(?:管|理|修|办|来)",
)
# A grievance about what already happened (an application waiting, a benefit not paid, how someone was treated): the
# resident wants it looked into, not a new application, even when a benefit is named ("申请护理补贴三个月了没消息").
_GRIEVANCE = re.compile(
    _words(
        r"投诉 举报 告他们 告你们 我要告 态度 糊弄 忽悠 一直不发 一直没发 说好的 没消息 没下文 石沉大海",
        r"(?:申请|交|报|办|等)了\S{0,6}(?:天|月|年|回|次|遍)",
        r"(?:三|两|几|好几|半)\S{0,1}(?:个月|年|天)了\S{0,6}(?:没|不|还没)",
        # Stories of what was done to them: a paid service done badly, favouritism, a promise or a list that left them
        # out, someone hurt, a wish to report it — to be looked into, even when a benefit is named.
        r"讨(?:个)?说法 要(?:个)?说法 (?:我|俺)要反映 反映反映 收了钱 贪 给(?:了)?(?:他|她)\S{0,2}亲戚 当初 名额没了",
        r"指标用完 名单\S{0,3}定了 (?:把|给)\S{0,6}漏了 白等 说好(?:的|了) 等到\S{1,4}了 打了(?:俺|我)\S{0,3} 虐待",
        r"白花了 (?:修|装|改|做|配)得\S{0,3}(?:太陡|太窄|太高|没法用|不能用)",
        # someone hurt in another's care and the harm denied ("把闺女胳膊弄青了 问他们还不承认"), a demand to act
        r"(?:弄|掐|拧|揪)(?:青|伤|破|肿|紫)了? (?:还|也|都|死活|就是)不承认",
        r"(?:必须|总得|得|总要|必需)有人(?:管|出来管|负责)",
        # waited since applying ("申请仨月了"), nothing paid ("一分钱没见着"), drawn by someone else
        r"(?:申请|交|报|办|等)(?:了)?\S{0,2}(?:[一二两俩三仨四五六七八九十几半]|好几)\S{0,2}(?:天|月|年)了",
        r"一分(?:钱)?(?:也|都)?没(?:见|给|发|到|拿) 冒领 冒名",
        # round 9: a device or work that failed and nobody puts it right ("找他们也不换"), papers lost, money taken
        r"(?:找|问|叫|催)\S{0,8}(?:也|都)(?:不|没人?)(?:换|退|修|给|赔) 根本没法用 (?:修|装|改|做|干|铺)(?:了)?一半",
        r"(?:材料|档案|申请表|资料)\S{0,2}(?:弄丢|搞丢) 收了(?:我|俺|咱)(?:的)?\S{0,6}(?:块|元|钱)",
        r"说(?:停|取消)就(?:停|取消)",
        _FAILED_SERVICE,
    )
)


# "Wrong again": the bot has already misunderstood at least twice ("又说错了", "还是不对", "说了三遍了") — a person.
_AGAIN_WRONG = re.compile(
    _words(
        r"(?<![我俺])又(?:说|整|弄|搞|答|给我说|跟我说)?(?:错|岔|偏|拧)了 又不对 还是不对 还不对",
        r"咋老(?:是)?(?:整|弄|说|搞)(?:岔|错|偏)",
        rf"老(?:是)?(?:整|弄|说|搞)(?:岔|错|偏) (?:说|讲|问)了{_COUNT}(?:遍|回|次) (?:你|您)又跟(?:我|俺)说 答非所问",
        r"第[二三四五六七八九几]\S{0,1}(?:次|回|遍)\S{0,4}(?:答错|说错|弄错|搞错|整岔|错了|不对)",
        "牛头不对马嘴 驴唇不对马嘴",
        # Said to the bot after it missed: "你听不懂吗", "你到底懂不懂", "说了半天", "你咋老问".
        r"(?:你|您)(?:到底|究竟|倒是)?(?:懂不懂|明白不明白|听(?:得)?懂(?:没|了没)) "
        r"(?:你|您)(?:咋|怎么|是不是)?(?:还|就|又|老|总|一直)?(?:是)?听不(?:懂|明白)(?:吗|么|呀|啊|呢|嘛|[？?])",
        r"说了(?:半天|这么半天|好半天|一大堆) (?:你|您)?(?:咋|怎么|为啥|干嘛)(?:老|总|一直)(?:是)?(?:问|让我)",
        # "你不懂我", "你根本听不明白俺": told plainly that the bot does not understand them
        r"(?:你|您)(?:根本|压根|就是|还是|咋|怎么|老|总)?(?:不懂|不明白|听不懂|听不明白|没听懂|没明白)(?:我|俺)",
    )
)


# Which line a complaint belongs to when its words say so (config/escalation.yml: 12385 disability matters, 12345
# general government services): a utility, a landlord, the city's own services are general matters even when a
# disability is named ("物业说暖气的事不归残联管"); being refused or insulted for a disability is a disability matter
# whatever the place ("售票员骂我瘸子"). Neither: the topic last understood decides, as for any hand-over.
_GENERAL_MATTER = re.compile(
    r"供暖|供热|暖气|热力|取暖|房东|房租|押金|租房|物业|城管|自来水|停水|停电|燃气公司|煤气公司|拆迁|征地|户口|派出所|"
    # the street and the city's own offices: a blind path built over, a pavement blocked, the social-security office
    r"盲道\S{0,6}(?:占|堵|挡|停|摆)|(?:占|堵|挡)\S{0,4}盲道|商铺|店铺|摊位|占道|路灯|井盖|市政|环卫|"
    r"社保局|人社局|医保局|税务|公积金|车管所|交警|政务大厅|政务服务中心"
)
_DISABILITY_MATTER = re.compile(
    r"歧视|瞎子|聋子|瘸子|哑巴|傻子|残废|装残疾|导盲犬|看不起残疾|(?:不让|不准|不许|不给)(?:我|俺|孩子|娃)?(?:上车|进门|进去|上学|入学|随班就读)|"
    r"看(?:我|俺|孩子|娃)(?:坐轮椅|拄(?:着)?拐|是(?:残疾|盲人|聋))"
)


def complaint_matter(text: str | None) -> str | None:
    """ "general" or "disability" when a complaint's own words say which line it belongs to, else None."""
    said = compact(text or "")
    if _GENERAL_MATTER.search(said):
        return "general"
    return "disability" if _DISABILITY_MATTER.search(said) else None


def misunderstood_again(text: str | None) -> bool:
    """True when the resident says the bot got it wrong again ("又说错了", "还是不对", "说了三遍了")."""
    return bool(text) and bool(_AGAIN_WRONG.search(compact(text or "")))


def is_grievance(text: str | None) -> bool:
    """True when an angry message is about something that already happened (not a wish to apply now)."""
    return bool(text) and bool(_GRIEVANCE.search(re.sub(r"\s+", "", text or "")))


# Softer signs: a complaint unless the message asks where to go with it (the petitions / hotline answer fits then).
_SOFT_COMPLAINT = re.compile(
    _words(
        rf"找了\S{{0,4}}{_COUNT}\S{{0,2}}(?:次|回|趟|遍) 跑了\S{{0,3}}{_COUNT}\S{{0,2}}趟 跑断腿",
        "没人理 推来推去 扯皮 瞎扯 没人办 不给办 拖着不办",
        r"(?:申请|等|拖|办)了\S{0,4}(?:半年|一年|好几个月|几个月|好久)\S{0,6}(?:没|不)",
        r"(?:补贴|钱|低保)\S{0,4}(?:被)?\S{0,2}(?:砍|扣|停|取消)了 扣了\S{0,4}(?:补贴|钱|低保) 上访",
        # A story of tries that came to nothing ("打了三次电话了没人管"), a wish to report it ("我要反映"), others
        # got it and we did not, work done badly: a grievance unless it asks whether or where.
        rf"{_COUNT}(?:次|回|遍|趟)\S{{0,6}}(?:都|也|还|了)?没(?:人)?(?:管|理|接|回|办|信儿|下文)",
        rf"{_ME}要反映 反映反映",
        rf"(?:别人|别的|人家|隔壁|邻居)\S{{0,10}}(?:都|就|倒)?(?:发|给|有|办|批|评)(?:了|上了)\S{{0,10}}{_ME}\S{{0,10}}(?:没|不)",
        r"(?:修|装|改|做|配|弄)(?:完|好)\S{0,10}(?:就|又)(?:坏|裂|漏|塌|掉|不能用)",
        _FAILED_SERVICE,
        # Work paid for and useless ("坡道修得太陡 轮椅根本上不去 钱都白花了"); a concession refused ("不给减").
        r"(?:钱|补贴|改造费)\S{0,2}(?:都|全|算是)?白花了 (?:修|装|改|做|配)得\S{0,3}(?:太陡|太窄|太高|没法用|不能用)",
        r"(?<!给)不给(?:减|免|优惠|打折) (?:还|又|就)(?:骂|吼|凶|训)(?:我|俺|人|孩子|娃)",
        # Turned away ("保安死活不让进", "学校不收俺娃"), refused on sight, still waiting.
        r"(?:不让|不准|不许|死活不让|不给)(?:我|俺|孩子|娃|俺娃|我们|俺们)?(?:进|上车|上学|入学|随班就读|入园|进门)",
        r"不收(?:我|俺)?(?:家)?(?:孩子|娃)",
        r"一看(?:我|俺|孩子|娃)?是残疾\S{0,6}就 到底(?:什么时候|啥时候|多会儿)",
        # Staff out of reach for a long time, or asked and ignored ("俩月不回电话", "找了街道也不理"); passed on
        # ("说不归我们管"); "到底谁管".
        rf"{_COUNT}\S{{0,2}}(?:个月|天|周|星期|礼拜|年)\S{{0,3}}(?:都|也|还)?(?:不|没人)(?:接|回|理|管(?!用))",
        r"(?:找|问|求|叫|打给)了?\S{0,8}(?:也|都)(?:不|没人?)(?:理|搭理|管(?!用)|回|办)(?!法)",
        r"说\S{0,12}不归\S{0,4}管 (?:到底|究竟)谁(?:来)?管",
        # Turned out because of the disability ("听说俺是盲人 就不租给俺了"), a deposit kept.
        r"(?:知道|听说|看到|发现|一看|见)\S{0,8}(?:是|有)\S{0,6}(?:残疾|残废|盲人|聋|哑|瘸|精神病|智障)\S{0,8}就",
        r"赶(?:我|俺|咱)?(?:们)?(?:出去|出门|走人|出来) 押金\S{0,3}不(?:退|给)",
        # round 9: runs back and forth ("来回跑了七八回"), a benefit stopped without a word, a promise kept waiting,
        # nobody reachable, others approved and not us, work left half done, money taken, papers lost by staff
        rf"来回跑了\S{{0,3}}{_COUNT} 跑了\S{{0,3}}{_COUNT}\S{{0,2}}(?:回|次|遍)",
        r"说(?:停|取消|砍|扣|没)就(?:停|取消|砍|扣|没) (?:也|都|连个)?不(?:通知|告诉|说)(?:一声|一下)",
        r"(?:一句|连个|一个)(?:解释|说法|通知|回话|准话)(?:都|也)?(?:没有|没|不给)",
        r"(?:一点|一丁点|啥)?动静(?:都|也)?没(?:有)? 没(?:有)?动静 没信儿",
        r"(?:都|全|一直|老是|总是)占线 电话\S{0,6}(?:打不通|没人接)",
        r"(?:每次|每回|老是|总是|回回)\S{0,8}说\S{0,4}(?:不在|出差|开会|下乡|没空|等通知)",
        rf"(?:别人|人家|邻居|隔壁)\S{{0,8}}(?:能|都|就)\S{{0,3}}(?:评|批|办|领|拿|给)(?:上|到|了)\S{{0,10}}{_ME}\S{{0,6}}(?:就|却|咋|怎么)?(?:不|没)",
        r"凭(?:什么|啥|甚)\S{0,12}(?:就|却|偏偏)?(?:不|没)(?:给|让|批|评|办|行|要)",
        r"(?:修|装|改|做|干|铺)(?:了)?一半\S{0,6}(?:没人管|就不管|不来了|跑了|停了|撂下|扔下) 没人管了",
        r"收了(?:我|俺|咱)(?:的)?\S{0,6}(?:块|元|钱) (?:加急费|跑腿费|材料费|服务费|茶水费)",
        r"(?:把|给)(?:我|俺|咱)(?:的|家的)?\S{0,6}(?:材料|档案|申请表|资料|证)\S{0,2}(?:弄丢|搞丢|丢了|弄没了)",
        r"(?:找|问|叫|催)\S{0,8}(?:也|都)(?:不|没人?)(?:换|退|修|给|赔)",
        r"(?:看|见|瞅)(?:我|俺|孩子|娃)\S{0,8}(?:拄拐|坐轮椅|是盲人|看不见|听不见|是残疾|瘸)\S{0,4}(?:就|都)(?:不|没|走|开走|关)",
        r"(?:司机|售票员|保安|店员|服务员|门卫)\S{0,12}(?:不停车|拒载|不拉|不让上|不让进)",
        # round 9, second set: tries counted ("去了五次"), shouting, ignored, others have it and we do not, no reason
        # given, a verdict not accepted, a gift expected, months of running
        rf"(?:去|跑|找|来)了\S{{0,2}}{_COUNT}\S{{0,1}}(?:次|回|趟|遍) 每次都说 每回都说",
        r"(?:为啥|为什么|凭啥|凭什么)\S{0,4}(?:别人|人家)\S{0,8}(?:都|能)\S{0,6}(?:我|俺)(?:家|们)?\S{0,3}(?:没|不)",
        r"(?:也|都)不(?:说|告诉|讲)(?:为啥|为什么|原因|一声) 弄没了 不服 还没办下来 还没批下来",
        r"跑了\S{0,2}(?:半年|一年|大半年|好几个月|几个月)",
        r"(?:不满意|很不满|非常不满)\S{0,4}(?:你们|处理|结果|答复|服务|态度)|(?:对|跟)\S{0,8}(?:处理|答复|结果)\S{0,4}不满意",
        r"差评",
        # Harm denied by whoever did it ("问他们还不承认"), and a demand that someone take it up ("这事必须有人管").
        r"(?:还|也|都|死活|就是)不承认 (?:必须|总得|得|总要|必需)有人(?:管|出来管|负责)",
        # round 11: called names to their face, turned away with a guide dog or a wheelchair, driven past on sight,
        # sent back again and again, no word for months, told "not our business"
        r"(?:说|骂|叫|笑话|嘲笑|讥笑|挖苦|喊)\S{0,6}(?:是)?(?:傻子|瞎子|聋子|瘸子|残废|废物|哑巴|神经病|疯子|白痴)",
        r"(?:不让|不准|不许|不给)(?:我|俺|孩子|娃|我们|俺们)?(?:带|牵)\S{0,4}(?:导盲犬|狗|轮椅|拐)\S{0,2}(?:进|上)",
        r"(?:看|见|瞅)(?:我|俺|孩子|娃)\S{0,8}(?:拄拐|坐轮椅|是盲人|看不见|听不见|是残疾|瘸)\S{0,2}(?:直接|立马|扭头|转身|一脚油门)",
        rf"(?:第[二三四五六七八九十几]|{_COUNT})\S{{0,1}}(?:回|次|趟)了\S{{0,10}}(?:又|还)",
        r"(?:又|还)说\S{0,4}(?:不全|不对|不行|缺)",
        r"(?:一点|一丁点|连个)?(?:信儿|消息|音信|回音)(?:都|也)?没(?:有)?",
        r"(?:申请|等|交|报)\S{0,8}(?:大半年|半年|一年|好几个月|几个月|俩月|两个月|仨月|三个月)了",
        r"(?:说|就说)(?:不管|管不着|没办法管|没法管)",
        r"(?:材料|档案|申请表|资料|证)\S{0,2}(?:被|让|叫)\S{0,4}(?:弄丢|搞丢|丢了) 连个人影(?:都|也)?没",
        r"嫌(?:我|俺|孩子|娃|我们|俺们)\S{0,6}(?:慢|笨|麻烦|脏|事多|啰嗦|烦)",
    )
)
_ASKS_WHERE = re.compile(
    r"(?:怎么|咋|如何)(?:申请|复核|复查|申诉|重新|办|弄)|(?:再|重新|想|要|准备)申请|想知道|想问|请问|怎么上访|怎么信访|如何|去哪|找谁(?![也都])|哪里|哪个部门|怎么反映|能不能|(?<!不)能进|有没有|咋办|怎么办|能不|能申请|咋整|渠道|途径|"
    r"是不是|会不会|万一|要是|如果|假如|能\S{0,3}吗|(?:能|可以|行|中)\S{0,3}不(?:[？?。]|$)|对不对|合法|违法|合理|有什么规定"
)
# A question put as a condition ("要是…有没有人管"): asked in general, not a complaint.
_CONDITIONAL_ASK = re.compile(r"^\S{0,3}(?:要是|万一|如果|假如|假设)[^。！!]*(?:吗|咋办|怎么办|有没有|[？?]|去哪|找谁)")
# Discrimination is a complaint when it happened to the speaker or their family ("单位歧视我"),
# a policy question when asked in general ("就业歧视怎么维权").
_DISCRIMINATION = re.compile(r"歧视|区别对待|不公平")
_SPEAKER = re.compile(r"我|俺|咱|孩子|娃|儿子|闺女|女儿|爸|妈|爹|娘|老伴|媳妇|丈夫|老公|家")
_GENERAL_ASK = re.compile(r"怎么维权|找谁|去哪|哪个部门|有什么规定|有什么政策|法律|规定")

_PERSON = re.compile(
    _words(
        "(?:转|接|找|要|叫|换|来|整)(?:个|一个|位)?(?:人工|真人|活人|客服|工作人员|接线员|坐席)",
        r"人工(?:服务|客服|坐席) 转人工 真人(?:客服|服务|来|说|聊) ^\W*(?:找人)?(?:人工|真人|活人)\W*$ 接线员",
        "找个人(?![照看陪护伺做干帮给]) 工作人员来",
        r"不想跟机器 不跟机器 不要机器 别用机器 机器人\S{0,4}(?:听不懂|没用|不行) 叫\S{0,4}工作人员",
        "(?:接|转|拨|连|联系|找)(?:通|一下|给我)?(?:12385|12345) (?:帮|给)(?:我|俺)打(?:一下|个)?(?:12385|12345)",
        "(?:我|俺)(?:要|想|得)(?:打|拨)(?:个|一下)?(?:电话)?(?:给)?(?:12385|12345)(?![\\u4e00-\\u9fff]{0,4}(?:是|怎么|咋|几|多少|吗))",
        r"给我(?:接|转|拨|连)(?:通)?\S{0,4}(?:热线|电话|人)",
        "(?:找|叫|让|要见)(?:你们|一下)?(?:的)?(?:领导|负责人|主任|管事的|残联的人)",
        r"回(?:个)?电话 (?:给我|给俺)打(?:个)?电话 打(?:个)?电话给(?:我|俺) 来个电话",
        "(?:叫|找|来|派|要|换)(?:个|一个|位|一位)人(?:来|过来|吧|啊|呀|跟|和|说|$)",
        "(?:跟|和|同)(?:人|真人|活人|工作人员|人工|客服)(?:说|讲|聊|谈|唠|通话|打字)",
        "(?:跟|和)(?:你|机器|电脑|机器人)(?:说|讲|唠)不(?:明白|清楚|通)",
        "不(?:想|愿意|要)(?:跟|和)(?:你|机器|电脑|机器人)",
        "转接人工 找人工 要人工 (?:有没有|能转|可以转|能找)(?:个)?(?:人工|真人|活人)(?!耳蜗|关节|晶体|种植|授精)",
        r"约\S{0,2}工作人员 工作人员\S{0,6}(?:打电话|回电话|联系)(?:给)?(?:我|俺)",
        # Short and plain (deaf_l2, intellectual): "我要人帮", "俺要找人".
        r"(?:^|[。，,！!？?\s])(?:我|俺)(?:要|想|需要)(?:找)?(?:个)?人(?:帮(?:忙|我|俺)?|来)?(?=$|[。，,！!？?.\s])",
        r"(?i:real\sperson|human\sagent|(?:talk|speak)\sto\s(?:a\s|an\s)?(?:real\s)?(?:human|person|operator|agent))",
    )
)
# Inside an application form, a helper to fill it in is a person too ("你们派个人来帮俺填吧"); outside a form the same
# words are often a policy question about services done for the resident ("有人帮忙办残疾证吗").
_PERSON_IN_FORM = re.compile(
    r"(?:让|叫|找|派|要|来|换)(?:个|一个|位|一位)?(?:人|工作人员|真人|人工|客服|专人|懂的人|你们的人|残联的人|活人)"
    r"(?:来|过来)?(?:帮|替|给|跟|和|陪)?(?:我|俺|我们|俺们|咱)?(?:填|弄|办|整|说|讲|打电话|回电话|打个电话|回个电话|联系)|"
    r"(?:有|接)(?:个)?(?:人工|真人|活人)(?!耳蜗|关节|晶体|种植|授精)"
)
# "不用转人工", "别找人了": no person wanted.
_NO_PERSON = re.compile(r"(?:不用|不要|别|不需要|甭)(?:转|找|叫|让|派|麻烦)\S{0,2}(?:人|工作人员|客服)")
# "你是真人吗", "你叫啥名": a question about the assistant, answered honestly (not a request, unless it asks for one).
_ASKS_IF_HUMAN = re.compile(
    r"(?:你|您)(?:是不是|是)(?:个|一个)?(?:真人|活人|人|机器人|机器|AI|人工智能)(?:吗|吧|啊|不|么|呀|呢|还是|[？?]|$)|"
    r"(?:(?:你|您|你们)(?:这个)?(?:机器人|助手|程序)?|机器人|助手|这个程序)(?:是)?(?:谁|哪家公司|哪家|哪个公司|哪个单位)"
    r"(?:做|开发|弄|搞|造|编)的|"
    r"(?:你|您)(?:是谁|是哪里人|是哪儿人|是男的|是女的|叫(?:啥|什么|甚)(?:名|$)|多大了|几岁了?(?:[？?]|$))|"
    r"(?i:are you (?:a )?(?:real|human|bot|robot|person))"
)
_REQUEST_VERB = re.compile(
    r"转|接|找|叫(?!(?:啥|什么|甚)(?:名|$))|换|来个|要(?:个|一个)?(?:人|真人|人工)|跟(?:人|真人)"
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
    said = compact(text)
    # a homophone repair is read without the discrimination test ("渐退期是" sounds like 歧视)
    return _complains(text) or _complains(said) or _complains(repair(text, _SOUND_WORDS), discrimination=False)


def _complains(text: str, discrimination: bool = True) -> bool:
    if _CONDITIONAL_ASK.search(text) and not re.search("投诉|举报", text):
        return False
    if _COMPLAINT.search(text) or (_SOFT_COMPLAINT.search(text) and not _ASKS_WHERE.search(text)):
        return True
    return discrimination and bool(
        _DISCRIMINATION.search(text) and _SPEAKER.search(text) and not _GENERAL_ASK.search(text)
    )


def compact(text: str) -> str:
    """The text without spaces between Chinese characters ("我 要 找 人": written sign-language order, dictation)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def wants_person(text: str | None, in_form: bool = False) -> bool:
    """True when the resident asks for a person or a hotline to be put through ("转人工", "给我接12385", "叫个人来");
    `in_form`: inside an application form, where a helper to fill it in is a person too ("派个人来帮俺填")."""
    if not text:
        return False
    said = compact(text)
    if _NO_PERSON.search(said):
        return False
    if in_form and _PERSON_IN_FORM.search(said):
        return True
    return bool(_PERSON.search(said) or _PERSON.search(repair(text, _SOUND_WORDS)))


def asks_if_human(text: str | None) -> bool:
    """True for "你是真人吗", "你叫啥名" without asking for a person: answered honestly (a program), with the way to
    one."""
    said = compact(text or "")
    return bool(_ASKS_IF_HUMAN.search(said)) and not _REQUEST_VERB.search(said)


def asked_line(text: str | None) -> str | None:
    """The hotline the resident asked to be put through to (12385 / 12345), if they named one."""
    found = _LINE.search(text or "") if wants_person(text) else None
    return found.group(0) if found else None


# A complaint that tells of someone hurt ("托养中心的人打了孩子 胳膊都青了 要讨个说法"): say where to go for that too.
# "打了好几次电话" is a call, not a blow.
HURT = re.compile(
    r"打了(?![^，。,.！!？?]{0,6}(?:电话|没人接|没接|不接|占线|热线))|打伤|打得|虐待|家暴|动手|推倒|受伤|伤着"
)
HURT_ADVICE = "有人动手打人、伤了人，可以打110报警；受了伤请先去医院看看，留好病历。"


def tells_of_harm(text: str | None) -> bool:
    """True when a complaint tells of someone hit or hurt (the police and a doctor are named too)."""
    return bool(HURT.search(text or ""))
