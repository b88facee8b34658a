"""Fixed texts the gateway itself says (plain Chinese, short). Hotlines come from the routing table
(config/escalation.yml): the gateway does not know the resident's region here, so each region's is named."""

from bot.rules.routing import load_routing

ASK_AGAIN = "您好像没有输入内容。请说说您想了解什么，比如“护理补贴怎么申请”。"
TOO_LONG = "您的话有点长，请分几次说，每次不超过{limit}个字。"
UNAVAILABLE = f"对不起，服务暂时出了问题，请稍后再试。着急的话，请拨打{load_routing().hotline_phrase(None)}。"
INVALID_REQUEST = "请求格式不对：需要 sender_id（1到64位字母、数字、下划线或连字符）和 text（文字）。"
# A turn that stays with the bot but came back with nothing to say (an action failed inside Rasa): never silence.
NO_REPLY = (
    "对不起，我这边刚才出了点问题，没能回答您。请再说一遍；想找工作人员，说“转人工”。有危险请马上打110、120或119。"
)
HANDOFF_CANCELLED = "好的，已经取消转人工。我是智能助手，您可以继续问我。"
CALLBACK_SCHEDULED = "好的，已经登记。工作人员上班后会打{phone}给您回电。现在您可以继续问我。"
