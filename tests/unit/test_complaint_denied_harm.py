"""A complaint told as harm denied by whoever did it, or as a demand that someone take it up, is handed over even when
it names a benefit (托养) — not an application form. A question about whether something is recognised is not."""

import pytest

from bot.rules.complaints import is_complaint, is_grievance
from bot.rules.intent_rules import rule_intent


@pytest.mark.parametrize(
    "text",
    [
        "康复机构把孩子腿磕破了 找他们死活不承认",
        "阳光家园的人推了俺爹 他们就是不承认 总得有人管吧",
        "这事必须有人出来管",
    ],
)
def test_harm_denied_or_someone_must_act_is_a_complaint(text) -> None:
    assert is_complaint(text)
    assert rule_intent(text, "apply") == "complaint"
    assert is_grievance(text), "a grievance naming a benefit (托养, 康复) is handed over, not an application form"


@pytest.mark.parametrize("text", ["外地办的残疾证这边不承认吗", "这个事有人管吗", "托养服务怎么申请"])
def test_questions_are_not_complaints(text) -> None:
    assert not is_complaint(text) and not is_grievance(text)
