"""Danger rules: every kind of life-safety message is recognised, with words in between; hypotheticals, general
questions and everyday words are not emergencies. Examples written for development (not from tests/blind/)."""

import pytest

from bot.rules.danger import EMERGENCY_MESSAGE, assess, is_danger, is_hypothetical
from bot.rules.danger_replies import CRISIS_LINE, first_replies, stay_reply

DANGER = {
    "self_harm": [
        "活腻了 想喝药",
        "俺就是个累赘 这条命不要了",
        "我不想活了",
        "我想自杀",
        "活着真没意思",
        "俺活着还有啥意思啊",
        "这日子我活够了",
        "药我都攒了一个月了",
        "我偷偷攒了好多安眠药",
        "我不想再拖累孩子们了",
        "我走了就不拖累你们了 活着就是拖累",
        "死了算了",
        "再不给办我就不想活了",
        "我想从楼上跳下去 跳楼算了",
        "俺娘说想不开 要喝药",
    ],
    "violence": [
        "让俺男人打得头破血流",
        "满脸是血 快来人",
        "我爸被我哥拿棍子打得满头是血",
        "她老公喝了酒就打她",
        "我被邻居家的人砍伤了",
        "儿媳妇天天打我婆婆",
        "俺被人打了 头上流血",
        "我妈被捅了一刀",
        "打得他鼻子都出血了",
        "有人家暴我妈",
        "救命啊",
        "他又打我了",
    ],
    "confinement": [
        "他们把俺叔锁屋里了 不给饭吃",
        "我被锁在屋里出不去",
        "他们把我傻儿子关起来好几天了",
        "我哥被家里人用铁链拴着",
        "我被关在家里了",
    ],
    "fall": [
        "俺娘躺地上起不来",
        "我妈摔倒了起不来",
        "俺爹在厕所滑倒了爬不起来",
        "奶奶从床上掉下来摔了 一直没反应",
        "我摔了一跤爬不起来，家里没人",
        "老伴跌倒了 腿好像骨折了 动不了",
    ],
    "cold": ["我坐轮椅翻在雪地里起不来 冻得手都没知觉了", "俺爹在外面冻了一宿", "老人倒在路边雪里动不了"],
    "trapped": ["我困在电梯里了", "电梯停了 我坐着轮椅卡在里面出不来", "俺被困在屋里了"],
    "traffic": [
        "瞎眼的老汉在马路当间儿 车嗖嗖的过不去",
        "一个盲人站在马路中间过不去",
        "我看不见 现在在路口中间 车太多了",
        "我坐轮椅卡在马路当中了",
    ],
    "missing": [
        "俺爹找不见了 他糊涂",
        "孩子不知道跑哪去了 他听不见",
        "我儿子有自闭症 走丢了",
        "俺爹老年痴呆 一早出去到现在还没回来",
        "我家孩子智力残疾 找不着了",
        "我妈不见了 她有精神病",
    ],
    "seizure": [
        "娃抽了半天了 嘴里冒沫",
        "我儿子抽风抽了十几分钟还不停",
        "孩子癫痫发作了 一直在抽",
        "他抽搐不停 口吐白沫",
    ],
    "poisoning": [
        "俺娘药吃错了",
        "把老鼠药当成糖吃了",
        "我妈吃错药了",
        "我爸把一瓶降压药全吃了 药吃多了",
        "俺叔喝了农药",
        "孩子误食了老鼠药",
    ],
    "weapon": [
        "他犯病了 攥着剪子见人就扎",
        "我弟弟犯病了拿着菜刀到处追人",
        "俺哥精神病又犯了 手里拿刀",
        "他举着斧子说要砍人",
    ],
    "fire": ["家里着火了", "厨房起火了", "楼下冒烟了 我下不去"],
    "gas": ["屋里的味儿像煤气", "家里有一股煤气味", "屋里燃气味特别大", "煤气泄漏了", "我闻到天然气味了"],
    "medical": ["我爸晕倒了", "喘不上气了", "我妈叫不醒了"],
}
NOT_DANGER = [
    "我爸走丢好几年了 救助站能帮着寻亲吗",
    "以前打110没人管",
    "残疾人坐公交能免费吗 打120要钱吗",
    "扬言要告你们",
    # hypotheticals and general questions: answered as policy
    "要是地震了残疾人咋办",
    "万一着火了聋人听不见警报咋办",
    "如果老人摔倒了起不来怎么办",
    "要是发大水了俺这坐轮椅的咋跑",
    "假如被困在电梯里该找谁",
    "残疾人被虐待了找哪个部门",
    "怎么预防老人摔倒",
    "万一孩子走丢了怎么找",
    "要是煤气泄漏怎么办",
    "遇到家暴残疾人怎么维权",
    # everyday words
    "打电话给12385",
    "给我打个电话",
    "孩子打疫苗要钱吗",
    "笑死了",
    "火车票残疾人能打折吗",
    "摔了一跤以后的康复怎么申请",
    "有事打我电话13800138000",
    "平时打零工，他腿不好",
    "打我这个就行",
    "我去年补贴被砍了",
    "累死了跑了好几趟",
    "轮椅轮胎漏气了去哪修",
    "我都打听好几回了",
    "气死我了到底管不管",
    "残疾人坐火车有优惠吗",
    "想死你了",
    # policy questions that mention hard things
    "护理补贴怎么申请",
    "我想申请轮椅",
    "癫痫能办残疾证吗",
    "我下半身瘫痪动不了，能领啥补贴",
    "不想拖累子女，有没有托养的地方",
    "我妈常年卧床起不来，能申请护理补贴吗",
    "精神残疾人怎么申请监护补贴",
    "我儿子残疾证丢了怎么补",
    "家里有残疾人冬天取暖有补贴吗",
    "火化费用能减免吗",
    "",
    None,
]


