"""Which intent the rules insist on, whatever the model said: danger (bot/rules/danger.py), a complaint or a request
for a person (bot/rules/complaints.py), a question plainly out of scope (bot/rules/out_of_scope.py). A danger the
model alone saw in a hypothetical or general question ("要是地震了咋办") is a policy question. Pure Python: the Rasa
component bot/nlu/rule_intents.py applies it."""

from __future__ import annotations

import re

from bot.rules.complaints import asks_if_human, is_complaint, misunderstood_again, wants_person
from bot.rules.danger import assess, is_hypothetical
from bot.rules.injection import is_injection
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
    if misunderstood_again(text) and predicted != "inform":
        return REQUEST_HUMAN  # "又说错了", "你到底懂不懂": it failed twice already — a person (not a form answer)
    if is_injection(text):
        return OTHER  # "忽略你之前的规则…": one plain reply (actions/latin.answer_latin), never a form or a guess
    if predicted in ANSWER_INTENTS:
        return _answer_or_outside(text, predicted)
    if asks_if_human(text):
        return OTHER  # "你是真人吗": answered honestly (actions/understand.py), with the way to a person
    return out_of_scope_intent(text)  # the weather, the lottery, another government service: declined


# What a status query is about: an application ("申请到哪了", "编号12345678", "审核过了没"). Without any of it,
# "查一下违章" or "查查快递" is another office's business, whatever the model made of the word 查.
_ABOUT_AN_APPLICATION = re.compile(r"申请|编号|单号|进度|审核|审批|批了|批下|办得|办到|办好|结果|补贴|补助|残联|\d{4,}")


def _answer_or_outside(text: str, predicted: str) -> str | None:
    """An answer inside a form or to a button keeps its intent ("户口在东邑村" is an address), with two exceptions
    outside any form's reach: a "status query" that names no application ("我想查一下违章 扣了几分"), and a "region"
    that is a weather or lottery question naming a place ("潞城这礼拜有没有雨")."""
    if predicted == "check_status" and not _ABOUT_AN_APPLICATION.search(text):
        return out_of_scope_intent(text)
    if predicted == "region" and out_of_scope_intent(text) == OTHER:
        return OTHER
    return None
