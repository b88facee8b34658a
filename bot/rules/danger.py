"""Danger to life or safety: recognised by rules (a safety net that never depends on the model).

`assess(text)` says which kind of danger a message speaks of (self-harm, violence, a fall, fire …), or None.
Patterns allow words in between ("被我哥拿棍子打得满头是血"). Everyday uses of the same characters (打电话, 打疫苗,
笑死了, 火车票, 补贴被砍了) are removed before matching, and a danger named only inside a condition ("要是着火了咋办",
"万一摔倒了起不来怎么办"), asked about in general ("残疾人被虐待了找哪个部门") or long past is a policy question, not
an emergency. What the bot then says is in bot/rules/danger_replies.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.rules.danger_replies import EMERGENCY_FOLLOW_UP, EMERGENCY_MESSAGE
from bot.rules.sounds import literal_words, repair

__all__ = ["EMERGENCY_FOLLOW_UP", "EMERGENCY_MESSAGE", "Danger", "assess", "is_danger", "is_hypothetical"]

MAX_CHARS = 2000  # rules look at the first 2,000 characters only (the gateway bounds messages before this)


def _words(*lines: str) -> str:
    """Regex alternatives written one after another, separated by spaces (several lines allowed)."""
    return "|".join(word for line in lines for word in line.split())


def _group(*lines: str) -> str:
    return f"(?:{_words(*lines)})"


_KIN = _group(
    "我 俺 咱 他 她 人 老人 孩子 娃 儿子 闺女 女儿 姑娘 小子 爸 妈 爹 娘 爷爷 奶奶 姥姥 姥爷",
    "外公 外婆 老伴 老头 老太太 老婆 媳妇 丈夫 老公 男人 哥 弟 姐 妹 叔 婶 舅 姨 侄 孙 邻居 家里人",
)
_THINGS = _words("证 卡 本 钱 单 表 材料 手机 钥匙 东西 工作 地方 人工 号 密码 信 补贴 文件")
_DAILY_DA = _group(
    "零工 短工 工 针 疫苗 吊瓶 点滴 胰岛素 车 扫 听 算 扰 开 印 折 卡 字 麻将 牌 球 包 款 钱 分 发 回",
    "官腔 太极 哈哈 交道 招呼 比方 游戏 架子 底 光棍 呼噜 喷嚏 哈欠 嗝 盹 水 饭 酱油 趣 造 通 理 点 磨 样 拼 仗",
)

# Everyday uses of danger characters, removed before matching.
_EVERYDAY = re.compile(
    _words(
        r"打.{0,6}(?:电话|手机|座机|号码|热线|老年机|小灵通|微信|视频) 打(?!11[09]|12[02])\d{3,}",
        "打(?:我|他|她)?(?:这个|这个号|那个号)",
        r"打的(?![^。！？!?，,]{0,8}(?:折|断|青|紫|肿|血|伤|破|骨|疼|晕|起不来))",  # a taxi, unless an injury follows
        f"打{_DAILY_DA}",
        r"(?:笑|累|气|烦|热|急|困|馋|美|乐|羡慕|吓|忙|饿|渴)死(?:了|我|人|啦) 想死(?:你|您|我)了",
        "火车 火锅 火腿 火柴 发火 上火 火化 火葬 火候 火气 火爆 火热 火速 炉火 灯火 烟火 鞭炮",
        r"(?:补贴|钱|工资|名额|低保|指标|额度|待遇|经费|预算|项目)\S{0,4}被\S{0,2}砍 砍价 砍柴 砍树",
        "救命稻草 救命钱 救命药 打官司 找着活 找到活 找活 干活 农活 拉倒",
        r"(?:被)?锁(?:在)?(?:门外|外面|外头) 把自己(?:锁|关)(?:在)? 防走失 防走丢",
        # 日子过不下去: hard up (not 活不下去)
        r"打不(?:开|通|着|上|了) 自杀率 防自杀 预防自杀 过不下去",
        r"(?:记住|记|背|教|认识|知道)\S{0,10}报警(?:电话|号码) 报警(?:电话|号码)\S{0,2}(?:是多少|是几|多少)",
        r"轮胎漏气 车胎漏气 轮椅.{0,4}漏气 摔了一跤以后 摔伤以后 摔伤后",
        r"(?:冲|对|朝|给)(?:我|俺|咱|人|我们|俺们)\S{0,3}翻白眼 翻白眼\S{0,3}说",  # scorn, not a fainting fit
    )
)

_SELF_HARM = _words(
    r"自杀 轻生 寻短见 寻死 不想活 不活了 活不下去 活着(?:没|有啥|有什么|还有啥|还有什么)?\S{0,2}意思",
    "活着没劲 活够了 不如死了 死了算了 死了得了 死了干净 一死了之 一了百了",
    "(?:我|俺)(?:还不如|干脆|想)?去死 想死 割腕 跳楼 跳河 上吊 卧轨 了结(?:自己|我自己|这条命)",
    "结束(?:自己的|我的)?生命 不想再?醒来 活着就是(?:个)?拖累 遗书 交代后事 活腻 活着遭罪 活着受罪 死了拉倒",
    r"活着(?:就是|也是|纯粹是?|都是)?\S{0,2}(?:浪费粮食|浪费|多余|白费) (?:我|俺)(?:就是|是)?(?:个)?多余的人?",
    r"(?:想|要|准备|偷偷)喝药 喝了药 跳崖 跳井 抹脖子 这条命不要了 (?:我|俺)(?:就是|是)?\S{0,4}(?:累赘|废人一个)",
    r"(?:吃|吞)了\S{0,4}(?:安眠药|一瓶药|一把药|半瓶药|好多药) 买了\S{0,4}安眠药",
    r"想去找\S{0,4}(?:老伴|我妈|我爸|俺娘|俺爹)",
    # round 9: the end wished for in other words ("想结束这一切", "不想再睁开眼", "割了手腕", "从窗户跳下去")
    r"结束(?:这|这个)?一切 了此残生 不想(?:再)?(?:睁开?眼|醒|醒过来) 割(?:了|破)?\S{0,2}(?:手腕|腕子|动脉|脉)",
    r"(?:从|往)\S{0,6}(?:窗户|窗台|阳台|楼上|楼顶|房顶|桥上|桥)\S{0,3}跳(?:下去)?",
    r"(?:想|要|准备|打算|这就)\S{0,6}跳下去",
    r"(?:我|俺)死了\S{0,10}(?:没人嫌|不拖累|不用受罪|就清净|就解脱|就好了|就干净|省心)",
    r"(?:遗书|遗言|遗嘱|给\S{0,6}的信)\S{0,3}(?:写好|留好|写完|留下)了",
    r"(?:准备|备)(?:了|好)\S{0,3}(?:一瓶|一把|一堆|好多|一包|一大把)(?:药|安眠药|农药|药片)",
    r"(?:今晚|今天|今夜|这就|马上|待会|一会儿?)\S{0,4}(?:全|都|一次|一把)(?:吃|吞|喝)(?:下去|了|掉|光)",
    # The one who died named first, then "想去找她/陪他" ("老伴也走了 想去找她了"); a threat to die ("死给你们看").
    r"(?:老伴|老头子?|老婆|媳妇|丈夫|我妈|我爸|俺娘|俺爹|孩子)\S{0,4}(?:走了|没了|去世了?|不在了|过世了?)"
    r"[^。！？!?]{0,12}(?:想|要)(?:去)?(?:找|陪)(?:她|他)(?:了|去了|算了|得了)",
    r"死给(?:你们|你|他们|大伙)看",
    r"(?:我|俺)(?:在|到)\S{0,2}(?:楼顶|天台|房顶|桥上|桥边|河边|江边|楼边|窗台)\S{0,8}(?:不想|不回|最后|再见|别找|对不起|跳)",
    r"(?:想|要|打算)(?:今晚|今天|今夜|明天|这就|马上)就?结束",
    r"(?:想|要|准备|打算)把\S{0,4}药\S{0,2}(?:全|都|一次)?(?:吃|吞|喝)(?:了|光|掉|下去) (?:吃|吞|喝)\S{0,4}睡过去",
    # round 11: a farewell sent, then no answer ("发微信说对不起妈妈 再打电话就不接了")
    r"(?:说|发|留)\S{0,6}(?:对不起|永别|下辈子|照顾好(?:自己|你|妈|爸|孩子)|别找(?:我|俺)|不用找(?:我|俺)|最后一(?:次|回))"
    r"[^。！？!?]{0,24}(?:不接|打不通|联系不上|关机|不回|没回|找不到人|找不着人|电话\S{0,2}·)",  # 打不通 is blanked
    r"(?:站|坐|爬)(?:在|到|上)\S{0,2}(?:楼顶|天台|房顶|桥上|桥边|河边|楼边|窗台)",
    r"(?:绳子|绳儿)\S{0,4}(?:准备好|备好|买好|拴好)",
    r"一觉睡过去 睡过去\S{0,4}不(?:再)?醒",
    r"(?:攒|藏|存)(?:了|下|着|好)?\S{0,8}(?:安眠药|药片|药) 药\S{0,4}(?:攒|藏|存)(?:起来|下来|够|好|了)",
    r"(?:安眠药|药片)[^。！？!?]{0,10}(?:攒|藏|存)(?:起来|下来|够了|好了)",
    r"(?:今晚|今夜|今天|明天|待会|等会|一会儿?|这就|马上|想好了)\S{0,4}(?:就|要)?(?:喝|吃|吞)\S{0,4}(?:农药|药|敌敌畏|百草枯|老鼠药)",
    r"(?:今晚|今夜|这就|马上)就?(?:吞|喝|吃)了(?:它|这些|这瓶|那瓶|那些) 药\S{0,4}(?:准备好了|备好了|都备齐了)",
    # Putting affairs in order as a farewell: savings, deeds, keys given away "for good" (以后用不着了).
    r"(?:存折|房本|房产证|存款|银行卡|钥匙|后事)\S{0,30}(?:以后|往后)(?:都|也|再)?用不着了",
    r"(?:后事|身后事)\S{0,2}(?:都)?(?:安排|交代|料理|准备|想)好了",
    r"(?:我|俺)(?:走了|死了|不在了|没了)\S{0,10}(?:轻松|省心|清净|解脱|好过|省事)",
    r"(?:谢谢|感谢)你们这些年\S{0,12}(?:再见|永别|最后|用不着|不在了)",
    # Taking a dependant along ("想抱着他一起走算了", "带着孩子一块儿死了得了"): self-harm, and the child in danger.
    r"(?:抱着|带着|领着|搂着|拉着|跟|和)\S{0,6}一(?:起|块儿?)(?:走(?:了)?(?:算了|得了|拉倒|了之)|去死|死(?:了)?(?:算了|得了)?"
    r"|跳|喝药|了结|解脱)",
)
# Softer signs of despair: danger unless the same message asks for a service (a policy question).
_SOFT = re.compile(
    _words(
        "不想(?:再)?拖累 想不开 撑不下去 撑不住了 熬不下去 熬不动了 没活路 没法活 没什么盼头 没盼头 不想再?麻烦你们",
        # round 9: nothing left to live for, a wish to be free of it all, a farewell, being a burden
        r"没(?:什么|啥|甚)(?:可|好|值得)?留恋 了无牵挂",
        r"(?:想|要|求)(?:个)?(?:解脱|一了百了) 撑不到 熬不到(?:明天|天亮|过年)",
        r"不如不在了 不如走了算了 没(?:有)?(?:我|俺)\S{0,6}(?:过得更好|更好|轻松|省心|清净)",
        r"活着\S{0,4}(?:添负担|添麻烦|拖累人|给\S{0,4}添) 再也不(?:回来|见)了? 以后就(?:靠|拜托|交给)你们了",
        r"省得\S{0,6}(?:添麻烦|拖累|受累|遭罪)",
        # A farewell: nobody will have to look after me any more; where the savings are kept.
        r"(?:以后|往后|今后)(?:你们|您们|大伙|家里人)?(?:就|都|也)?(?:不用|用不着|不必|别)(?:再)?(?:照顾|伺候|管|操心|惦记)(?:我|俺)",
        r"(?:存折|存款|银行卡|房本|房产证)\S{0,3}(?:在|放在|搁在?|压在)\S{0,6}(?:柜子|抽屉|枕头|箱子|床底|褥子)",
        # round 11: someone depressed who has stopped answering
        r"活得(?:太|好|真|实在)?累",
        r"(?:抑郁|想不开|轻生)[^。！？!?]{0,40}(?:不接|打不通|联系不上|关机了|不回(?:消息|微信|电话))",
    )
)
_ASKS_SERVICE = re.compile(
    _words("申请 补贴 养老院 托养 护理 救助 能办 办理 有没有 政策 服务 去哪 哪里 哪儿 能不能 可以")
)

_WATER = "(?:水里|河里|湖里|江里|塘里|池塘|水塘|水坑里|井里|水库|冰窟窿|水沟里|河沟里?|沟里|渠里|水渠)"

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("self_harm", _SELF_HARM),
    (
        "weapon",
        _words(
            "(?:拿|拎|举|握|提|抄|抡|挥|持|攥|抓|揣|舞)(?:着|起)?(?:把|一把|个|根|一根|块|一块|那个|这个|那把|这把|那根|这根)?"
            "(?:菜刀|刀|斧子|斧头|剪刀|剪子|刀子|镰刀|匕首|水果刀|锤子|砖头|铁锹|棍子|棒子|酒瓶子?|啤酒瓶|"
            "烧火棍|擀面杖|火钳|铁棍|木棍|钢管|铁管|扳手|板凳|凳子)",
            "动刀 要砍 要杀 砍人 杀人 捅人 要打死",
            r"(?:犯病|发病|发疯|疯了|犯了病)\S{0,8}(?:打人|砸|伤人|动手|见人就)",
        ),
    ),
    (
        "violence",
        _words(
            r"被\S{0,10}?(?:打|揍|砍|捅|扎伤|踹|踢|掐|殴打|推倒|打伤|虐待|家暴|强奸|性侵|欺负得)",
            r"(?:让|叫|给)(?:人|他|她|俺|我|儿子|男人|老公)\S{0,6}?(?:打|揍|砍|捅|踹|踢)(?:了|得|伤|破|坏)",
            "头破血流 满脸是血 满头是血 一身血 流了好多血 血流不止 流血不止 往死里打 打死人",
            r"(?:打|抽|揍|踢|踹|砸)(?:得|的)\S{0,8}(?:流血|出血|淌血|是血|是伤|骨折|折了|断了|青|紫|肿|住院|下不了床|起不来|半死|头破|晕)",
            rf"{_KIN}\S{{0,6}}(?:打|揍|殴打|打骂|踹|踢|掐|虐待)(?:了|过)?{_KIN}",
            "家暴 虐待 强奸 性侵 救命 快来人 救救",
            # round 9: a blow and the injury it left ("又动手了 脸上全是血", "扇我妈耳光 嘴角出血了")
            r"(?:动手|动了手|打(?:我|俺|人|他|她|孩子|娃)|揍|扇|抽(?:我|俺|他|她|孩子)|踢|踹|掐|推(?:我|俺|他|她)|撞|拿\S{0,4}砸)"
            r"[^。！？!?]{0,16}(?:全是血|一脸血|是血|出血|流血|冒血|淌血|见血|磕破|打破|破了|青了|紫了|肿了|肿得|骨折|断了|"
            r"口子|划破|划伤|大包|打掉|打断|打瞎|打聋)",
            r"(?:弄死|整死|砍死|杀了|掐死|捅死|宰了|打死)(?:我|俺|你|他|她|我们|俺们|我妈|我爸|俺娘|俺爹|孩子|娃)",
            r"把(?:我|俺|他|她|孩子|娃|老人|我妈|我爸|俺娘|俺爹)\S{0,8}推(?:倒|下来|下去|下楼)",
            r"(?:拽|扯|抓)(?:着|住)(?:我|俺)\S{0,6}(?:不放|不撒手|不松手)",
            r"砸门 踹门 撬门 (?:掐|勒)\S{0,3}脖子 (?:烟头|开水|烙铁)\S{0,2}烫(?:我|俺|他|她|孩子|娃)",
            r"(?:皮带|鞭子|棍子|板子|衣架|擀面杖|扫帚)\S{0,3}(?:抽|打)(?:我|俺|他|她|孩子|娃)",
        ),
    ),
    (
        "confinement",
        _words(
            r"关起来 (?:关|拴)在\S{0,6}(?:屋|家|房|笼|地下室|柴房|院|棚|圈) 锁在\S{0,6}(?:家|屋|房|院|里)",
            r"被锁 被关 锁起来 拴起来 铁链 绑起来 捆起来 不让\S{0,4}出门 关了好几天 关了\S{0,3}(?:天|个月)",
            r"(?:链子|绳子|铁链)\S{0,3}(?:拴|锁|捆|绑)(?:在|着|住) 反锁(?:在)?\S{0,6}(?:出不去|出不来|不让)",
            r"(?:锁|关)(?:在)?\S{0,4}(?:屋|家|房|院|笼|棚)里 不给(?:饭吃|吃的|吃饭|水喝)",
            r"把(?:我|俺|他|她|孩子|娃|老人|我妈|我爸|俺娘|俺爹)\S{0,4}(?:关|锁|反锁)(?:在|到|进)",
        ),
    ),
    (
        "seizure",
        _words(
            r"(?:抽搐|抽风|抽羊角风|癫痫|羊角风|羊癫疯)\S{0,10}"
            "(?:不停|停不下|止不住|一直|还在抽|没停|好几分钟|十几分钟|半天|没醒|叫不醒|醒不过来|不省人事|口吐白沫|发作了|犯了)",
            r"口吐白沫 吐白沫 冒白沫 嘴里冒沫 一直在抽 抽个不停 还在抽 一直抽 抽了\S{0,4}(?:分钟|半天|好久|半个钟头)",
            r"抽\S{0,8}(?:还不停|停不下|不停了?$|止不住) 嘴(?:里|角)\S{0,3}(?:白沫|沫子|吐沫)",
        ),
    ),
    (
        "fall",
        _words(
            r"(?:摔|跌|栽|滑|绊)(?:倒|了|下|到)\S{0,10}"
            r"(?:起不来|爬不起来|站不起来|动不了|不能动|没人|叫不醒|没反应|昏|流血|出血|骨折|头破|头\S{0,2}流|一直流)",
            r"(?:轮椅|三轮|车子)\S{0,3}(?:翻|倒|歪)了\S{0,24}(?:起不来|爬不起来|动不了|出不来)",
            r"(?:摔|跌|栽|滑|滚|掉)(?:下来|下去|下|倒)了?\S{0,14}"
            r"(?:上不去|回不去|起不来|躺着不动|不动了|不吭声|不对劲|变形|弯得|骨头|肿得|一直流血|流了好多血|够不着|喊不应|叫不应)",
            r"倒地\S{0,3}(?:不动|不起|起不来|没反应|不醒|昏迷|不吭声)",
            r"(?:后脑勺|脑袋|头)(?:先)?着地 (?:摔|跌|栽|掉)(?:下来|下去|倒|了)\S{0,14}(?:吐了|呕吐|犯迷糊|不认人)",
            r"(?:摔|跌|栽|滑)(?:在|到|倒在)\S{0,6}(?:院|外面|外头|路上|雪|冰|地)\S{0,14}(?:起不来|爬不起来|动不了|站不起来)",
            r"倒在地上 倒地上 起不来了 爬不起来 (?:躺|趴|坐|倒)在?地上\S{0,6}(?:起不来|动不了|不动|没反应)",
            r"(?:摔|跌|栽)\S{0,4}(?:地上|沟里|炕下|床下)\S{0,6}(?:起不来|动不了|不动|没反应|起不了)",
            r"掉(?:到|在)?(?:地上|地下|炕下|床下)\S{0,6}(?:起不来|动不了|不动|没反应|起不了|不答应)",
        ),
    ),
    (
        "cold",
        _words(
            r"冻(?:得|的|僵|坏|伤|晕|麻)\S{0,8}(?:起不来|动不了|不行|没知觉|说不出话|不会动) 冻僵",
            r"(?:外面|外头|路上|路边|雪地|雪里|冰上|门外|院里|街上)\S{0,8}(?:起不来|爬不起来|动不了|一宿|一夜|冻)",
            r"冻了\S{0,3}(?:宿|夜|晚上|小时|钟头) 轮椅\S{0,4}(?:翻|倒|陷)\S{0,8}(?:起不来|外面|雪|冰|沟)",
            r"零下\S{0,6}度\S{0,16}(?:只穿|就穿|光穿|没穿|穿着?单|跑出去|在外|外头|外面|找不着|没找着|找不到)",
            r"(?:只|就|光)穿(?:个|着|了)?(?:秋衣|秋裤|单衣|裤衩|背心|拖鞋|睡衣)\S{0,12}(?:跑|出去|出门|在外|外头|外面|雪)",
            r"冻得\S{0,6}(?:哆嗦|发抖|打颤|打摆子)\S{0,12}(?:不听使唤|动不了|下不去|起不来|说不出话|没知觉)",
            r"(?:下不去|起不来|动不了|瘫在)\S{0,14}冻得\S{0,4}(?:哆嗦|发抖|打颤|不行)",
            r"(?:跑|走|溜)(?:出去|出门)了?\S{0,16}(?:零下|冰天雪地|大雪|下着雪)",
            r"(?:穿着|只穿|就穿)\S{0,2}(?:睡衣|单衣|秋衣|拖鞋|裤衩)\S{0,8}(?:跑|出去|出门)",
            r"冻得\S{0,3}(?:僵|发紫|没知觉|不会动) (?:屋里|家里|屋子里?)\S{0,3}零下",
            r"(?:雪地|雪里|冰上)\S{0,12}(?:没知觉|冻僵|冻坏|冻伤)",
        ),
    ),
    (
        "trapped",
        _words(
            r"困在 被困 卡在电梯 (?:电梯|厕所|卫生间)\S{0,14}?(?:困|卡住|卡在|出不来|下不来|关在里面|关里面|人在里面)",
            r"(?:电梯|屋|厕所|卫生间)里\S{0,4}出不来 (?:电梯|厕所|卫生间)里\S{0,4}出不去",
            # in a lift that stopped ("我在电梯里 电梯停了 灯灭了 按钮没用"), not a broken lift in general
            r"(?:在|困在|关在|坐)电梯里\S{0,12}(?:停了|停住|不动了|卡住|卡了|坏了|灯灭|灯黑|黑了|门开不开|打不开|按钮没用|出不去)",
            r"电梯\S{0,3}(?:停了|不动了|卡住了|坏了)\S{0,12}(?:在里面|里面有人|关里面|出不去|门开不开|打不开|按钮没用|灯灭)",
            r"(?:塌|压|堵|埋)\S{0,16}(?:出不来|扒不开|拉不出来|救不出来)",
            r"(?:塌|压|埋)\S{0,16}(?:拽不出来|拉不出|抬不出来|弄不出来|扒不出来|搬不动)",
            rf"{_KIN}\S{{0,3}}(?:压在|埋在|砸在)\S{{0,4}}(?:底下|下面|下头|下边|里头|里面)",
            r"塌\S{0,10}(?:还在里面|还在里头|在里面|压着|埋着)",
            r"上不去(?:也)?下不来 (?:卡|困)在\S{0,6}(?:上不去|下不来|出不来)",
            r"(?:大水|洪水|发水|水)\S{0,3}(?:进屋|进家|进了屋|淹了屋|漫进)\S{0,12}(?:出不去|出不来|动不了|跑不了|走不了|下不来|起不来)",
        ),
    ),
    (
        "water",  # a person in the water: 110 and 120, pull out without going in
        _words(
            rf"(?:{_KIN}|连人带车|人)[^。！？!?]{{0,12}}(?:翻|掉|落|摔|栽|滑|跌|冲)(?:进|到|在|下|了)?\S{{0,3}}"
            rf"{_WATER}",
            rf"{_WATER}[^。！？!?]{{0,14}}(?:拉不上来|拉不出来|上不来|救不上来|捞不上来|沉下去|扑腾|没影了)",
            "溺水 淹着了 快淹死 要淹死了 呛水了",
        ),
    ),
    (
        "traffic",
        _words(
            "(?:马路|路|道|十字路口|路口|车道|公路|高速)(?:中间|当中|正中|当间|中央|正当中|上下不来)",
            r"(?:盲人|看不见|瞎|轮椅|拐杖|导盲)\S{0,20}(?:车来车往|车太多|车流|被车|困在路|下不了路)",
            r"(?:马路|路)上\S{0,6}(?:过不去|下不来|困住|动不了)",
            r"(?:过马路|过路口|横穿)\S{0,12}(?:不敢动|不敢走|动不了|走不了|按喇叭|车嗖嗖)",
            r"在(?:高速|国道|省道|快速路|公路|马路中间)上?\S{0,16}(?:没电|动不了|过不去|下不来|走不了|车\S{0,4}(?:呼呼|嗖嗖|飞快))",
            r"(?:铁道|铁轨|道口)\S{0,8}(?:卡|困|推不出来|动不了|出不来)",
            r"(?:卡|困|陷)(?:在|到)?\S{0,2}(?:铁道|铁轨|道口)",
            r"(?:上了|走到|走上|跑到|困在)\S{0,2}(?:国道|省道|高速|快速路|公路)\S{0,16}(?:车|不知道|过不去|下不来)",
            r"(?:盲人|看不见|瞎|轮椅)\S{0,30}(?:车\S{0,3}(?:开得|跑得)?(?:很|太|贼|老|飞|特别)快)\S{0,16}(?:不知道|往哪|过不去|不敢动)",
        ),
    ),
    (
        "missing",
        _words(
            rf"走丢(?!过) 走失(?!过) 失踪 失联 {_KIN}(?:(?!{_THINGS})\S)?丢了",  # not 我证丢了, not 走丢过 (once)
            r"(?:出去|出门)\S{0,10}(?:还没回来|没回来|没回家|找不到|找不着)",
            rf"{_KIN}(?:(?!{_THINGS})\S){{0,8}}?"
            "(?:(?<![看听])不见了|找不着了|找不到了|找不见了|联系不上|一宿没回|一夜没回|没回家|还没回来|跑丢|弄丢)",
            r"不知道(?:跑|去|走)(?:哪|哪儿|哪里)(?:去)?了",
            rf"{_KIN}\S{{0,14}}(?:没影了|没影儿了|坐错车|走迷了|迷了路|迷路了)",
            r"(?:痴呆|智障|自闭|孤独症|智力|糊涂|精神病|傻)\S{0,30}(?:还没回来|没回来|没回家|没找着|找不着|找不到|跑出去了|不见了|联系不上|电话也打不通)",
            r"(?:跑|走|溜)(?:出去|丢)了?\S{0,12}找了\S{0,3}(?:[一两俩三四五六七八九十几]|好几|\d+)\S{0,2}(?:小时|钟头|个钟)",
            rf"{_KIN}\S{{0,20}}(?:出去|出门|走了)\S{{0,12}}(?:没找着|没找到|找不着人|找不到人|没见着人)",
            r"(?:跑|走|溜)(?:出去|出门|丢)了?\S{0,30}找了\S{0,8}(?:没找着|没找到|没找见|找不着|找不到|也没见)",
        ),
    ),
    (
        "poisoning",
        _words(
            r"吃错(?:了)?药 药\S{0,4}吃多了 吃多了\S{0,2}药 多吃了\S{0,6}药 一下\S{0,2}吃了\S{0,6}(?:片|粒|瓶|盒)",
            r"喝(?:了)?\S{0,3}(?:农药|敌敌畏|百草枯|老鼠药|消毒液|洗衣液|汽油|84)",
            r"吃了\S{0,3}(?:老鼠药|耗子药) 误食 误服 中毒 药\S{0,4}吃错 拿错(?:了)?药 当成\S{0,8}(?:吃|喝)了",
            r"吃了\S{0,4}(?:半瓶|一瓶|一整瓶|一把|一板|好几片|十几片|几十片|一大把)",
            r"(?:喝|吃)(?:了)?\S{0,3}(?:洗洁精|洁厕灵|漂白水|除草剂|消毒水|防冻液|机油|干燥剂)",
            r"把\S{0,6}(?:洗洁精|洗衣液|消毒液|洁厕灵|农药|汽油|酒精|药|除草剂)\S{0,3}当\S{0,3}(?:喝|吃)了",
            r"药\S{0,12}(?:一次|一下子?|一口气)\S{0,2}(?:全|都)?(?:吃|吞|喝)(?:了|下去|光|完)",
            r"(?:吃|吞)(?:了|下)\S{0,2}(?:十|[二三四五六七八九几]十|\d{2,})\S{0,2}(?:片|粒|颗)",
            r"(?:一整瓶|一瓶|整瓶|半瓶|一板|一把|一盒|好几片|一大把)\S{0,6}(?:药|片)\S{0,2}(?:全|都)?(?:吃|喝|吞)(?:了|下去|光)",
        ),
    ),
    (
        "fire",
        _words(
            "着火 失火 起火 火灾 烧起来 冒烟 着了火 火着起来 大火 全是烟 浓烟 烧着了 冒黑烟 着起来了",
            r"火\S{0,2}烟 烟(?:很|太|好|特别)?(?:多|大)\S{0,4}(?:出不去|呛)",
            r"冒火星 (?:电线|插座|电闸|电表)\S{0,6}(?:冒火|打火|着了|冒烟|烧了)",
            r"(?:电褥子|电热毯|电暖气|电暖器|取暖器|小太阳|被子|褥子|窗帘|沙发|油锅|锅|电动车|电瓶车|电瓶|充电器|插线板|排插|电视|柜子|房子|屋子|厨房|仓房|柴火垛)"
            r"\S{0,4}(?:着了|着火|烧着|冒烟|起火|冒火|烧起来)",
            r"(?:糊味|焦味|烧焦|焦糊|糊巴味|烟味)\S{0,24}(?:着了|冒烟|起火|着火|摸不(?:到|着)门|找不(?:到|着)门|出不去|呛得)",
        ),
    ),
    (
        "gas",
        _words(
            r"(?:煤气|燃气|天然气|液化气|臭鸡蛋)\S{0,2}味 (?:煤气|燃气|天然气|液化气|气罐)\S{0,4}(?:泄漏|漏|没关) 漏气",
            r"(?:味|味儿|味道)\S{0,4}(?:像|是)\S{0,2}(?:煤气|燃气|天然气|液化气)",
            r"(?:炉子|煤炉|火炉|炕|烟筒|烟囱)\S{0,4}(?:憋烟|倒烟|冒烟|漏烟|返烟) 煤烟 煤气中毒 一氧化碳 中了煤气",
            r"(?:燃气|煤气|天然气|液化气|气罐|阀门|灶)\S{0,6}(?:关不上|关不住|关不了|嘶嘶|呲呲|滋滋)",
            r"(?:燃气|煤气|天然气|液化气|气罐)\S{0,16}(?:找不到|找不着|摸不着|够不着|拧不动)\S{0,2}(?:阀门|总阀|开关)",
            r"(?:蜂窝煤|煤球|炭盆|烧炭|煤饼)\S{0,16}(?:头疼|头痛|头晕|恶心|想吐|迷糊|叫不醒)",
            r"(?:头疼|头痛|头晕|恶心|想吐|迷糊)\S{0,20}(?:煤火|煤炉|炉子|火炉|生着火|烧着煤|烧煤|烧炕)",
            r"(?:煤火|煤炉|炉子|火炉|烧煤|烧炕)\S{0,20}(?:头疼|头痛|头晕|恶心|想吐|迷糊|叫不醒)",
            r"(?:煤气|燃气|一氧化碳|倒烟|憋烟|返烟)\S{0,20}(?:头疼|头痛|头晕|恶心|想吐|迷糊|叫不醒)",
            r"(?:头疼|头痛|头晕|恶心|想吐|迷糊)\S{0,20}(?:煤气|燃气|倒烟|憋烟|返烟)",
        ),
    ),
    (
        "medical",
        _words(
            r"被\S{0,4}车\S{0,2}(?:撞|轧|压) 出车祸 车祸",
            r"(?:中风|脑梗|脑出血|心梗|心脏病)\S{0,3}(?:了|犯了|发作)",
            # acute stroke signs ("突然口歪眼斜 说不出话", "半边身子不能动"); a few days' dizziness is for a doctor
            r"口歪眼斜 嘴歪眼斜 口眼歪斜 嘴(?:突然)?歪了",
            r"(?:突然|一下子)\S{0,6}(?:说不出话|说不了话|说话不清|舌头发?硬)",
            r"半边(?:身子|身体|脸)\S{0,4}(?:不能动|动不了|没知觉|麻了|不听使唤) 半身\S{0,2}(?:不能动|动不了)",
            "晕倒 昏倒 昏过去 晕过去 不省人事 人事不省 叫不醒 没气了 没呼吸 喘不上气 喘不过气 喘不过来 上不来气",
            "脸都紫了 嘴唇发紫 翻白眼 没意识 没反应了 不会动了 背过气",
            r"(?:叫|喊)\S{0,6}(?:不醒|没反应|不答应|不太答应|不吭声|不大?应声?|没动静) 半天没反应",
            r"(?:倒|躺)(?:了|下|在)\S{0,4}不(?:说话|动|吭声|睁眼|出声) 不会说话了",
            r"胸口?\S{0,2}(?:疼|痛|闷)\S{0,10}(?:冷汗|发麻|喘不|憋) (?:左胳膊|左手|左臂)\S{0,2}(?:发麻|麻了)",
            r"(?:低血糖|打了?\S{0,2}(?:针|胰岛素))\S{0,10}(?:出汗|冷汗|叫不醒|不应|迷糊|昏|哆嗦)",
            r"(?:胰岛素|降糖药|低血糖)\S{0,18}(?:大汗|冷汗|说胡话|胡言乱语|叫不醒|不认人|迷糊|昏|哆嗦|抽)",
            r"(?:大汗|冷汗|出汗)\S{0,6}(?:说胡话|胡言乱语|不认人|认不出人|叫不醒)",
            r"流(?:了)?(?:好多|很多|一地|一大摊|不少)血 流血\S{0,3}(?:好多|很多|一地|止不住|不止|不停)",
            r"血\S{0,2}(?:止不住|流个不停|一直流)",
            r"噎住 噎着了 卡住了?(?:嗓子|喉咙) 触电 被电(?:打|击|电)(?:了|着) 喘不动气",
            r"烫(?:伤|了|着)\S{0,10}(?:一大片|起泡|水泡|大泡|掉皮|脱皮)",
            r"(?:心脏|心口|胸口)\S{0,4}(?:难受|疼|痛)\S{0,2}得\S{0,2}(?:厉害|受不了|不行)",
        ),
    ),
    (
        "unanswered",  # someone living alone not seen for days, the door not answered (瘫痪 here describes the person)
        _words(
            r"(?:好?几|两|三|四|五)天\S{0,3}没(?:见|看见|看到|出来|出门|动静|开门)",
            r"(?:敲门|叫门)\S{0,4}(?:没人应|没人开|不应|没动静|没反应)",
        ),
    ),
    (
        "help",
        _words("报警(?!器|的东西|装置|系统|按钮|设备) 叫救护车 打120 打110 打119 急救车"),
    ),  # every number: what happened is not said
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _PATTERNS)
_SELF_HARM_SIGN = re.compile(_SELF_HARM)
_ASKS_A_QUESTION = re.compile(
    r"[吗么嘛呗][？?。!！\s]*$|啥时候|什么时候|啥办法|什么办法|还有啥|有没有|能不能|[？?]|干啥|干什么|是啥|是什么|啥意思"
)
# Words a wrong homophone may hide (speech recognition, pinyin input): the patterns' plain words of 3–4 characters and
# a few distinctive 2-character ones (short words sound like too many everyday ones: 请生 / 轻生).
_SOUND_WORDS = tuple(w for w in literal_words([pattern for _, pattern in _PATTERNS]) if len(w) >= 3) + tuple(
    "救命 着火 失火 起火 摔倒 跌倒 煤气 燃气 自杀 跳楼 菜刀 拿刀 家暴 抽风 抽搐 癫痫 农药 走丢 走失 流血".split()
)

# Sudden physical events: a message that also asks for a benefit speaks of the past ("车祸致残能办残疾证吗").
_PHYSICAL = frozenset({"fall", "cold", "trapped", "water", "traffic", "seizure", "poisoning", "fire", "gas", "medical"})
_ASKS_BENEFIT = re.compile(
    _words(
        "申请 补贴 补助 救助 报销 赔偿 保险 能办 办证 残疾证 评残 鉴定 致残 以后 后遗症 康复",
        r"(?:致|落下|造成|导致|成了|弄成|变成|摔成|撞成)\S{0,2}(?:偏瘫|瘫痪|瘫)",  # the outcome, not "俺瘫痪的爹"
    )
)
_ASKS_PLACE = re.compile(r"能(?:去|上|进|住|办|领|申请)\S{0,8}(?:吗|不|么|[?？])|照料|托管|日间|报销")
_ASKS_COST = re.compile(_words("要钱 收费 免费 花钱 多少钱 报销 给报 能报"))
# A person missing for a long time, or a question about the 寻亲 service: a policy question.
_LONG_MISSING = re.compile(
    _words("几年 多年 好几个月 几个月 很久 好久 年了 个月了 一直没找到 至今 寻亲 救助站 寻人 采血 DNA 数据库")
)
_FOUND = re.compile(r"(?<![没不还])(?:找回来|找着了|找到了|回来了|送回来)")  # "走失了找回来以后": over
_WORRY = re.compile(r"(?<!恐)怕(?!是)|担心")
_HABIT = re.compile(r"一(?:犯病|发病|发疯|犯了病)就")
_RELIEF = re.compile(r"(?:我|俺)(?:走了|死了|不在了|没了)\S{0,10}(?:轻松|省心|清净|解脱|好过|省事)")
_STRANGER = re.compile(r"流浪|要饭|乞讨|拾荒")  # someone seen in the street, not one of theirs
_ILL = re.compile(r"犯病|发病|发疯|犯了病")
_ARMED = re.compile(r"刀|斧|剪|镰|匕首|锤|砖|锹|棍|棒")
# "好像是走丢的": a guess about a stranger seen somewhere (the 救助站 question), not someone of theirs gone now.
_GUESS = re.compile(r"(?:好像|像是|可能|估计|大概|看着像|兴许)(?:是)?\S{0,2}$")
_GONE = re.compile(_words("没回来 没回家 找不到 找不着 找不见 不见了 一宿 一夜 联系不上 报警"))
_LEGAL = re.compile(
    _words("投诉 举报 赔钱 赔偿 律师 起诉 打官司 法律援助 维权 讨(?:个)?说法 要(?:个)?说法 讨(?:个)?公道")
)
_PAST = re.compile(
    _words(
        "去年 前年 上个月 上月 上回 以前 之前 那年 小时候 年前 几年 多年 早年 当年 年轻时 那次 前天 上礼拜 上周",
    )
)
# round 11: more words of the past, read only in the sign's own clause (a few characters before it): "前些年犯过病 …
# 把他锁在后院 都锁了快一个月了" is confinement now.
_PAST_NEAR = re.compile(
    _words("前些年 前几年 早些年 头些年 那些年 过去几年 过去那些年 曾经 当时 那会儿? 那时候? 那阵子? 上次 上一回")
)
PAST_NEAR_CHARS = 8
_NOW = re.compile(_words("今天 今儿 今早 今晚 现在 刚才 刚刚 这会 眼下 正在 此刻 这次 这回"))
# A now that tells of the present, not one that asks about it ("现在能报案吗", "现在可以申请不").
_NOW_SAID = re.compile(rf"(?:{_NOW.pattern})(?!还?(?:能|可以|想问|咋|怎么|该|要咋|有没有))")
_ENDS_ASKING = re.compile(r"[不没吧呀][？?。!！\s]*$")  # "能办证不", "还给没"
_ALSO_ASKING = re.compile(r"会不会|几级|几个|多少|能评|能领|能办|能申请")
# "打断过腿", "想过不活了": the experiential 过 (not 过来 / 过去 / 过不去), of a thing that happened once.
_EXPERIENCED = re.compile(r"过(?![来去不得])")
# Still going on: the past word does not make it over ("以前就打她 现在还打", "又拿刀了").
_ONGOING = re.compile(_words("天天 每天 天天儿 经常 老是 总是 又 还在 还是 一直 最近 这几天 这阵子 这两天"))
# Self-harm thought of once and over ("以前想过不活了 现在好了"): only with words that say it is over.
_RECOVERED = re.compile(
    _words(
        "现在好了 现在好多了 现在挺好 现在没事 已经好了 早就好了 早好了 走出来了 挺过来了 熬过来了 缓过来了",
        r"(?:不|没)(?:那么|这么|那样|再那么)想了 没(?:那个|那种)?(?:想法|念头)了",
    )
)
# A habit or a lasting condition asked about for care ("俺爹经常找不着家"), not someone gone now.
_HABITUAL = re.compile(_words("经常 老是 总是 常常 动不动 时不时 有时候 隔三差五 三天两头 老爱 总爱 好几回 一出门就"))
_GONE_NOW = re.compile(
    _words(
        "今天 今儿 今晚 今早 现在 刚才 刚刚 这会 到现在 还没回来 还没找到 一宿 一夜 昨晚 昨天 报警(?!器)",
        r"(?:[一两俩三四五六七八九十几]|好几|\d+)\S{0,2}(?:小时|钟头|个钟)",
    )
)
# General how-to ("聋人要报警咋办", "怎么报警", "咋求救"): a policy question, unless something is happening now.
_HOW_BEFORE = re.compile(r"(?:怎么|咋|如何|怎样|咋样|该怎么|要怎么|用啥|用什么)\S{0,4}$")  # "怎么用手机报警"
_HOW_AFTER = re.compile(
    r"^\S{0,3}(?:咋办|怎么办|怎么弄|咋弄|咋整|怎么打|咋打|怎么报|咋报|打什么|打哪个|用什么|用啥|打几|拨几|发短信|能发|可以发)"
)
_URGENT = re.compile(_words("快 救命 救救 马上 赶紧 出事了 来人"))
_SOMEONE = re.compile(  # someone of theirs (or he / she) it may be happening to: not a general question
    _words(
        "他 她 老人 孩子 娃 儿子 闺女 女儿 姑娘 小子 爸 妈 爹 娘 爷爷 奶奶 姥姥 姥爷 外公 外婆 老伴 老头 老太太 老婆",
        "媳妇 丈夫 老公 男人 哥 弟 姐 妹 叔 婶 舅 姨 侄 孙 邻居 家里人",
    )
)
_TEACH_HELP = re.compile(
    r"(?:怎么|咋|如何|怎样)(?:教|让|告诉|训练)\S{0,12}(?:报警|求救|求助|呼救|逃生|自救|120|110|119)"
)
# A kind of people asked about ("盲人过马路…", "想过死的人能…"): nobody of theirs, a general question.
_PEOPLE_WHO = re.compile(
    r"盲人|聋人|聋哑人|哑人|残疾人|视障|听障|坐轮椅的|瘫痪的人|智力残疾的|精神残疾的|"
    r"的人(?:能|可以|有没有|怎么|咋|该|去哪|都)"
)
_HOW_TO_HELP = re.compile(
    r"(?:怎么|咋|如何|怎样|咋样)\S{0,3}(?:报警|求救|求助|呼救|逃生|自救|叫救护车|打120|打110|打119)"
)
_NEAR_MISS = re.compile(_words("差点 差一点 险些 幸亏 幸好"))
_OVER = re.compile(
    _words("没事了 已经好了 缓过来了 救过来了 脱离危险 抢救过来", r"烧(?:没|光|完)了\S{0,4}人(?:都|倒)?没事")
)
_CONDITION = re.compile(
    _words("要是 如果 万一 假如 假设 假若 若是 倘若 一旦 遇到 碰到 遇上 碰上 预防 防止 避免 以防 怎么防 咋防 如何防")
)
# "是不是中风了", "会不会要心梗": asking whether an illness is the cause (a doctor), not saying it struck.
_WHETHER = re.compile(r"(?:是不是|会不会|是否|怕是|怕|担心|容易)(?:要|快|得了?|有)?$")
_QUESTION = re.compile(r"怎么|咋|该|吗|呢|[？?]|找谁|谁|哪|有没有|能不能|可以|啥|什么")
_CLAUSE_END = re.compile(r"[，,。；;！!？?]|的话|就|时候|怎么|咋|该")
_GENERAL_ASK = re.compile(
    _words(
        "找谁 找哪 哪个部门 哪里求助 去哪 怎么维权 怎么处理 谁管 归谁管 有什么(?:政策|规定|保护) 管不管",
        "申请什么 (?:什么|啥)保护 保护令 机制 有什么措施",
        r"会(?:帮|救|管|组织|安排|通知|疏散)\S{0,10}(?:吗|么|[?？]) 有没有人(?:帮|救|管|组织)",
        "会不会(?:帮|救|管|组织|安排|通知|疏散)",
    )
)
_FIRST_PERSON = re.compile(
    _words(
        "我 俺 咱 家(?!暴) 爸 妈 爹 娘 孩子 娃 儿子 闺女 女儿 老伴 媳妇 丈夫 老公 爷爷 奶奶 姥 外公 外婆",
        "哥 弟 姐 妹 邻居 现在 正在 刚才 快",
    )
)


@dataclass(frozen=True)
class Danger:
    kind: str  # self_harm, weapon, violence, confinement, fall, cold, trapped, traffic, missing, seizure, poisoning …
    start: int  # where in the (cleaned) text the sign was found
    end: int


def _clean(text: str) -> str:
    return _EVERYDAY.sub(lambda m: "·" * len(m.group(0)), re.sub(r"\s+", "", text[:MAX_CHARS]))


def _inside_condition(text: str, at: int) -> bool:
    """True when position `at` lies in a conditional clause of a question ("要是…着火了咋办", "怎么预防摔倒")."""
    if not _QUESTION.search(text):
        return False
    for marker in _CONDITION.finditer(text, 0, at + 1):
        end = _CLAUSE_END.search(text, marker.end())
        if end is None or end.start() >= at:
            return True
    return False


def _signs(text: str) -> list[Danger]:
    found = [Danger(kind, m.start(), m.end()) for kind, pattern in _COMPILED for m in pattern.finditer(text)]
    if not _ASKS_SERVICE.search(text):
        found += [Danger("self_harm", m.start(), m.end()) for m in _SOFT.finditer(text)]
    return found


def is_hypothetical(text: str | None) -> bool:
    """True when the message names a danger only as a condition, a general question, a past event or a habit
    ("要是…咋办", "被打了找谁", "前些年被打断过腿 能领补贴吗", "聋人要报警咋办"), or, naming none the rules know, is
    itself such a question ("要是地震了咋办", "怎么求救", "俺爹经常找不着家"): a policy question, even when the model
    said danger. A sign of danger now in the same message always wins."""
    if not text:
        return False
    clean = _clean(text)
    signs = _signs(clean)
    if not signs:
        return _policy_without_signs(clean) or bool(_TEACH_HELP.search(text))  # 记住报警电话 is blanked in clean
    return all(_not_happening(clean, sign) for sign in signs)


def _policy_without_signs(text: str) -> bool:
    """A message naming no danger the rules know that reads as a policy question: a conditional question, a general
    how-to ("聋人咋求救"), a habit with nothing happening now, or a question about something past ("去年摔断过腿 现在
    走路不利索 能领辅具吗": a now that tells of the lasting harm, with 过 and a benefit asked for)."""
    if _URGENT.search(text):
        return False
    now = bool(_NOW_SAID.search(text)) and not _RECOVERED.search(text)  # "现在挺好" tells it is over
    question = bool(_QUESTION.search(text) or _ENDS_ASKING.search(text) or _ALSO_ASKING.search(text))
    if question and not now and any(_inside_condition(text, m.end()) for m in _CONDITION.finditer(text)):
        return True
    if not now and ((_HOW_TO_HELP.search(text) and not _SOMEONE.search(text)) or _TEACH_HELP.search(text)):
        return True
    if question and not now and _PEOPLE_WHO.search(text) and not _FIRST_PERSON.search(text):
        return True  # "盲人过马路有没有语音提示", "想过死的人能申请心理援助吗"
    asks = _ASKS_BENEFIT.search(text) or _ASKS_COST.search(text) or _ASKS_PLACE.search(text)
    if question and _EXPERIENCED.search(text) and asks and not _ONGOING.search(text):
        return True  # "被狗咬过 打疫苗能报销吗"
    if _HABITUAL.search(text) and not _GONE_NOW.search(text):
        return True
    if question and not now and _GENERAL_ASK.search(text) and not _FIRST_PERSON.search(text):
        return True  # "发生地震的时候 社区会帮瘫痪的人转移吗"
    past = _PAST.search(text) or _PAST_NEAR.search(text)
    if past and _RECOVERED.search(text) and not _ONGOING.search(text):
        return True  # "早些年想过死 现在挺好 想当志愿者"
    return question and not now and bool(past) and not _ONGOING.search(text)


def _in_the_past(text: str, sign: Danger) -> bool:
    """A past word before the sign with no 今天/现在 in between ("以前抽一会儿就过去了，今天抽了十分钟" is now), a near
    miss right before it ("差点煤气中毒"), or it is over ("现在没事了")."""
    if _past_word_before(text, sign):
        return True
    return bool(_NEAR_MISS.search(text, max(0, sign.start - 4), sign.start) or _OVER.search(text, sign.end))


def _past_word_before(text: str, sign: Danger) -> bool:
    past = [m.end() for m in _PAST.finditer(text, 0, sign.start)]
    past += [m.end() for m in _PAST_NEAR.finditer(text, max(0, sign.start - PAST_NEAR_CHARS), sign.start)]
    if not past or _NOW.search(text, max(past), sign.start):
        return False
    # "前些年就打她 现在又打得满脸是血": a now or an "again" inside the sign itself
    return not (_NOW.search(text, sign.start, sign.end) or _ONGOING.search(text, sign.start, sign.end))


def _experienced(text: str, sign: Danger) -> bool:
    """The experiential 过 in or right around the sign ("被人打断过腿", "想过不活了")."""
    return bool(_EXPERIENCED.search(text, max(0, sign.start - 2), min(len(text), sign.end + 3)))


def _past_for_a_benefit(text: str, sign: Danger) -> bool:
    """Something that happened once, asked about for a benefit or a service ("被人打断过腿 现在能领补贴吗"), with
    nothing saying it goes on ("又", "天天", "还在")."""
    asks = _ASKS_BENEFIT.search(text) or _ASKS_SERVICE.search(text) or _ASKS_PLACE.search(text)
    return bool(asks) and _experienced(text, sign) and not _ONGOING.search(text)


def _self_harm_over(text: str, sign: Danger) -> bool:
    """Self-harm thought of in the past and over ("以前想过不活了 现在好了"): a past word before it, words saying it is
    over after it, and no further sign of self-harm and nothing ongoing after those words. Anything else said of
    self-harm is taken as now."""
    if not _past_word_before(text, sign):
        return False
    over = [m for m in _RECOVERED.finditer(text, sign.end)]
    if over:
        rest = text[over[-1].end() :]
        return not (_ONGOING.search(rest) or _SELF_HARM_SIGN.search(rest) or _SOFT.search(rest))
    return _experienced(text, sign) and _past_for_a_benefit(text, sign) and not _NOW.search(text, sign.end)


def _general_how_to(text: str, sign: Danger) -> bool:
    """ "聋人要报警咋办", "怎么报警": how to call for help, asked with nothing happening now and nobody named it could
    be for ("我妈倒地不动 我聋 怎么叫救护车" is an emergency)."""
    if _URGENT.search(text) or _NOW_SAID.search(text) or _SOMEONE.search(text):
        return False
    before = _HOW_BEFORE.search(text[max(0, sign.start - 6) : sign.start])
    return bool(before or _HOW_AFTER.search(text[sign.end :]))


def _habit(text: str, sign: Danger) -> bool:
    """ "俺爹经常走丢": how it often goes, asked about for care, with nobody gone now."""
    return bool(_HABITUAL.search(text, max(0, sign.start - 8), sign.end)) and not _GONE_NOW.search(text)


def _only_a_worry(text: str, sign: Danger) -> bool:
    """ "怕他跑丢了" with nothing saying he is gone now (not 恐怕是走丢了, not 怕…一宿没回来)."""
    return bool(_WORRY.search(text, max(0, sign.start - 6), sign.end)) and not _GONE.search(text)


def _not_happening(text: str, sign: Danger) -> bool:
    if sign.kind == "self_harm" and _RELIEF.search(text, sign.start, sign.end):
        return False  # "要是我走了 大家是不是都轻松了": the condition is the wish itself
    if _inside_condition(text, sign.start):
        return True
    if sign.kind == "self_harm":
        return _self_harm_over(text, sign)  # self-harm said in the present is always an emergency
    if _in_the_past(text, sign) or _past_for_a_benefit(text, sign):
        return True
    if sign.kind == "help" and _general_how_to(text, sign):
        return True
    if sign.kind == "missing" and (_habit(text, sign) or _FOUND.search(text, sign.end)):
        return True
    if sign.kind in _PHYSICAL and _ASKS_BENEFIT.search(text):
        return True
    if sign.kind == "missing" and (_GUESS.search(text, max(0, sign.start - 6), sign.start) or _STRANGER.search(text)):
        return True
    if sign.kind == "missing" and (_LONG_MISSING.search(text) or _only_a_worry(text, sign)):
        return True  # long missing (寻亲), or a worry ("天天怕他跑丢了")
    if sign.kind == "violence" and _LEGAL.search(text):
        return True  # "被人打了，对方不赔钱，请不起律师": a question about rights after the event
    if sign.kind == "weapon" and _HABIT.search(text, max(0, sign.start - 2), sign.end) and _ASKS_SERVICE.search(text):
        if not _NOW.search(text):
            return True  # "他一犯病就砸东西 …有没有家属培训": how it usually goes, asking for help with care
    armed = _ARMED.search(text, sign.start, sign.end + 2)
    habit = sign.kind == "weapon" or (sign.kind == "violence" and _ILL.search(text, 0, sign.end))
    if habit and not armed and _ASKS_SERVICE.search(text) and not _NOW.search(text):
        return True  # "犯病打人 家里管不了了 有没有能帮忙照顾的地方": care asked for, no weapon, nothing now
    if sign.kind == "medical" and _WHETHER.search(text, max(0, sign.start - 5), sign.start):
        return True  # "头晕眼花 是不是中风了": a question for a doctor (acute signs are their own patterns)
    if sign.kind == "help" and _ASKS_COST.search(text):
        return True  # "打120要钱吗": a question about the service, nothing is happening
    general = _GENERAL_ASK.search(text) and not _FIRST_PERSON.search(text)
    return bool(general) and sign.kind != "self_harm"


def assess(text: str | None) -> Danger | None:
    """The most urgent danger the message speaks of, or None (none, or only hypothetical / in general)."""
    if not text:
        return None
    clean = _clean(text)
    found = _most_urgent(clean)
    # 甩倒了起不来 → 摔倒了起不来: read as it sounds, unless the message asks for a service (找活 ≠ 着火) or a
    # question — checked first: the sound-alike repair (pinyin, word cutting) costs ten times the rules themselves
    if found is None and not (_ASKS_SERVICE.search(text) or _ASKS_A_QUESTION.search(text)):
        heard = repair(clean, _SOUND_WORDS)
        if heard != clean:
            found = _most_urgent(_clean(heard))
    return found


def _most_urgent(clean: str) -> Danger | None:
    signs = [sign for sign in _signs(clean) if not _not_happening(clean, sign)]
    if not signs:
        return None
    order = [kind for kind, _ in _PATTERNS]
    return min(signs, key=lambda sign: (order.index(sign.kind), sign.start))


def is_danger(text: str | None) -> bool:
    """True when the message speaks of danger to someone's life or safety happening now."""
    return assess(text) is not None
