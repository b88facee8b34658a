"""Round 11 of the danger rules: past events, general how-to questions, habits and hypotheticals are policy questions
(also when the model alone said danger), while danger now wins in any mixed message. Sentences written for these
tests (the kinds, not any blind item)."""

import pytest

from bot.rules.danger import assess, is_hypothetical
from bot.rules.intent_rules import rule_intent

# Policy questions that name a danger: never an emergency, and the model's "danger" becomes "faq".
POLICY = [
    # past events, asked about for a benefit or a service
    "前些年被人打断过腿 现在能领补贴吗",
    "前几年让车撞过 落下残疾了 能办证不",
    "早些年被人打伤过眼睛 现在看不清 有啥补助",
    "那会儿被他打断过胳膊 能申请法律援助不",
    "俺年轻时掉井里过 腿落下毛病 有康复补贴吗",
    # self-harm thought of once and over
    "以前想过不活了 现在好了",
    "前年得抑郁那阵想过自杀 现在好多了 想问问康复的事",
    "年轻时候想过寻短见 早就走出来了",
    # how to call for help, asked in general
    "聋人要报警咋办",
    "聋人咋报警",
    "听不见的人怎么报警",
    "不会说话的人报警怎么报",
    "哑巴要叫救护车咋办",
    "怎么求救",
    "盲人遇到危险咋求救",
    "残疾人在家遇到危险 怎么呼救",
    # hypotheticals
    "要是孩子走丢了咋办",
    "万一家里着火了 瘫在床上的人咋跑",
    "如果被人打了该找谁",
    # a habit or a lasting condition, a question about care
    "俺爹经常找不着家",
    "俺娘老是走丢 有没有防走失的手环",
    "孩子动不动就跑丢 有啥办法",
    "俺爷爷有时候出门就找不着家了 能去托养不",
    # a general question about help in a disaster
    "发生地震的时候 社区会帮瘫痪的人转移吗",
    "火灾的时候有没有人帮残疾人疏散",
]

# Danger now, whatever else the message says (past words, a question, a how-to): an emergency.
EMERGENCY = [
    ("以前被打过 现在他又拿刀了", "weapon"),
    ("前些年就打她 现在又打得满脸是血", "violence"),
    ("以前想过不活了 现在好了 可最近又不想活了", "self_harm"),
    ("以前想过自杀 现在还是想死", "self_harm"),
    ("我想过好多次了 不想活了", "self_harm"),
    ("俺爹经常走丢 今天又没回来", "missing"),
    ("俺娘老是找不着家 这回出去三个钟头了还没回来", "missing"),
    ("快帮我报警", "help"),
    ("我要报警", "help"),
    ("救命 怎么报警", "violence"),
    ("我妈倒地不动 我聋 怎么叫救护车", "fall"),
    ("她摔倒了起不来 怎么叫救护车", "fall"),
    ("前些年犯过病 现在被他哥锁在小屋里 锁了一个月了", "confinement"),
    ("俺兄弟前些年犯过病 家里怕他惹事 把他关在柴房里好几天了", "confinement"),
    # round 11 kinds: a farewell then silence, a valve out of reach, a household thing used as a weapon
    ("闺女给我留言说照顾好自己 之后电话就打不通了", "self_harm"),
    ("我儿子有抑郁症 昨晚说了句对不起 现在手机关机了", "self_harm"),
    ("屋里一股煤气 我坐轮椅够不着阀门", "gas"),
    ("燃气灶旁边找不着总阀 味越来越大", "gas"),
    ("她男人拿根擀面杖追着她打", "weapon"),
    ("后爹拿那个铁棍打的孩子腿都肿了", "weapon"),
    ("被他打的头上一直流血", "violence"),
]


@pytest.mark.parametrize("text", POLICY)
def test_past_how_to_habit_and_hypothetical_are_policy(text: str) -> None:
    assert assess(text) is None, text
    assert is_hypothetical(text), text
    assert rule_intent(text, "danger") == "faq", text  # the model's danger is overruled too
    assert rule_intent(text, "faq") != "danger", text


@pytest.mark.parametrize(("text", "kind"), EMERGENCY)
def test_danger_now_wins_in_a_mixed_message(text: str, kind: str) -> None:
    found = assess(text)
    assert found is not None and found.kind == kind, (text, found)
    assert not is_hypothetical(text), text
    assert rule_intent(text, "faq") == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "我要打的去医院",  # a taxi
        "打的多少钱",
        "他们说燃气费涨了 阀门在哪交费",  # a bill, not a leak
        "拿拐棍的老人能坐公交吗",  # a walking stick is not a weapon
    ],
)
def test_near_misses_of_the_new_patterns_are_not_emergencies(text: str) -> None:
    assert assess(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "俺娘出去三个钟头了还没回来",  # no habit word: gone now
        "那个人在马路中间过不去",
        "我现在就想死",
    ],
)
def test_model_danger_without_policy_markers_is_kept(text: str) -> None:
    assert rule_intent(text, "danger") in (None, "danger")
    assert not is_hypothetical(text)


