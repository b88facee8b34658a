"""The database goes down at submit: the user is told, nothing is lost, and a retry stores exactly one record."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.launcher.stack import Stack, StackConfig
from bot.storage.models import Application
from tests.conftest import TEST_REDIS_URL, free_port, tracker_slots
from tests.stack import private_postgres
from tests.stack.conversation import Conversation
from tests.stack.test_intake import fill_common, reference_in


@pytest.fixture(scope="module")
def postgres() -> Iterator[private_postgres.PrivatePostgres]:
    if not private_postgres.available():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    server = private_postgres.PrivatePostgres(free_port())
    server.init()
    server.start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def pg_stack(trained_model, redis_prefix, postgres, tmp_path_factory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("pgstack")
    stack = Stack(
        StackConfig(
            model=trained_model,
            port=free_port(),
            rasa_port=free_port(),
            actions_port=free_port(),
            redis_url=TEST_REDIS_URL,
            redis_key_prefix=redis_prefix,
            database_url=postgres.url,
            runtime_dir=workdir,
            log_dir=workdir / "logs",
        )
    )
    stack.start()
    yield stack
    stack.stop()


def stored_count(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(Application))
    engine.dispose()
    return total


@pytest.mark.stack
def test_database_down_at_submit_then_retry_creates_exactly_one_record(pg_stack, postgres) -> None:
    c = Conversation(pg_stack.url)
    c.expect("我想申请护理补贴", "同意吗")
    c.expect("同意", "给自己")
    c.expect("给自己", "姓名")
    fill_common(c)
    c.expect("低保", "请核对", "确认")
    postgres.stop()
    try:
        c.expect("确认", "保存不了", "都还在", "提交")
    finally:
        postgres.start()
    reference = reference_in(c.expect("提交", "已经提交"))
    assert stored_count(postgres.url) == 1
    c.expect("提交", "没有要提交的申请")
    assert stored_count(postgres.url) == 1
    assert len(reference) == 8
    slots = tracker_slots(pg_stack, c.sender_id)
    assert slots["id_number"] is None and slots["phone"] is None, "personal slots are cleared after submission"
