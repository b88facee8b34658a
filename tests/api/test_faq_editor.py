"""The FAQ editor API on a copy of nlu_data (SQLite and PostgreSQL): roles, search, edits written to the YAML,
audit entries, version check (409), refusals (422, nothing written), revisions and rollback, preview."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.core.config import PROJECT_ROOT
from bot.main import create_app
from bot.storage.db import make_engine, make_session_factory
from bot.storage.models import AuditEntry
from tests.api.conftest import create_users, login, make_settings

API = "/api/staff/faq"
SUIFENHE_PLAN = "000_be6f3973f1e811d2.txt"
LUCHENG_PLAN = "001_6439bcf8f5fc4d9a.txt"


def editor_app(database_url: str, tmp_path: Path, rasa_validate: bool = False) -> TestClient:
    nlu_data = tmp_path / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", nlu_data)
    create_users(database_url)
    settings = make_settings(database_url, tmp_path).model_copy(
        update={"nlu_data_dir": nlu_data, "faq_rasa_validate": rasa_validate, "training_runner": False}
    )
    return TestClient(create_app(settings))


@pytest.fixture()
def faq(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A gateway editing a copy of nlu_data (Rasa's own check is off here; test_rasa_check_* turns it on)."""
    with editor_app(database_url, tmp_path) as client:
        client.nlu = tmp_path / "nlu_data"  # type: ignore[attr-defined]
        client.database_url = database_url  # type: ignore[attr-defined]
        yield client


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def audit(database_url: str, action: str) -> list[AuditEntry]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
    engine.dispose()
    return rows


def body_of(entry: dict, **changes) -> dict:
    body = {key: entry[key] for key in ("topic", "title", "examples", "answers", "version")}
    body.update(changes)
    return body


def test_only_staff_and_admin_may_use_the_editor(faq: TestClient) -> None:
    assert faq.get(f"{API}/entries").status_code == 401
    operator = login(faq, "op1")
    assert faq.get(f"{API}/entries", headers=operator).status_code == 403
    assert faq.put(f"{API}/entries/severe_care_subsidy", headers=operator, json={}).status_code == 403
    assert faq.post(f"{API}/revisions/1/rollback", headers=operator, json={}).status_code == 403
    for user in ("staff1", "admin1"):
        assert faq.get(f"{API}/entries", headers=login(faq, user)).status_code == 200