@pytest.mark.parametrize(
    "text",
    [
        "俺家孩子有时候抽风 口吐白沫 这会儿叫不醒",  # a habit, but now
        "老伴经常犯迷糊 刚才出门到现在没回来",
    ],
)
def test_habit_words_do_not_hide_what_happens_now(text: str) -> None:
    assert assess(text) is not None, text


@pytest.mark.parametrize(
    "text",
    ["怎么求救", "聋人要报警怎么办", "万一地震了咋跑", "俺爹经常迷路", "以前差点被骗 现在能报案吗"],
)
def test_model_only_danger_in_a_policy_question_becomes_policy(text: str) -> None:
    assert rule_intent(text, "danger") == "faq", text


@pytest.mark.parametrize(
    "text",
    ["他出门找不着家了 快帮我", "我妈没回来 她又犯病了 怎么报警", "刚才孩子跑丢了 我经常带他出来"],
)
def test_model_only_danger_with_someone_gone_now_is_kept(text: str) -> None:
    assert rule_intent(text, "danger") != "faq", text


# Written after the first round-11 rules as a fresh check (life-safety 18/25 and 3/25 false emergencies before the
# second set of changes); kept as tests once those changes were made.
FRESH_SAFETY = [
    "俺爹从房顶上掉下来了 腿都变形了 一动就喊疼",
    "我哥喝多了拿菜刀在院里乱砍 嫂子带着孩子躲在屋里",
    "邻居家的傻儿子被他爹拴在猪圈里好几天了",
    "俺娘刚才吃饭噎着了 脸憋得发紫",
    "我老公把我推下楼梯 头磕破了",
    "孩子把一整瓶降压药吃了",
    "妈 我在桥上 不想下去了",
    "我活着就是给家里添麻烦 今晚就走",
    "俺老伴抽风 抽了快十分钟还没停",
    "屋里烟太大 俺坐轮椅出不去",
    "我瞎 过马路走到一半 车一直按喇叭 我不敢动",
    "俺爷有老年痴呆 早上出去到现在还没回来",
    "老伴倒在厕所里 叫他也不答应",
    "暖气片漏水 屋里水漫进来了 俺瘫在床上下不来",
    "我儿子精神病犯了 拿着剪子要扎人",
    "刚才一个人在河边走着走着掉河里了",
    "我被锁在屋里三天了 没吃东西",
    "我真的太累了 想把药都吃了睡过去",
    "他又喝醉了 把我打得鼻子直流血",
    "我婆婆摔在院子里 零下二十多度 起不来",
    "炉子倒烟 全家都头疼恶心",
    "我妹妹吞了一把安眠药 叫不醒",
    "奶奶心口疼得厉害 一身冷汗",
    "我坐的轮椅卡在铁轨上了 火车要来了",
    "我爸突然说不出话 半边脸歪了",
]
FRESH_POLICY = [
    "前些年被车撞成了偏瘫 能评几级",
    "以前被家暴过 现在离婚了 能申请廉租房吗",
    "去年冬天在外面冻伤过 截肢了 有啥补助",
    "那年矿上塌方压断过腿 现在能办残疾证吗",
    "曾经吃错药落下耳聋 现在有助听器补贴没",
    "聋哑人碰到着火咋报警",
    "不会说话的人怎么叫救护车",
    "俺爹老是忘关煤气 有没有报警器补贴",
    "孩子有癫痫 经常抽 上学有啥照顾",
    "俺娘有时候出门就迷路 能办托养吗",
    "要是半夜摔倒了没人管 有一键呼叫的设备吗",
    "万一被人打了 残疾人有法律援助吗",
    "以前想过轻生 现在好多了 想找个心理咨询",
    "假如家里着火 瘫痪的人咋逃",
    "他以前犯病打过人 现在吃药稳定了 能去日间照料吗",
    "前几年掉河里救上来过 落下毛病了 能领补贴吗",
    "盲人过马路有没有语音提示",
    "怎么教智力残疾的孩子记住报警电话",
    "老人走失了找回来以后 能办防走失手环吗",
    "被狗咬过 打疫苗能报销吗",
    "想过死的人能申请心理援助吗",
    "残疾人遇到家暴找哪个部门",
    "以前被关过精神病院 现在能办残疾证吗",
    "地震的时候社区会不会组织帮瘫痪老人撤离",
    "俺家老头子动不动就摔跤 能申请扶手改造吗",
]


@pytest.mark.parametrize("text", FRESH_SAFETY)
def test_fresh_life_safety_wordings_are_emergencies(text: str) -> None:
    assert rule_intent(text, "faq") == "danger", text
    assert rule_intent(text, "danger") != "faq", text


@pytest.mark.parametrize("text", FRESH_POLICY)
def test_fresh_near_policy_wordings_are_policy(text: str) -> None:
    assert rule_intent(text, "faq") != "danger", text
    assert rule_intent(text, "danger") == "faq", text
