"""What the call core itself says on the phone (plain Chinese, short sentences). Hotline numbers are never written
here: they come from the routing table (bot/rules/routing.py)."""

WELCOME = "欢迎来电。"
TIPS = "您可以直接说，也可以按键。按零转人工，按星号重听。"
TRANSFERRING = "正在为您转接人工客服，请稍候。"
TRANSFER_FAILED = "对不起，转接没有成功。您可以直接拨打{hotline}。"
CALLBACK_PROMISED = "工作人员会给您回电。"
KEEP_HELPING = "现在您可以继续问我。"
EMERGENCY_TRANSFER_FAILED = "对不起，转接没有成功。人工客服会尽快联系您。"
WITH_OPERATOR = "您的话已经转给人工客服，请稍等。"
STILL_WAITING = "您之前要求的人工服务还在排队，现在为您转接。"
