"""Fixed texts of the WeChat channel and its custom menu (EventKey → the question the menu item asks).

Create the menu in the 公众号 with docs/wechat.md's JSON; the keys below must match it.
"""

from __future__ import annotations

from bot.rules.routing import load_routing

WELCOME = (
    "您好，欢迎关注！我是无障碍助残服务的智能助手。\n"
    "您可以直接打字问我，比如“护理补贴怎么申请”。\n"
    "不方便打字，可以按住说话，发语音给我。\n"
    "想申请补贴，就说“我要申请”，我一步一步问您。\n"
    "想找真人，就说“转人工”，我帮您转接人工客服。"
)
HELP = WELCOME
UNSUPPORTED = "我现在只看得懂文字和语音。请打字，或者发语音告诉我。"
# The region is not known yet here: the routing table names each region's hotline.
VOICE_UNAVAILABLE = f"语音暂时听不清，请发文字。也可以拨打{load_routing().hotline_phrase(None)}。"
VOICE_EMPTY = "这段语音我没有听清，请再说一遍，或者发文字。"
PICK_NUMBER = "回复数字就能选："

# Custom menu (自定义菜单): CLICK buttons send these EventKeys.
MENU_QUESTIONS: dict[str, str] = {
    "NURSING_SUBSIDY": "重度残疾人护理补贴怎么申请",
    "LIVING_SUBSIDY": "困难残疾人生活补贴怎么申请",
    "HOME_ADAPTATION": "家庭无障碍改造怎么申请",
    "APPLY": "我要申请",
    "MY_APPLICATION": "我的申请到哪了",
    "HUMAN": "转人工",
}
MENU_TEXTS: dict[str, str] = {"HELP": HELP}
