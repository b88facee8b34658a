"""Questions plainly outside the assistant's remit, whatever the model said: the weather, the lottery, markets,
tickets and shops, symptoms and medicines (a doctor), other government services (户口, 护照, 社保卡, 转学 …) asked
without any word of disability services, and tasks (write, translate). They are declined with a redirect (the general
hotline for government services, a doctor or 120 for health, the usual office from config/out_of_scope.yml) instead of
a clarifying question about disability topics or an application form. Conservative on purpose: any word of the bot's
own domain keeps the model's reading (a task excepted: "把'我要轮椅'翻译成俄语" is still a translation)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.rules.sounds import repair

GOVERNMENT, MEDICAL, OTHER = "oos_government", "oos_medical", "out_of_scope"  # nlu_data/domain/understanding.yml

# Words of the bot's own domain: with any of them the question may be in scope ("户口不在本地能领补贴吗").
_IN_SCOPE = re.compile(
    r"残|补贴|补助|低保|救助|康复|辅具|辅助器具|轮椅|助听|拐|盲|聋|哑|智力|精神|肢体|瘫|护理|托养|照护|就业|培训|"
    r"上学|教育|领|申请|办证|评定|鉴定|优惠|减免|免费|无障碍|养老|医保|保险|热线|12385|转人工|人工|"
    r"瘸|瞎子|眼瞎|傻子|手语|听障|视障|法律援助|维权|歧视|调解|"
    r"送教|老师|学校|上课|公交|班车|活动|服务|社区|医院|上门|政策"
)
_WEATHER = re.compile(
    r"天气预报|(?:今天|明天|后天|今儿|明儿|这几天|周末|待会|今晚|明早|下午|晚上|早上|这周|下周)\S{0,8}"
    r"(?:天气|气温|多少度|几度|下雨|下雪|刮风|降温|冷不冷|热不热|雾霾|有雨|有雪)"
    r"|(?:天气|气温)\S{0,4}(?:咋样|怎么样|如何|好不好|多少度)"
    r"|(?:今天|明天|后天|今儿|明儿|周末|今晚|明早|这几天|外边|外面)\S{0,8}(?:冷吗|热吗|冷不|下雪不|下雨不|下不下|刮风不|有雨没)"
    r"|(?:这礼拜|下礼拜|这星期|下星期|礼拜天|明后天|这两天|过两天|这个月|月底)\S{0,8}"
    r"(?:天气|气温|多少度|几度|下雨|下雪|有雨|有雪|刮风|降温|冷不|热不|冷吗|热吗|升温)"
    r"|(?:今天|明天|后天|今儿|明儿|今晚|明早|这几天|周末|这礼拜|下礼拜|这两天|过两天)\S{0,4}"
    r"(?:刮不刮|下不下|风大|大风|有风|有霜|霜冻|暴雨|冰雹|雾大|起雾|有雾|大雾|晴不晴|阴天|晴天)"
    # round 11: a season asked about ("今年冬天冷不冷 能到零下三十度不")
    r"|(?:今年|今冬|这个|明年)?(?:冬天|夏天|春天|秋天|三九天|入冬|入伏|过年|年底|腊月|正月)\S{0,6}(?:冷不冷|热不热|冷吗|热吗|多冷|多热|零下\S{0,4}度)"
    r"|(?i:weather|forecast)"
)
_LOTTERY = re.compile(
    r"买彩票|彩票\S{0,6}(?:开奖|号码|中奖|能中|中吗|中不中|中了)|体彩|福彩|七乐彩|排列(?:三|五|3|5)|"
    r"彩票?\S{0,16}(?:推荐|选|挑|给\S{0,2}出)\S{0,3}(?:几个|个|一组|一注)?号|彩票\S{0,12}(?:想买|要买|去买|在哪买|哪儿买)|大乐透|双色球|开奖|中奖|中(?:个|了|一)?大奖|刮刮乐|买啥号|(?i:lottery)"
)
# Plainly about something else even when a word of the domain describes the person ("下礼拜降温不 我妈坐轮椅要去
# 复查", "福利彩票是给残疾人的吧 我买彩票能中吗"): the weather of a given day, winning the lottery — unless the
# message also asks for a service or a benefit ("明天下雪 残疾人有取暖补贴吗").
_ASKS_POLICY = re.compile(
    r"补贴|补助|申请|办理|能领|政策|残疾证|残疾人证|救助|服务|热线|优惠|减免|免费|12385|人工|活动|上班|公益金|资助|"
    r"送教|老师|上门|上课|学校|公交|班车|社区"
)
# Words of a disability itself (not of a general service the domain also covers, such as 医保).
_DISABILITY_WORDS = re.compile(r"残|轮椅|盲|聋|哑|智力|精神|肢体|瘫|护理|托养|辅具|辅助器具|康复|助听")
# Other offices' business even though a domain word is in it: moving one's medical-insurance registration.
_GOVERNMENT_FIRST = re.compile(
    r"医保关系|(?:医保|社保|养老保险)\S{0,4}(?:转移|转回|转出|转入|转过来|转回来|接续)|异地就医|"
    # round 9: one's retirement pay, income tax, wages owed, a road accident's claim (offices of their own)
    r"(?:医保卡|社保卡)\S{0,4}(?:丢|补办|补|挂失|换|激活)|(?:社保|医保|养老保险)\S{0,4}(?:断交|断缴|补交|补缴)|"
    r"退休(?:工资|金|费)|养老金\S{0,4}(?:涨|发|到账|没到|多少|什么时候|啥时候|认证)|个人所得税|所得税|报税|"
    r"(?:欠|拖欠|克扣)\S{0,6}工资|工资\S{0,6}(?:不给|不发|没发|拖着|要不回来)|欠薪|交通事故|撞了\S{0,6}(?:不赔|赔多少|谁赔)|"
    # round 11: insurance cards' money and treatment elsewhere, farm machinery, land and houses taken, school places
    r"(?:医保卡|社保卡)\S{0,4}(?:取|余额|里的钱|密码)|(?:医保|医保卡)\S{0,8}(?:外地|异地)\S{0,6}(?:看病|就医|住院|备案)|"
    r"(?:外地|异地)(?:看病|就医|住院)\S{0,6}备案|农机(?:购置)?补贴|征地|拆迁|(?:地|房子?)\S{0,2}(?:被|叫|让)?征(?:了|收)|"
    r"征收|补偿款|划片|学区"
)
# Politics and family customs: nothing the assistant may judge.
_OPINION = re.compile(
    r"总统|总理|首相|特朗普|拜登|普京|选举|国家领导人|国际形势|打仗|彩礼|嫁妆|份子钱|随礼|随多少|礼金|相亲"
)
# Markets, tickets and shopping: nothing the assistant knows ("股票明天涨不涨", "火车票咋买", "哪家便宜").
_MARKET = re.compile(
    r"股票|炒股|股市|基金\S{0,4}(?:涨|跌|买)|汇率|卢布|美元|人民币\S{0,2}(?:换|兑)|金价|比特币|"
    r"(?:火车|高铁|动车|飞机|汽车|大巴)票\S{0,6}(?:怎么|咋|哪|多少|买|订)|(?:买|订)\S{0,2}(?:火车|高铁|动车|机|汽车)票|"
    r"(?:几点|啥时候|什么时候)(?:发车|开车|起飞)|(?:发车|班车)时间|"
    r"(?:火车|高铁|动车|汽车|大巴|飞机|航班|客车)\S{0,6}(?:几点|时刻|班次|多会儿)|(?:火车|高铁|动车|机|汽车)票\S{0,4}(?:退|改签)|"
    r"油价|菜价|房价|(?:哪个|啥|什么)牌子\S{0,3}好|(?:冰箱|洗衣机|电视|空调|热水器|电脑)\S{0,3}坏了|(?:狗|猫)\S{0,3}(?:丢了|跑丢|病了)|"
    r"借(?:我|俺|给我|给俺)\S{0,2}钱|(?:哪里|哪儿|哪家|哪个店|在哪)\S{0,4}(?:便宜|买|卖|好吃)|二手\S{0,6}(?:哪|便宜|多少钱)|网购|淘宝|拼多多|外卖|好吃的|饭店|"
    r"(?:^|[，,。！!？?\s]|你|请)(?:帮|给|替)(?:我|俺)\S{0,4}(?:买|订|定|点)(?:个|一|张|份|箱|些|点|杯|袋)|网上买|"
    r"快递|国足|足球|篮球|NBA|CBA|世界杯|奥运|比赛\S{0,4}(?:谁赢|几点|比分)|谁赢了|冠军"
)
# Tasks for someone else's job: write, translate, tell a story (whatever the words in them: "把'我要轮椅'翻译成俄语").
_TASK = re.compile(
    r"翻译(?:成|为|一下)|译成|(?:写|作)(?:一)?(?:篇|首|段)|(?:帮|给)(?:我|俺)(?:写|编)(?:个|一个|篇|首)?(?:作文|文章|诗|论文|"
    r"检讨|演讲稿|小说|故事|歌|请假条|文案|总结|顺口溜|段子|打油诗|口号|广告词)|(?:帮|给|替)(?:我|俺)\S{0,4}写\S{0,2}申请书(?!\S{0,12}(?:补贴|补助|救助|康复|轮椅|低保|托养|残疾|辅具|改造))|讲个(?:笑话|故事)|唱(?:个|首|一)歌?|算(?:个|一)?命|看(?:个)?星座|解(?:个)?梦|"
    r"(?:帮|给)(?:我|俺)算(?:算|一下|一算)\S{0,12}(?:多少|几)|乘以|除以|"
    # "帮我给我闺女写个生日祝福", "写一份入党申请书": someone's own letter, greeting or poem
    r"(?:帮|给|替)(?:我|俺)\S{0,6}(?:写|编)(?:一)?(?:个|份|封|篇|首|段|张)?\S{0,4}"
    r"(?:祝福|贺词|贺卡|对联|情书|简历|悼词|请柬|诗|作文|入党申请|入团申请|辞职|检讨|求职信|介绍信|信)|"
    # round 11: "给俺写个朋友圈文案", "帮我写一份给单位的请假条", "把这句英文翻意一下"
    r"(?:帮|给|替)(?:我|俺)\S{0,3}(?:写|编)\S{0,10}(?:文案|朋友圈|广告|请假条|假条|贺词|作文|演讲稿|发言稿|小作文|情书)|"
    r"(?:英文|英语|日语|俄语|韩语|外语|外文)\S{0,8}(?:翻|译|啥意思|什么意思|咋念|怎么念|怎么读)"
)
# Health: symptoms and medicines (a doctor; 120 when acute). Danger is read before this, so "喘不上气" is an emergency.
_MEDICAL = re.compile(
    r"(?:头孢|阿莫西林|布洛芬|阿司匹林|降压药|安眠药|止疼药|止痛药|感冒药|消炎药|退烧药|胰岛素|二甲双胍|速效救心|"
    r"抗生素|激素|中药|西药|偏方|这药|这个药|啥药|什么药)\S{0,12}(?:能|可以|会|怎么|咋|几|多少|一起|同时|管用|副作用|吗|不)|"
    r"吃(?:几|多少)(?:片|粒|颗|毫克|袋|包)|一次吃几|剂量|药量|"
    r"(?:疼|痛|痒|麻|肿|晕|咳嗽|发烧|拉肚子|失眠|便秘|胸闷|没劲)\S{0,10}(?:是(?:什么|啥|甚)|是不是|还是|咋回事|怎么回事|"
    r"吃(?:什么|啥|甚)药|咋治|怎么治|能治|要紧不|要紧吗|严重吗)|"
    r"(?:是|得了|算)(?:什么|啥|甚)(?:病|毛病)|(?:风湿|关节炎|高血压|糖尿病|感冒)\S{0,6}(?:咋治|怎么治|吃啥|吃什么)|"
    r"(?:药|药片|膏药|止疼片|止痛片)\S{0,8}(?:管用|顶用|好使|中不中|行不行|减量|补吃|双份|漏吃|副作用|哪个好)|"
    r"(?:漏吃|少吃|多吃|忘吃)了?\S{0,4}(?:药|一顿|一回)|(?:把|能)\S{0,8}治好|治得好|"
    r"(?:血压高|高血压|糖尿病|血糖高|痛风)\S{0,8}(?:能(?:吃|喝)|可以(?:吃|喝)|吃啥|吃什么|喝啥|忌口)|"
    # a pain and what to take for it ("疼得睡不着 吃啥止疼"); changing a dose ("药…能不能减量")
    r"(?:疼|痛|痒|麻|肿|晕|咳嗽|发烧|失眠)\S{0,10}(?:吃|贴|抹|擦|用|喝)(?:什么|啥|甚)|"
    r"(?:什么|啥|甚|哪种|哪个)(?:膏药|药膏|药)\S{0,3}(?:好|管用|好使|顶用)|"
    r"药\S{0,14}(?:减量|加量|减药|停药|加药|换药|少吃点|多吃点)|"
    r"(?:能不能|可不可以|可以|能|要不要|该不该)(?:自己)?(?:减量|加量|减药|停药|加药|换药)|"
    # round 11: a dose ("一回吃两片中不中", "吃两片和吃三片有啥区别"); medicines named by their endings; stopping one;
    # a remedy or a supplement; "什么药" put any way round; a symptom and what to do
    r"(?:一回|一次|一天|每次|每回|一顿|每天)\S{0,2}(?:吃|喝|用)[一两二三四五六七八九十半几俩仨]\S{0,1}(?:片|粒|颗|丸|袋|包|毫升|支|勺)|"
    r"吃[一两二三四五六七八九十半俩仨]\S{0,1}(?:片|粒|颗|丸)\S{0,12}(?:区别|中不中|行不行|可以吗|能行|多了|少了)|"
    r"[\u4e00-\u9fff]{1,4}(?:地平|洛尔|沙坦|他汀|西林|霉素|沙星|哌唑|氮平|西泮|唑仑|普利|双胍|咪唑|胶囊|颗粒|口服液|冲剂|感冒灵|板蓝根)"
    r"\S{0,10}(?:能|可以|一起|一块|同时|副作用|哪个好|管用|吃几|喝几|能喝|能吃|跟酒|和酒)|"
    r"副作用\S{0,3}(?:大|小|多|少|哪个)|药\S{0,8}(?:能不能|可不可以|可以|能|要不要|该不该)?自己(?:停|减|断)|"
    r"(?:减一半|减半|自己停)(?:吗|不|么|[？?]|$)|偏方|保健品|鱼油|(?:吃|喝|用)\S{0,8}(?:能好|能治好)\S{0,4}(?:吗|不|真的假的)?|"
    r"(?:吃|用|喝|抹|贴)(?:什么|啥|甚|哪种)\S{0,2}药|(?:什么|啥|甚)药\S{0,2}(?:吃|好|管用|能治)|"
    r"(?:发烧|发炎|流水|流脓|耳鸣|咳嗽|拉肚子|头疼|头痛|牙疼|腰疼|腿疼|嗓子疼)\S{0,8}(?:怎么办|咋办|咋整|咋弄|怎么弄|要不要去医院)|"
    r"(?:发烧|烧到)\S{0,2}(?:三十|四十|3\d)|"
    r"(?:感冒|发烧|咳嗽|嗓子疼|头疼|拉肚子|失眠|便秘)\S{0,10}(?:管用|有用|好使|顶用)|"
    r"(?:饭前|饭后|空腹|睡前|早上|晚上)吃还是(?:饭前|饭后|空腹|睡前|早上|晚上)吃"
)
_COST = re.compile(r"报销|能报|费用|花钱|多少钱|给报|免费|补贴|补助|医保|救助")
_GOVERNMENT = re.compile(
    r"(?:上|落|迁|办|转|销|报)户口|户口\S{0,8}(?:迁|转|怎么办|咋办|丢)|护照|通行证|结婚证|离婚|房产证|不动产证|公积金|营业执照|农机|老年证|准生证|出生证明|违章|车牌"
    r"|新农合|合作医疗\S{0,4}(?:交|缴)|签证|过户|(?:上|读|念)(?:小学|初中|幼儿园)\S{0,8}(?:报名|手续|怎么办|咋办|要啥|要什么)"
    r"|供暖|供热|暖气\S{0,4}(?:不热|啥时候|什么时候|几号|开始|停)|噪音|扰民|(?:驾照|驾驶证)\S{0,4}(?:到期|过期|换证|换|扣分|扣了|年审|补办|丢)|扣(?:了)?几分"
    r"|(?:烧烤摊|广场舞|装修|工地|夜市|歌厅|KTV|饭馆|饭店|邻居|楼上|楼下)\S{0,10}(?:吵(?:到|得|死|人|翻天)|闹腾|噪)"
    r"|(?:小学|初中|幼儿园|入学)报名"
    r"|身份证\S{0,4}(?:到期|过期|丢|补|换|办)|社保卡|退休金|养老金\S{0,4}认证|转学|学籍|年检|车管所|宅基地|土地纠纷|"
    r"土地确权|出入境|暖气费|供暖费|水费|电费|燃气费|结婚登记|领证结婚|居住证|个税|退税|健康证|养狗|犬证|征地|退休手续|罚单|罚款|"
    # round 9: courts, banks, phone bills, vaccinations, exam results, pets, vehicles' plates
    r"银行卡|信用卡|房贷|贷款|利率|存款利息|物业|漏水|"
    r"(?:话费|宽带|有线电视)\S{0,4}(?:怎么查|查询|余额|充值|怎么交|怎么缴|缴费|交费|报修)|(?:查|充|交|缴)(?:个|一下)?(?:话费|宽带费)|"
    r"疫苗\S{0,6}(?:在哪|哪里|哪儿|能打|还能|预约|接种)|中考|高考|分数线|宠物|狗证|上牌|牌照"
)
# Small talk with the assistant ("你喜欢唱歌不", "人工智能聪明不", "陪俺唠唠"): nothing to look up; say what it does.
_CHAT = re.compile(
    r"(?:你|您)(?:觉得|认为|喜欢|爱(?:吃|看|听|玩)|吃(?:饭|了)|结婚|有对象|会唱|无聊|开心吗|累不累)|"
    r"唠(?:会|会儿|一会儿?)?嗑|聊(?:会|会儿|一会儿?)天|陪(?:我|俺)(?:聊|唠|说说话)|解闷|人工智能|"
    # the time or the date ("现在几点了", "下周三是几号"): nothing to look up here
    r"^\W*(?:现在|今天|明天|后天|昨天|下周\S|这周\S|下礼拜\S)?\S{0,2}(?:几点了?|几号了?|是几号|星期几|礼拜几|农历\S{0,4})\W*$|"
    r"(?:放|来|播)(?:首|一首|个)歌|"
    # round 11: "吃了没 你们那边忙不忙"; a phone's own settings; a snack or a shop nearby; gold's price
    r"^\W*吃(?:了|饭了)没|(?:你|你们)\S{0,4}忙不忙|(?:帮|替)(?:我|俺)(?:给|跟)\S{1,6}(?:打(?:个|一个|一下)?电话|发(?:个|条|一条)?(?:微信|短信|消息))|"
    r"手机\S{0,6}(?:怎么|咋|如何)(?:截屏|截图|调字|调声音|连wifi|连WiFi|连网|清理|下载|拍照)|"
    r"(?:附近|周边|这边|哪里|哪儿|哪)\S{0,2}(?:有卖|卖)\S{0,8}(?:的|店)|(?:最|比较)(?:正宗|好吃)|(?:哪家|哪个店|哪里|哪儿)\S{0,6}(?:好吃|好喝|正宗|实惠)|黄金\S{0,6}(?:多少钱|价格|一克)"
)
# Words that contain a domain word without being about the domain (人工智能 is not 人工客服).
_NOT_DOMAIN = re.compile(r"人工智能|智能手机|养老金\S{0,4}认证|领证结婚|结婚领证|领结婚证|精神科")
# Health questions whose only word of the domain is the hospital itself ("要不要去医院 还是先吃退烧药").
_HOSPITAL = re.compile(r"医院|医生|大夫")
# English, read the same way: a domain word keeps the English topic matcher's reading.
_IN_SCOPE_EN = re.compile(
    r"(?i)disab|wheelchair|blind|deaf|subsid|allowance|rehab|dibao|hotline|\bperson\b|human|agent|apply|"
    r"certificate|autis|handicap|caregiver|care\b|12385|12345"
)
_MEDICAL_EN = re.compile(
    r"(?i)\b(?:paracetamol|ibuprofen|aspirin|antibiotics?|medicines?|medication|pills?|tablets?|dose|dosage|"
    r"painkillers?|headache|fever|cough)\b"
)
_GOVERNMENT_EN = re.compile(
    r"(?i)\b(?:passport|visa|hukou|household registration|driver'?s licen[cs]e|marriage|divorce|tax|"
    r"social security card|pension|ID card)\b"
)
_OTHER_EN = re.compile(
    r"(?i)\b(?:translate|essay|poem|joke|sing|song|football|soccer|basketball|movie|music|weather|forecast|lottery|"
    r"stocks?|bitcoin|do you like|favou?rite|recipe|buy me|order me)\b"
)
MAX_CHARS = 200  # longer messages tell a story: the model and the other rules read them


# Words a speech-recognition homophone may hide in a short question ("明天天汽怎么样", "交通罚但"): read as they sound
# when the text as written matched nothing.
_SOUND_WORDS = ("天气", "气温", "下雨", "下雪", "彩票", "开奖", "罚单", "户口", "护照", "翻译", "股票", "快递", "违章")
MAX_SOUND_CHARS = 40


def out_of_scope_intent(text: str | None) -> str | None:
    """oos_government, out_of_scope or None (keep the model's reading)."""
    if not text or len(text) > MAX_CHARS:
        return None
    compact = re.sub(r"\s+", "", text)
    found = _outside(text, compact)
    if found is None and len(compact) <= MAX_SOUND_CHARS and re.search(r"[\u4e00-\u9fff]", compact):
        heard = repair(compact, _SOUND_WORDS)
        if heard != compact:
            found = _outside(heard, heard)
    return found


def _outside(text: str, compact: str) -> str | None:
    if _TASK.search(compact):
        return OTHER  # a task, whatever it is about
    if not re.search(r"[\u4e00-\u9fff]", compact):
        return _english(text)
    if not _ASKS_POLICY.search(compact) and (_WEATHER.search(compact) or _LOTTERY.search(compact)):
        return OTHER  # the weather or the lottery, a disability only describing who asks
    if _GOVERNMENT_FIRST.search(compact) and not _DISABILITY_WORDS.search(compact):
        return GOVERNMENT
    domain = _NOT_DOMAIN.sub("", compact)
    if _MEDICAL.search(compact) and not _COST.search(compact) and not _IN_SCOPE.search(_HOSPITAL.sub("", domain)):
        return MEDICAL
    if _IN_SCOPE.search(domain):
        return None
    if _MEDICAL.search(compact) and not _COST.search(compact):
        return MEDICAL
    if _GOVERNMENT.search(compact):
        return GOVERNMENT
    if _MARKET.search(compact) or _CHAT.search(compact) or _OPINION.search(compact):
        return OTHER
    return None


def _english(text: str) -> str | None:
    """The same reading for a message in English: without a word of the domain, medicine, another government
    service or anything else plainly outside the remit."""
    if _IN_SCOPE_EN.search(text):
        return None
    if _MEDICAL_EN.search(text):
        return MEDICAL
    if _GOVERNMENT_EN.search(text):
        return GOVERNMENT
    return OTHER if _OTHER_EN.search(text) else None


WHERE_TO_GO = Path(__file__).resolve().parents[2] / "config" / "out_of_scope.yml"


@lru_cache(maxsize=2)
def _where_to_go(path: Path = WHERE_TO_GO) -> tuple[tuple[tuple[str, ...], str], ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple((tuple(str(w) for w in entry["words"]), str(entry["say"])) for entry in raw.get("where_to_go") or [])


def where_to_go(text: str | None) -> str | None:
    """The usual office for a question outside the remit (config/out_of_scope.yml), or None."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text[:MAX_CHARS]).lower()
    table = _where_to_go()
    for read in (lambda: compact, lambda: repair(compact, _sound_words(table))):  # as written, then 天汽 → 天气
        said = read()
        for words, say in table:
            if any(word in said for word in words):
                return say
    return None


@lru_cache(maxsize=2)
def _sound_words(table: tuple[tuple[tuple[str, ...], str], ...]) -> tuple[str, ...]:
    return tuple(w for words, _say in table for w in words if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w))