@pytest.mark.parametrize(("kind", "text"), [(kind, text) for kind, texts in DANGER.items() for text in texts])
def test_danger_is_recognised_with_its_kind(kind, text) -> None:
    found = assess(text)
    assert found is not None, text
    assert found.kind == kind or (kind == "violence" and found.kind in ("weapon", "violence")), (text, found)


@pytest.mark.parametrize("text", NOT_DANGER)
def test_hypotheticals_and_everyday_words_are_not_danger(text) -> None:
    assert not is_danger(text), (text, assess(text))


def test_hypotheticals_are_recognised_as_such() -> None:
    assert is_hypothetical("要是着火了咋办") and is_hypothetical("万一老人走丢了怎么找")
    assert not is_hypothetical("家里着火了") and not is_hypothetical("护理补贴怎么申请")


def test_first_reply_names_the_fitting_number_first() -> None:
    expected = {
        "fall": "120",
        "fire": "119",
        "violence": "110",
        "missing": "110",
        "gas": "119",
        "poisoning": "120",
        "seizure": "120",
        "weapon": "110",
        "trapped": "119",
        "traffic": "110",
        "confinement": "110",
        "cold": "120",
    }
    for kind, number in expected.items():
        first = first_replies(kind)[0]
        digits = [n for n in ("110", "120", "119") if n in first]
        assert digits and min(digits, key=first.index) == number, (kind, first)


def test_self_harm_reply_is_warm_names_the_crisis_line_and_no_queue() -> None:
    replies = first_replies("self_harm")
    assert CRISIS_LINE in replies[0] and "120" in replies[0] and "110" in replies[0]
    assert not any(word in " ".join(replies) for word in ("前面还有", "排队", "位"))
    assert all("前面还有" not in stay_reply(turn) for turn in range(5))


def test_model_only_danger_gets_every_number() -> None:
    first = first_replies(None)[0]
    assert all(number in first for number in ("110", "120", "119", "12356"))
    assert all(number in EMERGENCY_MESSAGE for number in ("110", "120", "119"))


# Written by the intake owner from the application dialogues (spaced ASR text, phone numbers read out, home barriers).
@pytest.mark.parametrize(
    "text",
    ["门被锁了 我 出 不 去", "他 打 我", "家里着火了 坐轮椅出不去", "困在楼道里出不去了", "他打我的头", "我爸晕倒了"],
)
def test_spaced_and_short_danger_from_dialogues(text) -> None:
    assert is_danger(text)


@pytest.mark.parametrize(
    "text",
    [
        "有事打我电话13800138000",
        "平时打零工，他腿不好",
        "打我这个就行",
        "俺坐轮椅好几年了 家里门槛贼高 出不去进不来",
        "家里台阶高出不去 想申请无障碍改造",
        "电话 打 我 听 不 见，发 短信 可以",
        "就打我的 幺五两洞 四五三拐 幺六九",
        "打俺的吧",
        "",
        None,
    ],
)
def test_application_answers_are_not_danger(text) -> None:
    assert not is_danger(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("俺娘甩倒了起不来", "fall"), ("就命啊", "violence"), ("家里着伙了", "fire"), ("我不想或了", "self_harm")],
)
def test_wrong_homophones_are_read_as_they_sound(text, kind) -> None:
    assert (found := assess(text)) is not None and found.kind == kind, (text, found)


@pytest.mark.parametrize(
    "text", ["我照顾残疾的儿子出不去上班能帮我找活吗", "俺腿脚不行去不了乡里能派人来不", "精神残疾人怎么申请监护补贴"]
)
def test_sound_alikes_of_everyday_words_are_not_danger(text) -> None:
    assert assess(text) is None


# Written by the lead after reading the kinds the rules missed on the blind batches (own wording, not the items).
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("他拿鞭子把孩子抽得身上全是伤", "violence"),
        ("我爷爷半夜从床上掉地上了 动不了", "fall"),
        ("老伴躺着 叫她好几声都没反应", "medical"),
        ("房子塌了一半 我哥被压在底下出不来", "trapped"),
        ("我的轮椅卡在铁轨中间了", "traffic"),
        ("屋里有火有烟 我出不去", "fire"),
        ("我一个人站在天台上 不想下去了", "self_harm"),
        ("绳子我已经拴好了", "self_harm"),
    ],
)
def test_kinds_the_rules_used_to_miss(text, kind) -> None:
    found = assess(text)
    assert found is not None and found.kind == kind, found


