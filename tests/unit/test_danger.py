import pytest

from bot.rules.danger import EMERGENCY_MESSAGE, is_danger


@pytest.mark.parametrize(
    "text",
    ["我不想活了", "救命啊", "家里着火了", "我妈摔倒了起不来", "他又打我了", "我被锁在屋里出不去", "有人家暴我妈",
     "我想自杀", "我爸晕倒了", "门被锁了 我 出 不 去", "他 打 我", "家里着火了 坐轮椅出不去",
     "困在楼道里出不去了", "他打我的头"],
)  # fmt: skip
def test_danger_is_recognised(text) -> None:
    assert is_danger(text)


@pytest.mark.parametrize(
    "text",
    [
        "护理补贴怎么申请",
        "我想申请轮椅",
        "打电话给12385",
        "火车票怎么买",
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
def test_ordinary_questions_are_not_danger(text) -> None:
    assert not is_danger(text)


def test_emergency_message_names_all_three_numbers() -> None:
    assert all(number in EMERGENCY_MESSAGE for number in ("110", "120", "119"))
