"""What the bot says first when a life is in danger: the number that fits (110/120/119) before anything else, and for
self-harm warm words, the 12356 crisis line and 120/110 — never a queue position."""

from __future__ import annotations

EMERGENCY_MESSAGE = (
    "您的安全最要紧！请马上打电话求助：有危险或被人伤害，打110；受伤、生病、摔倒起不来，打120；着火了，打119。"
)
EMERGENCY_FOLLOW_UP = "我已经把您的情况紧急转给人工客服，他们会尽快联系您。能说话的话，请告诉我您在哪里。"
CRISIS_LINE = "12356心理援助热线"

# The first sentence of the first reply, per kind of danger: the number that fits comes first.
_FIRST: dict[str, str] = {
    "weapon": "请马上躲到安全的地方，打110报警！有人受伤，打120。",
    "violence": "请马上打110报警！受了伤，打120叫救护车。先躲到安全的地方。",
    "confinement": "请马上打110报警，说清楚被关在哪里。",
    "fall": "请马上打120叫救护车！先别硬拉起来，给他盖上衣服保暖。",
    "cold": "请马上打120叫救护车！找不到人帮忙，打110。先想办法保暖。",
    "trapped": "请马上打119求救（也可以打110）！在电梯里请按紧急呼叫按钮，别扒门。",
    "water": "请马上打110和120！大声喊旁边的人来帮忙，递竿子、绳子或衣服拉他上来，不会水别自己下去。",
    "traffic": "请马上打110！说清楚在哪条路、哪个路口，请旁边的人帮忙。",
    "missing": "请马上打110报警！走失不用等24小时，说清楚他穿什么衣服、在哪里不见的。",
    "seizure": "请马上打120叫救护车！让他侧躺，别往嘴里塞东西，别按住他。",
    "poisoning": "请马上打120叫救护车！把药盒或瓶子带上给医生看。",
    "fire": "请马上离开屋子，打119！别坐电梯，别回去拿东西。",
    "gas": "请马上打开窗户、离开屋子，别开灯、别打火、别用手机，到外面再打119或燃气抢修电话。",
    "medical": "请马上打120叫救护车！",
    "unanswered": "请马上打110或120，请他们上门看看！能找到物业、邻居或有钥匙的家人，也请他们一起去。",
}
_OTHERS = "其他危险：被人伤害打110，受伤生病打120，着火打119。"

SELF_HARM_MESSAGE = (
    f"听您这么说，我很担心您。您不是一个人，我在这儿陪着您。请现在就打{CRISIS_LINE}，那里有人愿意听您说；"
    "如果已经伤害了自己，或者觉得马上会出事，请立刻打120或110。"
)
SELF_HARM_FOLLOW_UP = "我也请了工作人员来，他们会尽快联系您。您愿意的话，跟我说说发生了什么，我一直在这儿。"

# While the emergency ticket waits for a person, the bot keeps answering (crisis protocol): no queue position.
_STAY = (
    f"我在这儿，一直陪着您，工作人员马上就来。有危险请马上打110、120或119；心里难受，可以打{CRISIS_LINE}。",
    f"谢谢您告诉我，您想说什么都可以跟我说，我听着。工作人员已经在联系您了。着急就直接打120或110，或者{CRISIS_LINE}。",
    f"您不是一个人。您现在安全吗？要是有危险，请马上打120或110；想找人聊聊，打{CRISIS_LINE}。我一直在这儿。",
)


def first_replies(kind: str | None) -> list[str]:
    """The bot's first messages for a danger of `kind` (None: recognised by the model only — every number)."""
    if kind == "self_harm":
        return [SELF_HARM_MESSAGE, SELF_HARM_FOLLOW_UP]
    if kind in _FIRST:
        return [f"{_FIRST[kind]}{_OTHERS}", EMERGENCY_FOLLOW_UP]
    return [f"{EMERGENCY_MESSAGE}心里难受、想不开，可以打{CRISIS_LINE}。", EMERGENCY_FOLLOW_UP]


def stay_reply(turn: int) -> str:
    """What the bot says to each further message while the emergency waits for a person (any number: varies)."""
    return _STAY[turn % len(_STAY)]
