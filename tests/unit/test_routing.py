from datetime import datetime, timezone

from bot.rules.routing import RoutingTable

TABLE = RoutingTable.load()


def test_danger_goes_to_the_emergency_queue_everywhere() -> None:
    assert TABLE.queue_for("绥芬河市", "faq/living_subsidy", danger=True) == "emergency"
    assert TABLE.queue_for(None, None, danger=True) == "emergency"


def test_disability_matters_follow_the_region() -> None:
    assert TABLE.queue_for("绥芬河市", "faq/severe_care_subsidy") == "12385"
    assert TABLE.queue_for("潞城区", "faq/severe_care_subsidy") == "12345"  # 潞城's plan names only 12345
    assert TABLE.queue_for(None, None) == "12385"


def test_general_government_matters_go_to_12345() -> None:
    assert TABLE.queue_for("绥芬河市", "faq/housing") == "12345"
    assert TABLE.queue_for("绥芬河市", "faq/medical_insurance") == "12345"


def test_office_hours_in_china_time() -> None:
    monday_10am_beijing = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
    sunday_10am_beijing = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)
    monday_8pm_beijing = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    assert TABLE.is_open("12385", monday_10am_beijing)
    assert not TABLE.is_open("12385", sunday_10am_beijing)
    assert not TABLE.is_open("12385", monday_8pm_beijing)
    assert TABLE.is_open("emergency", sunday_10am_beijing)
    assert TABLE.sla_seconds == 180


def test_hotline_follows_the_region() -> None:
    assert TABLE.hotline_phrase("绥芬河市") == "12385残疾人服务热线"
    assert TABLE.hotline_phrase("潞城区") == "12345政务服务便民热线"  # 潞城's plan names only 12345
    assert TABLE.hotline_phrase("潞城区", "general") == "12345政务服务便民热线"


def test_unknown_region_names_each_regions_hotline() -> None:
    phrase = TABLE.hotline_phrase(None)
    assert "12385残疾人服务热线（绥芬河市）" in phrase and "12345政务服务便民热线（潞城区）" in phrase


def test_texts_take_the_hotline_from_the_region() -> None:
    text = "请拨打{hotline}；户口的事请拨打{general_hotline}。"
    assert TABLE.fill_hotlines(text, "潞城区") == "请拨打12345政务服务便民热线；户口的事请拨打12345政务服务便民热线。"
    assert TABLE.fill_hotlines(text, "绥芬河市").startswith("请拨打12385残疾人服务热线；")
