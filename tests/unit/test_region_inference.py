"""Region from any mention (towns, wider names, ID prefix, area code), the deployment's served regions, and the line
a resident asked for. Facts come from config/places.yml and config/escalation.yml."""

from pathlib import Path

import pytest
import yaml

from actions.repeats import times_asked_in_a_row
from bot.rules.region_mentions import region_mentioned
from bot.rules.routing import DEFAULT_CONFIG, RoutingTable


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("俺是潞城的 那个给钱的咋领", "潞城区"),
        ("我家在阜宁镇 想问问补贴", "绥芬河市"),
        ("住黄碾镇", "潞城区"),
        ("身份证号231081199001011234", "绥芬河市"),
        ("140406198505051234 这是我娘的", "潞城区"),
        ("我电话是0355-2345678", "潞城区"),
        ("区号0453的", "绥芬河市"),
        ("俺们长治这边", "潞城区"),
        ("黑龙江的残疾人", "绥芬河市"),
        ("潞城和绥芬河有啥不同", None),
        ("电话13800138000", None),
        ("护理补贴怎么领", None),
    ],
)
def test_region_from_any_mention(text, region) -> None:
    assert region_mentioned(text) == region


def _table(tmp_path: Path, serves: list[str] | None) -> RoutingTable:
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text())
    raw["serves"] = serves
    path = tmp_path / "escalation.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return RoutingTable.load(path)


def test_single_region_deployment_has_one_region_and_its_hotline(tmp_path) -> None:
    table = _table(tmp_path, ["潞城区"])
    assert table.only_region == "潞城区"
    assert table.hotline_phrase(None).startswith("12345") and "12385" not in table.hotline_phrase(None)
    assert table.queue_for(None, "faq/living_subsidy") == "12345"


def test_multi_region_deployment_names_each_line(tmp_path) -> None:
    table = _table(tmp_path, None)
    assert table.only_region is None and set(table.served) == {"绥芬河市", "潞城区"}
    assert "12385" in table.hotline_phrase(None) and "12345" in table.hotline_phrase(None)


def test_the_line_asked_for_when_it_serves_the_region_else_the_regions_line(tmp_path) -> None:
    table = _table(tmp_path, None)
    assert table.line_for("绥芬河市", "12385") == "12385"
    assert table.line_for("绥芬河市", "12345") == "12345"
    assert table.line_for("潞城区", "12385") == "12345", "潞城区 has no 12385 line"
    assert table.line_for(None, "12385") == "12385"


def _user(key: str | None, intent: str = "faq", text: str = "问题") -> dict:
    selector = {"faq": {"response": {"intent_response_key": key, "confidence": 0.9}}} if key else {}
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "response_selector": selector}}


def test_same_topic_asked_in_a_row_counts_across_region_answers() -> None:
    events = [_user("faq/a"), _user("faq/b"), {"event": "action"}, _user("faq/b"), _user(None, "inform_region")]
    assert times_asked_in_a_row([*events, _user("faq/b")], "faq/b") == 3
    assert times_asked_in_a_row([*events, _user("faq/a")], "faq/a") == 1
    assert times_asked_in_a_row(events, None) == 0


class _Tracker:
    def __init__(self, latest: dict, events: list[dict], slot: str | None = None) -> None:
        self.latest_message, self.events, self._slot = latest, events, slot

    def get_slot(self, name: str) -> str | None:
        return self._slot if name == "region" else None


def test_conversation_region_from_this_turn_the_slot_earlier_turns_or_the_channel(tmp_path, monkeypatch) -> None:
    from actions import region as module

    raw = yaml.safe_load(DEFAULT_CONFIG.read_text())
    raw["channel_regions"] = {"wechat": "潞城区"}
    path = tmp_path / "escalation.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    monkeypatch.setattr(module, "load_routing", lambda: RoutingTable.load(path))

    earlier = {"event": "user", "text": "俺家在阜宁镇 嗯", "parse_data": {"text": "俺家在阜宁镇 嗯", "entities": []}}
    now = {"text": "护理补贴咋领", "metadata": {"channel": "wechat"}}
    assert module.conversation_region(_Tracker({"text": "我在潞城"}, [earlier], "绥芬河市")) == "潞城区"
    assert module.conversation_region(_Tracker(now, [], "绥芬河市")) == "绥芬河市"
    assert module.conversation_region(_Tracker(now, [earlier])) == "绥芬河市", "an earlier turn, even not understood"
    assert module.conversation_region(_Tracker(now, [])) == "潞城区", "the WeChat account's region"
    assert module.conversation_region(_Tracker({"text": "护理补贴咋领"}, [])) is None


def test_unknown_region_is_told_the_one_line_every_region_has(tmp_path) -> None:
    table = _table(tmp_path, None)
    assert table.common_line("disability") == "12345" and table.common_line("general") == "12345"
    text = table.fill_hotlines("电话咨询：{hotline}。", None, one_line=True)
    assert text == "电话咨询：12345政务服务便民热线。", (
        "right wherever the resident lives; never the other region's line"
    )
    assert table.fill_hotlines("{hotline}", "绥芬河市", one_line=True) == "12385残疾人服务热线"
    assert "（绥芬河市）" in table.fill_hotlines("{hotline}", None), "without one_line each region's line is listed"
    assert _table(tmp_path, ["潞城区"]).common_line() is None


def test_a_restatement_with_other_words_or_not_what_i_asked_counts() -> None:
    def ranked(chosen: str, *others: str, text: str = "问题") -> dict:
        ranking = [{"intent_response_key": k, "confidence": 0.3} for k in (chosen, *others)]
        selector = {"faq": {"response": {"intent_response_key": chosen, "confidence": 0.5}, "ranking": ranking}}
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "faq"}, "response_selector": selector}}

    events = [ranked("faq/a", "faq/b"), ranked("faq/b", "faq/a"), ranked("faq/a", "faq/c")]
    assert times_asked_in_a_row(events, "faq/a") == 3, "the answer moved between close topics"
    assert times_asked_in_a_row([ranked("faq/c"), ranked("faq/a")], "faq/a") == 1
    assert times_asked_in_a_row([ranked("faq/a"), ranked("faq/a", text="我问的是这个")], "faq/a") == 3