def test_list_search_and_read_an_entry(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    everything = faq.get(f"{API}/entries", headers=staff).json()
    assert everything["total"] >= 30 and "subsidies" in everything["topics"]
    found = faq.get(f"{API}/entries", params={"q": "护理补贴 潞城区"}, headers=staff).json()
    names = [item["name"] for item in found["items"]]
    assert "severe_care_subsidy" in names and len(names) < everything["total"]
    entry = faq.get(f"{API}/entries/severe_care_subsidy", headers=staff).json()
    assert entry["intent"] == "faq/severe_care_subsidy" and re.fullmatch(r"[0-9a-f]{16}", entry["version"])
    assert set(entry["answers"]) == {"绥芬河市", "潞城区", "default"} and len(entry["examples"]) > 10
    assert set(entry["sources"]) == set(entry["answers"]), "every answer shows what it rests on"
    regions = faq.get(f"{API}/regions", headers=staff).json()
    assert regions["regions"] == ["绥芬河市", "潞城区"] and regions["labels"]["default"] == "不分地区的回答"
    assert faq.get(f"{API}/entries/no_such_entry", headers=staff).status_code == 404


def test_an_edit_is_written_to_the_yaml_audited_and_kept_as_a_revision(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    entry = faq.get(f"{API}/entries/severe_care_subsidy", headers=staff).json()
    answers = dict(entry["answers"], 潞城区="护理补贴请问区残联。\n\n可以拨打{hotline}咨询。")
    examples = [*entry["examples"], "护理补贴到哪个窗口办"]
    quote = {"file": LUCHENG_PLAN, "quote": "全面落实困难残疾人生活补贴和重度残疾人护理补贴标准"}
    sources = {**entry["sources"], "潞城区": {"sources": [quote]}}  # the new text names no national document
    body = body_of(entry, answers=answers, examples=examples, sources=sources)
    saved = faq.put(f"{API}/entries/severe_care_subsidy", headers=staff, json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["entry"]["version"] != entry["version"]
    text = (faq.nlu / "faq" / "subsidies.yml").read_text("utf-8")
    assert "护理补贴请问区残联。" in text and "    - 护理补贴到哪个窗口办\n" in text
    assert text.startswith("# 两项补贴"), "comments kept"

    (entry_audit,) = audit(faq.database_url, "faq.edit")
    assert (entry_audit.actor, entry_audit.target) == ("staff1", "faq/severe_care_subsidy")
    lengths = f"{len(entry['answers']['潞城区'])}字改为{len(answers['潞城区'])}字"
    assert entry_audit.details["changes"] == [
        "增加例句“护理补贴到哪个窗口办”",
        f"修改潞城区的回答（{lengths}）",
        "修改潞城区的回答的依据",
    ]
    assert entry_audit.details["files"] == ["faq/subsidies.yml"] and entry_audit.details["lines"].startswith("+")

    revision = faq.get(f"{API}/revisions/{saved.json()['revision']['id']}", headers=staff).json()
    assert revision["actor"] == "staff1" and revision["action"] == "edit"
    assert "+    - 护理补贴到哪个窗口办" in revision["diff"][0]["diff"]
    history = faq.get(f"{API}/revisions", params={"target": "faq/severe_care_subsidy"}, headers=staff).json()
    assert [r["id"] for r in history["items"]] == [revision["id"]]


def test_the_second_of_two_concurrent_edits_is_refused_with_who_and_when(faq: TestClient) -> None:
    first, second = login(faq, "staff1"), login(faq, "admin1")
    loaded = faq.get(f"{API}/entries/disability_certificate", headers=first).json()
    mine = body_of(loaded, title="办残疾人证")
    theirs = body_of(loaded, title="残疾人证怎么办")
    assert faq.put(f"{API}/entries/disability_certificate", headers=first, json=mine).status_code == 200
    after_first = snapshot(faq.nlu)

    refused = faq.put(f"{API}/entries/disability_certificate", headers=second, json=theirs)
    assert refused.status_code == 409
    assert re.fullmatch(r"这条问答已被 staff1 在 \d\d:\d\d 修改，请刷新后再改。", refused.json()["detail"])
    assert snapshot(faq.nlu) == after_first, "nothing overwritten"
    assert faq.get(f"{API}/entries/disability_certificate", headers=second).json()["title"] == "办残疾人证"
    (conflict,) = audit(faq.database_url, "faq.refused")
    assert conflict.actor == "admin1" and conflict.details["reason"] == "conflict"
    stale_delete = faq.delete(
        f"{API}/entries/disability_certificate", params={"version": loaded["version"]}, headers=second
    )
    assert stale_delete.status_code == 409


def test_broken_edits_are_refused_with_reasons_and_nothing_is_written(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    entry = faq.get(f"{API}/entries/severe_care_subsidy", headers=staff).json()
    before = snapshot(faq.nlu)
    url = f"{API}/entries/severe_care_subsidy"

    def refused(body: dict, path: str = url, method: str = "put") -> list[str]:
        response = getattr(faq, method)(path, headers=staff, json=body)
        assert response.status_code == 422, response.text
        return response.json()["errors"]

    script = dict(entry["answers"], 潞城区="<script>alert(1)</script>请问区残联。")
    assert "潞城区的回答里有网页代码或脚本（比如 <…> 标签），请只写普通文字。" in refused(
        body_of(entry, answers=script)
    )
    empty = dict(entry["answers"], 绥芬河市="  ")
    assert refused(body_of(entry, answers=empty))[0].startswith("绥芬河市的回答是空的")
    invented = dict(entry["answers"], 潞城区="护理补贴每月120元。")
    assert "“120元”在两份规划里找不到" in refused(body_of(entry, answers=invented))[0]
    duplicate = body_of(entry, examples=[*entry["examples"], "残疾人两项补贴"])
    assert refused(duplicate) == ["例句“残疾人两项补贴”已经是“faq/two_subsidies”的例句了。同一句话只能属于一个问题。"]
    huge = dict(entry["answers"], 潞城区="很长的回答。" * 20000)
    assert re.fullmatch(r"提交的内容太大了（\d+ KB），最多 64 KB。", refused(body_of(entry, answers=huge))[0])
    assert refused({"topic": 5})[0].startswith("提交的内容格式不对")
    collision = body_of(entry, name="two_subsidies", examples=["我想问两补的事", "两补怎么弄"])
    assert refused(collision, f"{API}/entries", "post")[0].startswith("问题编号 two_subsidies 已经有了")

    assert snapshot(faq.nlu) == before, "nothing written"
    assert not audit(faq.database_url, "faq.edit")
    assert len(audit(faq.database_url, "faq.refused")) == 5, "refused checks are audited (size/format ones are not)"


def test_create_delete_and_roll_back_restore_the_exact_bytes(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    original = snapshot(faq.nlu)
    new = {
        "name": "guide_dogs",
        "topic": "accessibility",
        "title": "导盲犬",
        "examples": ["我想要一只导盲犬", "导盲犬去哪里领"],
        "answers": {"default": "导盲犬的事，请问当地残联。\n\n可以拨打{hotline}。"},
        "sources": {"default": {"sources": [{"file": SUIFENHE_PLAN, "quote": "导盲犬等乘坐公共交通工具"}]}},
    }
    created = faq.post(f"{API}/entries", headers=staff, json=new)
    assert created.status_code == 201, created.text
    after_create = snapshot(faq.nlu)
    version = created.json()["entry"]["version"]
    deleted = faq.delete(f"{API}/entries/guide_dogs", params={"version": version}, headers=staff)
    assert deleted.status_code == 200 and snapshot(faq.nlu) == original
    assert faq.get(f"{API}/entries/guide_dogs", headers=staff).status_code == 404

    undo_delete = faq.post(f"{API}/revisions/{deleted.json()['revision']['id']}/rollback", headers=staff, json={})
    assert undo_delete.status_code == 200, undo_delete.text
    assert snapshot(faq.nlu) == after_create, "rollback restores the bytes"
    assert undo_delete.json()["revision"]["rollback_of"] == deleted.json()["revision"]["id"]

    restored = faq.get(f"{API}/entries/guide_dogs", headers=staff).json()
    edited = faq.put(f"{API}/entries/guide_dogs", headers=staff, json=body_of(restored, title="导盲犬怎么领"))
    assert edited.status_code == 200, edited.text
    create_id = created.json()["revision"]["id"]
    blocked = faq.post(f"{API}/revisions/{create_id}/rollback", headers=staff, json={})
    assert blocked.status_code == 409 and "连同之后的修改一起撤销" in blocked.json()["detail"]
    assert f"第{edited.json()['revision']['id']}号" in blocked.json()["detail"]
    undo_all = faq.post(f"{API}/revisions/{create_id}/rollback", headers=staff, json={"include_later": True})
    assert undo_all.status_code == 200 and snapshot(faq.nlu) == original
    again = faq.post(f"{API}/revisions/{create_id}/rollback", headers=staff, json={"include_later": True})
    assert again.status_code == 422 and "不需要撤销" in again.json()["errors"][0]
    rollbacks = audit(faq.database_url, "faq.rollback")
    assert [r.details["rollback_of"] for r in rollbacks] == [deleted.json()["revision"]["id"], create_id]
    assert [r.action for r in audit(faq.database_url, "faq.create")] == ["faq.create"]


def test_examples_of_other_intents_can_be_edited(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    thanks = faq.get(f"{API}/intents/thanks", headers=staff).json()
    assert thanks["file"] == "nlu/conversation.yml"
    body = {"examples": [*thanks["examples"], "太感谢你了"], "version": thanks["version"]}
    saved = faq.put(f"{API}/intents/thanks", headers=staff, json=body)
    assert saved.status_code == 200, saved.text
    assert "      - 太感谢你了\n" in (faq.nlu / "nlu" / "conversation.yml").read_text("utf-8")
    stale = faq.put(f"{API}/intents/thanks", headers=staff, json=body)
    assert stale.status_code == 409 and stale.json()["detail"].startswith("这个意图的例句已被 staff1 在")
    fresh = saved.json()["intent"]
    taken = {"examples": [*fresh["examples"], "护理补贴怎么申请"], "version": fresh["version"]}
    refused = faq.put(f"{API}/intents/thanks", headers=staff, json=taken)
    assert refused.status_code == 422 and "faq/severe_care_subsidy" in refused.json()["errors"][0]
    assert [a.target for a in audit(faq.database_url, "faq.examples")] == ["thanks"]


def test_preview_renders_like_the_bot(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    answers = {"绥芬河市": "第一条消息。\n\n第二条消息。", "潞城区": "潞城区的回答。"}
    shown = faq.post(
        f"{API}/preview", headers=staff, json={"name": "severe_care_subsidy", "answers": answers, "region": "绥芬河市"}
    ).json()
    assert [m["text"] for m in shown["messages"]] == ["第一条消息。", "第二条消息。"]
    assert shown["messages"][-1]["buttons"] == [{"title": "我要申请护理补贴", "payload": "我想申请护理补贴"}]
    asks = faq.post(f"{API}/preview", headers=staff, json={"name": "x", "answers": answers, "region": None}).json()
    assert asks["asks_region"] and "请问您在哪里" in asks["messages"][0]["text"]
    common = {**answers, "default": "两地都有。电话：{hotline}。"}
    body = {"name": "x", "answers": common, "region": None, "ask_region": True}
    first_common = faq.post(f"{API}/preview", headers=staff, json=body).json()
    texts = [m["text"] for m in first_common["messages"]]
    assert first_common["asks_region"] and texts[0].startswith("两地都有。电话：12385残疾人服务热线（绥芬河市）或12345")
    assert "请问您在哪里" in texts[1], "the common part, then the region question"
    filled = faq.post(f"{API}/preview", headers=staff, json={**body, "region": "潞城区", "answers": {
        **common, "潞城区": "请问区残联：{hotline}。"}}).json()  # fmt: skip
    assert [m["text"] for m in filled["messages"]] == ["请问区残联：12345政务服务便民热线。"]
    default = faq.post(f"{API}/preview", headers=staff, json={"answers": {**answers, "default": "都一样。"}}).json()
    assert [m["text"] for m in default["messages"]] == ["都一样。"]
    wrong = faq.post(f"{API}/preview", headers=staff, json={"answers": answers, "region": "北京"})
    assert wrong.status_code == 422


def test_an_unreadable_yaml_file_is_named_instead_of_failing(faq: TestClient) -> None:
    (faq.nlu / "faq" / "education.yml").write_text("nlu: [\n", "utf-8")
    response = faq.get(f"{API}/entries", headers=login(faq, "staff1"))
    assert response.status_code == 503 and "faq/education.yml" in response.json()["detail"]


@pytest.fixture()
def rasa_checked(tmp_path: Path) -> Iterator[TestClient]:
    """The editor with `rasa data validate` on (SQLite only: Rasa's check costs a few seconds per save)."""
    if not (PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa").exists():
        pytest.skip("the Rasa environment is not installed")
    with editor_app(f"sqlite:///{tmp_path / 'rasa.db'}", tmp_path, rasa_validate=True) as client:
        client.nlu = tmp_path / "nlu_data"  # type: ignore[attr-defined]
        yield client


def test_rasa_check_passes_a_good_edit_and_refuses_data_rasa_cannot_read(rasa_checked: TestClient) -> None:
    faq, staff = rasa_checked, login(rasa_checked, "staff1")
    entry = faq.get(f"{API}/entries/disability_certificate", headers=staff).json()
    saved = faq.put(f"{API}/entries/disability_certificate", headers=staff, json=body_of(entry, title="办残疾人证"))
    assert saved.status_code == 200, saved.text

    (faq.nlu / "rules" / "rules.yml").write_text("version: '3.1'\nrules: 5\n", "utf-8")  # broken by hand
    before = snapshot(faq.nlu)
    entry = saved.json()["entry"]
    refused = faq.put(f"{API}/entries/disability_certificate", headers=staff, json=body_of(entry, title="残疾人证"))
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors[0].startswith("现在的问答数据本身没通过 Rasa 检查") and "rules.yml" in errors[0]
    assert snapshot(faq.nlu) == before


def test_sources_are_shown_kept_and_checked_against_the_plans(faq: TestClient) -> None:
    staff = login(faq, "staff1")
    plans = faq.get(f"{API}/plans", headers=staff).json()
    assert {p["region"] for p in plans["plans"]} == {"绥芬河市", "潞城区"} and any(
        n["key"] == "国发〔2015〕52号" for n in plans["national"]
    )
    entry = faq.get(f"{API}/entries/severe_care_subsidy", headers=staff).json()
    lucheng = entry["sources"]["潞城区"]
    assert lucheng["national"] == ["国发〔2015〕52号"] and lucheng["sources"][0]["section"].startswith("第三部分（一）")
    url = f"{API}/entries/severe_care_subsidy"
    before = snapshot(faq.nlu)

    def refused(sources: dict, answers: dict | None = None) -> list[str]:
        body = body_of(entry, sources={**entry["sources"], **sources}, answers=answers or entry["answers"])
        response = faq.put(url, headers=staff, json=body)
        assert response.status_code == 422, response.text
        return response.json()["errors"]

    made_up = {"潞城区": {"sources": [{"file": LUCHENG_PLAN, "quote": "护理补贴每月发放"}], "national": []}}
    assert "在《长治市潞城区“十四五”残疾人保障和发展规划》" in refused(made_up)[0]
    other_plan = {"潞城区": {"sources": [{"file": SUIFENHE_PLAN, "quote": "重度残疾人护理补贴扩大到三、四级"}]}}
    assert "潞城区的回答引用了绥芬河市的规划。每个地区的回答只能依据本地区的规划。" in refused(other_plan)
    assert refused({"潞城区": {"sources": [], "national": []}})[0].startswith("潞城区的回答没有写依据")
    typed_hotline = dict(entry["answers"], 潞城区=entry["answers"]["潞城区"].replace("{hotline}", "12345"))
    assert any("手写了热线号码12345" in e for e in refused({}, typed_hotline))
    unknown_law = {"潞城区": {"sources": lucheng["sources"], "national": ["国发〔2099〕1号"]}}
    assert "不认识" in refused(unknown_law)[0]
    assert snapshot(faq.nlu) == before, "nothing written"

    quote = "全面落实困难残疾人生活补贴和重度残疾人护理补贴标准"  # typed without the section: the editor derives it
    better = {"sources": [{"file": LUCHENG_PLAN, "quote": quote}], "national": ["国发〔2015〕52号"]}
    saved = faq.put(url, headers=staff, json=body_of(entry, sources={**entry["sources"], "潞城区": better}))
    assert saved.status_code == 200, saved.text
    shown = saved.json()["entry"]["sources"]["潞城区"]["sources"]
    section = "第三部分（一）第4条“落实残疾人社会福利和社会优待政策”"
    assert shown == [{"file": LUCHENG_PLAN, "section": section, "quote": quote}]
    assert "修改潞城区的回答的依据" in saved.json()["revision"]["summary"]
    text = (faq.nlu / "faq" / "subsidies.yml").read_text("utf-8")
    assert f"section: {section}\n        quote: {quote}\n" in text

    kept = saved.json()["entry"]
    retitled = faq.put(url, headers=staff, json=body_of(kept, title="护理补贴"))  # no sources sent: kept as stored
    assert retitled.status_code == 200 and retitled.json()["entry"]["sources"] == kept["sources"]
