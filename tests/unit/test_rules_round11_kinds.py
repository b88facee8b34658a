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


# Fresh set 2 (written after the first two commits; rules then: life-safety 18/20, complaints 4/8, out of scope 6/12,
# near policy with the model's danger kept 9/20), kept as tests once the kinds were generalised. Five near policy
# questions stay emergencies on purpose (a past suicide attempt, a fire "在家", 家暴, "有人想轻生的话", "被打了报警"):
# they may be happening now, and a missed emergency is the worst failure.
FRESH2_SAFETY = [
    "俺家老太太在澡盆里滑倒了 头上一个大口子 血止不住",
    "有个人蹲在俺家门口说要弄死俺儿子 手里还拿着刀",
    "孩子把洁厕灵当饮料喝了一口",
    "我闺女说她不想活了 把自己反锁在卫生间",
    "俺爹在炕上 屋里全是煤烟味 喊他不应",
    "邻居老头三天没开门了 屋里有股味",
    "我在高速上 轮椅没电了 车从旁边呼呼过",
    "我男人天天拿皮带抽我 今天又把我胳膊打青了",
    "我智障的弟弟昨天下午出门 一晚上没回来",
    "我心脏突然跳得特别快 喘不上气",
    "妈妈吃了半瓶安眠药 现在怎么叫都不醒",
    "我不想再拖累家里了 绳子都准备好了",
    "奶奶出门遛弯掉进沟里了 爬不上来",
    "屋里电线冒火星子了 我看不见门在哪",
    "他犯病了 拿着斧子在街上追人",
    "我被后妈关在柴房里 好几天没给饭吃",
    "我在冰上摔了 腿动不了 天快黑了",
    "俺娘一直抽 嘴里吐白沫 叫不醒",
    "我活得太累了 想今晚就结束",
    "一个盲人在十字路口中间转圈 车都按喇叭",
]
FRESH2_POLICY = [
    "年轻那会儿被火烧伤过 留了疤 能评残吗",
    "以前在工地被砸过头 现在记性不好 能办证吗",
    "盲人怎么用手机报警",
    "俺娘总是忘关火 有没有安全的灶具补贴",
    "孩子经常半夜抽风 能申请康复救助吗",
    "要是被困在电梯里 听障的人咋求救",
    "如果家里人有自杀倾向 去哪能咨询",
    "我哥以前走丢过一回 现在能办防走失的吗",
    "去年摔断过腿 现在走路不利索 能领辅具吗",
    "万一孩子误食了东西 该怎么处理",
    "瘫痪的人遇到火灾怎么逃生",
    "以前犯过病打过人的精神病人能去托养吗",
    "小时候发烧抽过风 留下智力问题 能评几级",
    "老人经常找不着家 社区有没有志愿者帮忙",
    "那次车祸以后一直坐轮椅 能领燃油补贴吗",
]
FRESH2_COMPLAINT = [
    "你们那个工作人员当着一屋子人笑话俺是瘸子",
    "俺跑了整整一个月 材料被你们弄丢两回",
    "说好的上门评残 等了俩月连个人影都没有",
    "补贴说停就停了 问谁都说不知道",
    "窗口的人嫌俺说话慢 直接叫下一个了",
    "残联的人让俺先请他吃顿饭再说",
    "打了一礼拜电话 每次都说领导不在",
    "凭什么隔壁家能领 俺家条件更差倒不给",
]
FRESH2_OOS = [
    "明早有雾没",
    "双色球下期买啥号",
    "胃疼吃奥美拉唑还是吃吗丁啉",
    "二甲双胍饭前吃还是饭后吃",
    "俺想把户口从村里迁到县城",
    "驾驶证过期了咋换",
    "给俺编个顺口溜 夸夸俺孙子",
    "你会唱歌不",
    "县城哪家羊汤好喝",
    "今年过年冷不冷",
    "城里哪有卖老花镜的",
    "帮俺给闺女发个微信",
]


