"""Which intent the rules insist on, whatever the model said: danger (bot/rules/danger.py), a complaint or a request
for a person (bot/rules/complaints.py), a question plainly out of scope (bot/rules/out_of_scope.py). A danger the
model alone saw in a hypothetical or general question ("要是地震了咋办") is a policy question. Pure Python: the Rasa
component bot/nlu/rule_intents.py applies it."""

from __future__ import annotations

from bot.rules.complaints import asks_if_human, is_complaint, misunderstood_again, wants_person
from bot.rules.danger import assess, is_hypothetical
from bot.rules.out_of_scope import OTHER, out_of_scope_intent

DANGER, COMPLAINT, REQUEST_HUMAN, POLICY = "danger", "complaint", "request_human", "faq"
# Answers inside a form or to a button: never re-read as out of scope ("户口在东邑村" is an address)
ANSWER_INTENTS = frozenset(
    {"inform", "affirm", "deny", "submit_application", "cancel_application", "check_status", "ask_source", "region"}
)


def rule_intent(text: str | None, predicted: str | None) -> str | None:
    """The intent to use instead of `predicted`, or None to keep the model's."""
    if not text or text.startswith("/"):
        return None  # a button payload ("/inform_region{…}") says its intent itself
    if assess(text) is not None:
        return DANGER
    if predicted == DANGER and is_hypothetical(text):
        return POLICY
    if is_complaint(text):
        return COMPLAINT
    if wants_person(text):
        return REQUEST_HUMAN
    if predicted in ANSWER_INTENTS:
        return None
    if misunderstood_again(text):
        return REQUEST_HUMAN  # "又说错了", "还是不对": the bot has failed twice already — a person (not inside a form)
    if asks_if_human(text):
        return OTHER  # "你是真人吗": answered honestly (actions/understand.py), with the way to a person
    return out_of_scope_intent(text)  # the weather, the lottery, another government service: declined