@pytest.mark.parametrize(
    "text",
    [
        "这个热线真是救命稻草 护理补贴咋申请",
        "被骗了钱想打官司 有免费律师吗",
        "闺女找着活了 低保还给不给呗",
        "家门口台阶太高轮椅过不去 能给修个坡吗",
        "日子过不下去了 还有啥办法能帮帮俺",
        "残疾人运动会是啥时候",
    ],
)
def test_everyday_questions_with_danger_sounding_words(text) -> None:
    assert assess(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("闺女癫痫又犯了 往常一两分钟就好 这回抽了一刻钟还停不下来", "seizure"),
        ("他倒地上抽 嘴角全是白沫", "seizure"),
        ("我爹躺下了 不睁眼 不出声", "medical"),
        ("喊她半天 也不大应声", "medical"),
        ("俺胸口闷得慌 直冒冷汗", "medical"),
        ("老头打完胰岛素 手直哆嗦 浑身是汗", "medical"),
        ("楼下瘫痪的大爷好几天没开门了", "unanswered"),
        ("奶奶摔到了 头上一直流", "fall"),
        ("我的轮椅在坡上翻了 压着腿 爬不起来", "fall"),
        ("屋里炉子倒烟 孩子头晕想吐", "gas"),
        ("插座那冒火星子 还有糊味", "fire"),
        ("我弟听不见 晌午出门去河边 到现在都没找着人", "missing"),
        ("药我都准备好了 今晚就吞了它", "self_harm"),
        ("我走了省得再拖累你们", "self_harm"),
        ("以前犯病抽一下就好 今天一直抽不停", "seizure"),
    ],
)
def test_kinds_added_after_the_third_blind_batch(text: str, kind: str) -> None:
    """Seizures that do not stop, no answer when called, chest pain, low blood sugar, head wounds, a tipped-over
    wheelchair, coal smoke, sparks, a deaf relative not found, a plan for tonight (written for development)."""
    found = assess(text)
    assert found is not None and found.kind == kind, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "上个月我爸差点煤气中毒 现在没事了 家里能装个报警器不",
        "去年冬天他抽风住过院 现在好了 能办残疾证吗",
        "俺娃智力不好 总往外跑 我天天担心他走丢 有啥看护的地方",
        "我哥被人打了 对方不赔钱 能找法律援助吗",
        "不想整了 拉倒吧",
        "阳光家园是干啥的",
        "家里想装个烟雾报警的东西 有补贴吗",
    ],
)
def test_near_misses_worries_and_past_events_are_not_emergencies(text: str) -> None:
    assert assess(text) is None, text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我妈老年痴呆 早上溜出去了 我们找了三个钟头还没找着", "missing"),
        ("大雪天我爷爷只穿着拖鞋跑出去了", "cold"),
        ("外头零下二十多度 俺弟就穿着睡衣在外面转悠", "cold"),
        ("停电了暖气不热 我下不去床 冻得直哆嗦 话都说不利索", "cold"),
        ("房顶塌了 我爸被压在下面 我们搬不动", "trapped"),
        ("我坐轮椅上了高速 车跑得飞快 不知道往哪去", "traffic"),
        ("屋里烧着炉子 我和孩子都头晕想吐", "gas"),
        ("孩子磕着了 血流个不停 叫他也不吭声", "medical"),
        ("银行卡密码写在纸上了 钥匙放门口 我以后都用不着了", "self_harm"),
    ],
)
def test_dangers_told_by_what_happens_rather_than_by_name(text, kind) -> None:
    found = assess(text)
    assert found is not None and found.kind == kind, found


@pytest.mark.parametrize(
    "text",
    [
        "冬天零下三十度 残疾人取暖有补贴吗",
        "房子塌了能申请危房改造吗",
        "盲人走在马路上车开得很快 有没有无障碍设施",
        "我的轮椅以后用不着了 能退给残联吗",
        "冬天烧煤炉子 有没有取暖补贴",
        "谢谢你们这些年的照顾",
        "孩子老往外跑 以前找了半天才找着 有没有防走失手环",
    ],
)
def test_questions_near_those_dangers_are_not_danger(text) -> None:
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "医生开的安眠药我一直没吃 都存下来了 够了",
        "药片俺偷偷攒起来好几板了 等没人的时候",
        "以后你们就不用再伺候我了 替我跟孩子说声对不起",
        "银行卡压在褥子底下 密码是孩子生日 往后不用操心我了",
        "我这样的人活着也是多余",
        "活着纯粹是浪费粮食 啥也干不了",
    ],
)
def test_quiet_goodbyes_and_saved_up_pills_are_self_harm(text: str) -> None:
    found = assess(text)
    assert found is not None and found.kind == "self_harm", found


@pytest.mark.parametrize(
    "text",
    [
        "存折放在抽屉里了 领补贴要带存折吗",
        "老人住进养老院以后就不用我们照顾了 养老院费用有补贴吗",
        "药放在柜子里了 医保能报销吗",
        "浪费了一上午排队 残疾证还是没办下来",
    ],
)
def test_savings_care_and_waste_in_a_service_question_are_not_danger(text: str) -> None:
    assert assess(text) is None
