"""Round 11: kinds of out-of-scope questions and complaints the rules missed on the development blind batches,
generalised (sentences written for these tests, none taken from tests/blind/), with near misses that must not fire."""

import pytest

from bot.rules.complaints import is_complaint
from bot.rules.intent_rules import rule_intent
from bot.rules.out_of_scope import GOVERNMENT, MEDICAL, OTHER, out_of_scope_intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # medicine: a dose, a medicine named by its ending, stopping one, a remedy, a symptom and what to do
        ("俺爹的降糖片一次吃三片行不行", MEDICAL),
        ("美托洛尔早上吃还是晚上吃 能跟降压茶一起喝吗", MEDICAL),
        ("奥美拉唑胶囊能掰开吃不", MEDICAL),
        ("阿托伐他汀副作用大不大", MEDICAL),
        ("这俩药哪个副作用小", MEDICAL),
        ("治失眠有没有啥偏方", MEDICAL),
        ("降压药吃了头晕 能不能自己停", MEDICAL),
        ("牙疼得厉害咋整", MEDICAL),
        ("孩子烧到三十九度 要不要去医院", MEDICAL),
        ("老伴咳嗽好几天了 吃啥药好", MEDICAL),
        # weather: a day and wind or frost, a season
        ("后天刮不刮风啊 俺要去赶集", OTHER),
        ("这两天有霜冻没", OTHER),
        ("今年夏天热不热", OTHER),
        ("明天天汽咋样", OTHER),  # a homophone
        # lottery
        ("体彩大乐透今晚几点开", OTHER),
        ("买彩票给俺挑几个号呗", OTHER),
        # other offices
        ("俺家老宅要拆迁了 补偿咋算", GOVERNMENT),
        ("村里的地被征了 钱啥时候给", GOVERNMENT),
        ("医保卡里的钱能取现金吗", GOVERNMENT),
        ("去外地住院 医保要备案不", GOVERNMENT),
        ("娃上初中按学区划片不", GOVERNMENT),
        ("拖拉机能享受农机购置补贴吗", GOVERNMENT),
        ("俺儿子领证结婚要带啥", GOVERNMENT),
        # tasks and chat
        ("帮我写个朋友圈广告 卖自家种的小米", OTHER),
        ("给俺写一张请假条 明天带娃看病", OTHER),
        ("这句英语啥意思 good morning", OTHER),
        ("你帮我给我闺女打个电话呗", OTHER),
        ("吃饭了没 你们忙不忙", OTHER),
        ("手机咋截图", OTHER),
        ("附近哪有卖烤红薯的", OTHER),
        ("金价今天多少钱一克", OTHER),
    ],
)
def test_kinds_out_of_scope(text: str, intent: str) -> None:
    assert out_of_scope_intent(text) == intent, text
    assert rule_intent(text, "faq") == intent, text


@pytest.mark.parametrize(
    "text",
    [
        # the domain's own questions that share words with the new patterns
        "孩子康复训练一次两个小时 能报销吗",
        "精神残疾的人吃药能报销不",
        "吃药的钱医保给报多少",
        "残疾人看病去哪家医院能减免",
        "护理补贴一次发几个月的",
        "冬天取暖有补贴吗 我是重度残疾",
        "明天残联有活动吗",
        "残疾人证能不能享受公交免费",
        "征兵体检 残疾人能去吗",
        "帮我写个申请 护理补贴的",
        "盲人用手机怎么读屏",
        "聋人买的助听器副作用大不大",  # a device of the domain
        "托养中心附近有卖轮椅的店吗",
        "我想打电话给残联问问",
    ],
)
def test_near_misses_keep_the_models_reading(text: str) -> None:
    assert out_of_scope_intent(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "带着导盲犬进饭馆 服务员死活不让进 说狗不能进",
        "坐轮椅去银行 保安不让俺进门 说不能进",
    ],
)
def test_turned_away_with_a_cannot_enter_is_a_complaint(text: str) -> None:
    assert is_complaint(text), text
    assert rule_intent(text, "faq") == "complaint"


@pytest.mark.parametrize(
    "text",
    ["导盲犬能进超市吗", "坐轮椅的能进电影院不", "残疾人证能进公园免费吗"],
)
def test_asking_whether_one_may_enter_is_not_a_complaint(text: str) -> None:
    assert not is_complaint(text), text


@pytest.mark.parametrize(
    "text",
    [
        "残联那个窗口的大姐把俺的表扔出来了 说下回再来",
        "你们承诺十五个工作日 这都俩月了",
        "俺娘的补贴卡让村会计拿着不还",
        "公交司机看俺拄拐 直接没停",
        "社区的人说俺闺女是傻子 当着面说的",
        "这都第三回了 材料又说不全",
        "申请无障碍改造大半年了 一点信儿没有",
        "售票员不让我带导盲犬上车",
        "辅具中心给的轮椅刹车坏的 打电话说不管",
    ],
)
def test_complaint_kinds_told_as_a_story(text: str) -> None:
    assert is_complaint(text), text
    assert rule_intent(text, "faq") == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "补贴发放有没有公示",
        "评残结果不满意能复查吗",
        "材料交了多久能批下来",
        "上回来的工作人员挺好的 谢谢他",
        "办证要跑几趟",
        "申请以后多久有消息",
        "导盲犬能带上公交车吗",
        "残疾证丢了 补办要带啥",
    ],
)
def test_questions_near_the_new_complaint_kinds_are_not_complaints(text: str) -> None:
    assert not is_complaint(text), text