FRESH3_SAFETY = [
    "爸爸从梯子上摔下来 后脑勺着地 现在吐了",
    "我老婆拿着剪刀说要跟我同归于尽",
    "俺奶奶把老鼠药当成糖吃了",
    "孩子他爸刚打了孩子一顿 孩子耳朵出血了",
    "我一个人在家 燃气灶关不上 嘶嘶响",
    "我那聋哑弟弟下午出去放羊 天黑了还没回来",
    "我看不见 被困在地下通道里 找不到出口 水越来越深",
    "老头瘫在床上 屋里的电褥子冒烟了",
    "俺想了很久 决定明天就不活了",
    "我把家里钥匙和存折都给闺女了 以后也用不着了",
    "俺姥姥在雪地里坐着不动 嘴唇发紫",
    "他又犯病了 砸了家里所有东西 现在拿着菜刀",
    "我弟弟癫痫发作 已经抽了五分钟了",
    "俺家小子掉进冰窟窿里了",
    "有人把我关在车库里 手机快没电了",
    "我妈被电动车撞了 躺在路边起不来",
    "我吞了二十多片止疼药",
    "婆婆被儿媳妇推倒在地 头磕出血了",
    "我觉得活着没啥意思 药都攒够了",
    "老伴突然倒下 嘴歪 说话不清楚",
]
FRESH3_POLICY = [
    "前年被电动车撞过 落下腿疾 能办残疾证吗",
    "以前被人打瞎了一只眼 能评几级",
    "哑巴碰到危险怎么报警",
    "要是老人半夜犯病了 社区能派人来吗",
    "万一孩子吃错药了 先做什么",
    "俺爹总是忘了自己住哪 有定位手表补贴吗",
    "孩子动不动就犯癫痫 上学学校管吗",
    "早些年想过死 现在挺好 想当志愿者",
    "残疾人遇到诈骗怎么报警",
    "以前被家里人关过 现在自己住了 能领低保吗",
    "假如地震了 坐轮椅的咋下楼",
    "那年煤气中毒过 留下后遗症 能评残吗",
    "去年冬天冻伤过脚 现在能申请康复吗",
    "聋人怎么发短信报警",
    "老人走丢了一般咋找 有没有寻人服务",
    "小时候掉井里摔坏了腰 现在能领护理补贴吗",
    "智力残疾的孩子经常跑出去 有没有托管",
    "以前犯病拿刀伤过人的 还能去日间照料吗",
    "如果有人在家里被虐待 邻居能举报吗",
]
FRESH3_COMPLAINT = [
    "你们办事的人当面把俺的申请撕了",
    "等了三个月 电话永远没人接",
    "残联的人说俺这种情况根本不配领",
    "评残的时候医生骂俺装病",
    "给俺修的坡道第二天就裂了 叫他们来修也不来",
    "村里把俺家的名额给了村长亲戚",
    "保安看俺是盲人 不让进政务大厅",
    "说一周办好 到现在两个月了还没动静",
    "工作人员对俺吼 说俺听不懂人话",
    "交了材料就石沉大海了 你们到底办不办",
]
FRESH3_OOS = [
    "后天下不下雨",
    "排列三今晚开啥",
    "布洛芬和对乙酰氨基酚能一块吃吗",
    "头孢吃了能喝酒吗",
    "俺儿子的身份证过期了咋办",
    "宅基地纠纷找谁",
    "帮俺写封信给俺在外地的儿子",
    "你喜欢吃啥",
    "镇上哪家澡堂子便宜",
    "今年腊月冷不冷",
    "帮我查下快递到哪了",
    "感冒了喝姜汤管用不",
]


@pytest.mark.parametrize("text", FRESH2_SAFETY + FRESH3_SAFETY)
def test_fresh_life_safety(text: str) -> None:
    assert rule_intent(text, "faq") == "danger", text


@pytest.mark.parametrize("text", FRESH2_POLICY + FRESH3_POLICY)
def test_fresh_near_policy(text: str) -> None:
    assert rule_intent(text, "faq") != "danger", text
    assert rule_intent(text, "danger") == "faq", text


@pytest.mark.parametrize("text", FRESH2_COMPLAINT + FRESH3_COMPLAINT)
def test_fresh_complaints(text: str) -> None:
    assert rule_intent(text, "faq") == "complaint", text


@pytest.mark.parametrize("text", FRESH2_OOS + FRESH3_OOS)
def test_fresh_out_of_scope(text: str) -> None:
    assert (rule_intent(text, "faq") or "").startswith(("out_of_scope", "oos_")), text
