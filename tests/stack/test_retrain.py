"""Safe retraining end to end on a stack of its own, training on a temporary copy of nlu_data (never the repo's).

One ordered story, one trained candidate per step (finetuned from the live model with reduced epochs):
edit an answer → train → gate → hot-swap → the same conversation gets the new answer; an edit that breaks other
answers is refused and the live model keeps serving; a killed job is marked failed with its log; a gateway killed
during training leaves an orphan that the next start marks failed; rollback restores the previous model.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.cli import create_user
from bot.core.config import PROJECT_ROOT
from bot.launcher.stack import Stack, StackConfig
from tests.conftest import ALWAYS_OPEN, TEST_REDIS_URL, free_port, new_sender
from tests.residents import Residents

PASSWORD = "retrain-test-password"
MARKER = "（本条已由工作人员更新）"
FAQ_FILE = "subsidies.yml"
BROKEN_FILES = ("subsidies.yml", "social_security.yml")  # 13 FAQs, 42 of the 171 held-out questions
QUESTION = "两项补贴是什么"

pytestmark = pytest.mark.stack


class Retrain:
    """The running stack, its data copy, and a logged-in staff client."""

    def __init__(self, stack: Stack, data_dir: Path, live_model: Path) -> None:
        self.stack = stack
        self.data_dir = data_dir
        self.first_model = live_model
        self.http = httpx.Client(base_url=stack.url, timeout=60)
        self.residents = Residents(self.http)  # keeps each conversation's key
        token = self.http.post("/api/auth/token", data={"username": "trainer", "password": PASSWORD})
        token.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        self.original_faq = {name: (data_dir / "faq" / name).read_text(encoding="utf-8") for name in BROKEN_FILES}

    def login_again(self) -> None:
        token = self.http.post("/api/auth/token", data={"username": "trainer", "password": PASSWORD})
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    def served_model(self) -> str:
        url = f"http://127.0.0.1:{self.stack.config.rasa_port}/status"
        return Path(httpx.get(url, params={"token": self.stack.token}, timeout=10).json()["model_file"]).name

    def start_job(self) -> dict:
        response = self.http.post("/api/staff/training/jobs")
        assert response.status_code == 202, response.text
        return response.json()

    def wait_job(self, job_id: int, until=lambda job: job["status"] not in ("queued", "running"), timeout=900) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.http.get(f"/api/staff/training/jobs/{job_id}").json()
            if until(job):
                return job
            time.sleep(1.0)
        raise AssertionError(f"job {job_id} did not get there in {timeout}s: {job}")

    def chat(self, sender: str, text: str) -> str:
        response = self.residents.chat(sender, text)
        assert response.status_code == 200, response.text
        return "\n".join(m["text"] for m in response.json()["messages"])

    def slots(self, sender: str) -> dict:
        url = f"http://127.0.0.1:{self.stack.config.rasa_port}/conversations/{sender}/tracker"
        return httpx.get(url, params={"token": self.stack.token}, timeout=10).json()["slots"]


@pytest.fixture(scope="module")
def retrain(trained_model: Path, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Retrain]:
    work = tmp_path_factory.mktemp("retrain")
    data_dir = work / "nlu_data"
    shutil.copytree(PROJECT_ROOT / "nlu_data", data_dir)
    models_dir = work / "models"
    models_dir.mkdir()
    live = models_dir / trained_model.name
    live.symlink_to(trained_model.resolve())  # the shared model, seen from this stack's models folder
    database_url = f"sqlite:///{work / 'gateway.db'}"
    create_user("trainer", "staff", PASSWORD, database_url)
    config = StackConfig(
        model=live,
        port=free_port(),
        rasa_port=free_port(),
        actions_port=free_port(),
        redis_url=TEST_REDIS_URL,
        redis_key_prefix=redis_prefix + "rt",
        database_url=database_url,
        runtime_dir=work,
        log_dir=work / "logs",
        extra_env={
            "ESCALATION_CONFIG": str(ALWAYS_OPEN),
            "DATA_DIR": str(work / "data"),
            "MODELS_DIR": str(models_dir),
            "NLU_DATA_DIR": str(data_dir),
            "TRAINING_EPOCHS": "20",
            "TRAINING_FINETUNE_FRACTION": "0.5",
            # A 10-epoch finetune moves the held-out scores by a few points either way (measured: response selection
            # 92.6 → 90.4 for a harmless wording edit, and once more than 3 points in CI), so the mechanism is tested
            # with an 8-point margin against a harmful edit that takes 42 of the 171 held-out questions (~25 points)
            # away from their answers. Production keeps the default of 1 point.
            "TRAINING_GATE_MARGIN": "8",
        },
    )
    stack = Stack(config)
    try:
        stack.start(timeout=300)
        helper = Retrain(stack, data_dir, live)
        yield helper
        helper.http.close()
    finally:
        stack.stop()
        for log in sorted((work / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")


def _edit_answer(data_dir: Path) -> None:
    """A staff edit: new wording of one answer (both regions) and two more example questions."""
    path = data_dir / "faq" / FAQ_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count("“两项补贴”是") >= 2, "one wording per region variant of the answer"
    text = text.replace("“两项补贴”是", MARKER + "“两项补贴”是")
    text = text.replace(
        "    - 两项补贴是什么\n", "    - 两项补贴是什么\n    - 啥叫两项补贴\n    - 两项补贴指的是哪两项\n", 1
    )
    path.write_text(text, encoding="utf-8")


def _break_answers(data_dir: Path) -> None:
    """A harmful edit: every example of the FAQs of two files moved to out_of_scope (“不在服务范围”)."""
    moved: list[dict] = []
    for name in BROKEN_FILES:
        path = data_dir / "faq" / name
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        moved += [b for b in content["nlu"] if str(b.get("intent", "")).startswith("faq/")]
        content["nlu"] = [b for b in content["nlu"] if not str(b.get("intent", "")).startswith("faq/")]
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    examples = "".join(block["examples"] for block in moved)
    wrong = {"version": "3.1", "nlu": [{"intent": "out_of_scope", "examples": examples}]}
    (data_dir / "nlu" / "zz_wrong.yml").write_text(yaml.safe_dump(wrong, allow_unicode=True), encoding="utf-8")


def test_edit_train_gate_hot_swap_changes_the_answer_in_the_same_conversation(retrain: Retrain) -> None:
    sender = new_sender()
    retrain.chat(sender, "我住在绥芬河")
    before = retrain.chat(sender, QUESTION)
    assert "两项补贴" in before and MARKER not in before
    assert retrain.slots(sender)["region"] == "绥芬河市"

    _edit_answer(retrain.data_dir)
    job = retrain.start_job()
    assert job["status"] == "queued"
    seen_running = retrain.wait_job(job["id"], lambda j: j["status"] != "queued", timeout=60)
    assert seen_running["status"] == "running", seen_running
    done = retrain.wait_job(job["id"])
    assert done["status"] == "activated", done.get("scores") or done
    assert done["mode"] == "finetune" and done["progress"] == 100
    assert done["scores"]["gate"]["passed"] is True
    for metric in ("intent", "response_selection", "conversation"):
        assert metric in done["scores"]["candidate"] and metric in done["scores"]["live"]
    assert "rasa train" in done["log"] and "--finetune" in done["log"]

    models = retrain.http.get("/api/staff/training/models").json()
    assert models["live"]["id"] == done["model_id"] and retrain.served_model() == models["live"]["name"]
    assert any(m["name"] == retrain.first_model.name and m["status"] == "retired" for m in models["models"])

    after = retrain.chat(sender, QUESTION)
    assert MARKER in after, "the swapped-in model answers with the new wording"
    assert retrain.slots(sender)["region"] == "绥芬河市", "the conversation survived the swap"


def test_an_edit_that_breaks_other_answers_is_refused_and_the_live_model_keeps_serving(retrain: Retrain) -> None:
    live_before = retrain.served_model()
    _break_answers(retrain.data_dir)
    try:
        done = retrain.wait_job(retrain.start_job()["id"])
    finally:
        (retrain.data_dir / "nlu" / "zz_wrong.yml").unlink()
        for name, text in retrain.original_faq.items():
            (retrain.data_dir / "faq" / name).write_text(text, encoding="utf-8")
        _edit_answer(retrain.data_dir)
    assert done["status"] == "rejected", done
    assert done["scores"]["gate"]["passed"] is False
    assert "下降超过 8 个百分点" in done["message"]
    assert done["scores"]["candidate"]["intent"] < done["scores"]["live"]["intent"] - 1
    assert retrain.served_model() == live_before
    models = retrain.http.get("/api/staff/training/models").json()["models"]
    assert next(m for m in models if m["id"] == done["model_id"])["status"] == "rejected"
    refused = retrain.http.post(f"/api/staff/training/models/{done['model_id']}/activate")
    assert refused.status_code == 409
    assert MARKER in retrain.chat(new_sender(), "我住在绥芬河，" + QUESTION)


def _wait_training_process(retrain: Retrain, job_id: int) -> dict:
    return retrain.wait_job(job_id, lambda j: j["status"] != "queued" and j["stage"] == "training" and j["log"])


def test_a_killed_training_process_fails_the_job_with_its_log(retrain: Retrain) -> None:
    live_before = retrain.served_model()
    job = retrain.start_job()
    _wait_training_process(retrain, job["id"])
    pid = _job_pid(retrain, job["id"])
    os.killpg(pid, signal.SIGKILL)
    done = retrain.wait_job(job["id"])
    assert done["status"] == "failed"
    assert "训练进程被终止" in done["message"] and "在线模型没有变化" in done["message"]
    assert "rasa train" in done["log"]
    assert retrain.served_model() == live_before


def _job_pid(retrain: Retrain, job_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(retrain.stack.config.database_url)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                pid = connection.execute(text("SELECT pid FROM training_jobs WHERE id = :id"), {"id": job_id}).scalar()
            if pid:
                return pid
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise AssertionError("the job never recorded its training process")


def test_a_gateway_killed_during_training_leaves_a_failed_job_and_no_stray_training(retrain: Retrain) -> None:
    live_before = retrain.served_model()
    job = retrain.start_job()
    _wait_training_process(retrain, job["id"])
    pid = _job_pid(retrain, job["id"])
    gateway = retrain.stack.processes.pop("gateway")
    os.killpg(gateway.pid, signal.SIGKILL)
    gateway.wait(10)
    assert _alive(pid), "the training process outlived the gateway"
    retrain.stack.start_gateway()
    retrain.stack.wait_ready()
    retrain.login_again()
    done = retrain.http.get(f"/api/staff/training/jobs/{job['id']}").json()
    assert done["status"] == "failed" and "网关重启" in done["message"]
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid), "the orphaned training process was stopped"
    assert retrain.served_model() == live_before
    assert "两项补贴" in retrain.chat(new_sender(), "我住在绥芬河，" + QUESTION)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_rollback_restores_the_previous_model(retrain: Retrain) -> None:
    response = retrain.http.post("/api/staff/training/rollback")
    assert response.status_code == 200, response.text
    assert response.json()["name"] == retrain.first_model.name
    assert retrain.served_model() == retrain.first_model.name
    sender = new_sender()
    retrain.chat(sender, "我住在绥芬河")
    answer = retrain.chat(sender, QUESTION)
    assert "两项补贴" in answer and MARKER not in answer
    audit = _audit_actions(retrain)
    assert {"training.start", "model.activate", "model.rollback"} <= audit


def _audit_actions(retrain: Retrain) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(retrain.stack.config.database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT action, actor FROM audit_log")).all()
    engine.dispose()
    assert all(actor == "trainer" for action, actor in rows if action.startswith(("training.", "model.")))
    return {action for action, _ in rows}
