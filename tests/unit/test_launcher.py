from pathlib import Path

import yaml

from bot.launcher.model import DEFAULT_CONFIG, fingerprint, model_path
from bot.launcher.stack import StackConfig, write_endpoints


def test_without_redis_rasa_keeps_conversations_in_memory(tmp_path: Path) -> None:
    path = write_endpoints(StackConfig(model=Path("m"), runtime_dir=tmp_path))
    endpoints = yaml.safe_load(path.read_text())
    assert "tracker_store" not in endpoints and "lock_store" not in endpoints
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"


def test_with_redis_tracker_and_lock_store_use_it_with_expiry(tmp_path: Path) -> None:
    config = StackConfig(
        model=Path("m"), runtime_dir=tmp_path, redis_url="redis://:pw@10.0.0.5:6380/3", redis_key_prefix="abc"
    )
    endpoints = yaml.safe_load(write_endpoints(config).read_text())
    tracker, lock = endpoints["tracker_store"], endpoints["lock_store"]
    assert tracker["type"] == lock["type"] == "redis"
    assert (tracker["url"], tracker["port"], tracker["db"], tracker["password"]) == ("10.0.0.5", 6380, 3, "pw")
    assert tracker["record_exp"] == 7 * 24 * 3600 and tracker["key_prefix"] == "abc"


def test_model_name_follows_training_data_fingerprint(tmp_path: Path) -> None:
    path = model_path(DEFAULT_CONFIG, tmp_path)
    assert path.name == f"accessline-{fingerprint(DEFAULT_CONFIG)}.tar.gz"
    assert len(fingerprint(DEFAULT_CONFIG)) == 12


def test_an_existing_model_outside_the_project_is_reused(tmp_path: Path) -> None:
    from bot.launcher.model import ensure_model

    cached = model_path(DEFAULT_CONFIG, tmp_path)
    cached.write_bytes(b"model")
    assert ensure_model(models_dir=tmp_path) == cached


def test_more_rasa_workers_only_with_the_redis_lock_store(tmp_path: Path) -> None:
    from bot.launcher.stack import rasa_workers

    assert rasa_workers(StackConfig(model=Path("m"), runtime_dir=tmp_path, rasa_workers=2)) == 1
    with_redis = StackConfig(
        model=Path("m"), runtime_dir=tmp_path, rasa_workers=2, redis_url="redis://127.0.0.1:6379/0"
    )
    assert rasa_workers(with_redis) == 2
    assert rasa_workers(StackConfig(model=Path("m"), runtime_dir=tmp_path, rasa_workers=0)) == 1
