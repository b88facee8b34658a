"""Issue 11 (low): separate keys derived from one master secret, data-key rotation with re-encryption, and a
production guard against generated secrets."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.channels.wechat.identity import sender_id_for
from bot.core.config import Settings
from bot.core.secrets import InsecureConfiguration, legacy_lookup_key
from bot.core.security import FieldCipher
from bot.main import create_app
from bot.storage import migrate
from bot.storage.db import make_engine, make_session_factory
from bot.storage.models import Application
from bot.storage.reencrypt import reencrypt

MASTER = "m" * 20 + "-a-long-enough-master-secret"


def settings(tmp_path, **values) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'k.db'}", **values)


def test_derived_keys_are_separate_and_stable(tmp_path) -> None:
    keys = settings(tmp_path, accessline_master_secret=MASTER).keys()
    again = settings(tmp_path, accessline_master_secret=MASTER).keys()
    assert keys == again and not keys.generated
    data = keys.data_keys[0]
    values = {data, keys.jwt_secret, keys.wechat_key, keys.lookup_key.hex(), MASTER}
    assert len(values) == 5, "every purpose has its own key"
    Fernet(data.encode())  # a usable Fernet key
    assert not (tmp_path / "secrets.json").exists()


def test_the_wechat_key_is_not_the_data_key(tmp_path) -> None:
    """The review found the data key reused as the WeChat HMAC key; now the openid hash has its own key."""
    state = settings(tmp_path, accessline_master_secret=MASTER).secrets()
    assert state["wechat_key"] != state["data_key"]
    assert sender_id_for("openid-1", state["wechat_key"]) != sender_id_for("openid-1", state["data_key"])
    legacy = settings(tmp_path, accessline_data_key=Fernet.generate_key().decode(), jwt_secret="j" * 32,
                      internal_api_token="t" * 32).secrets()  # fmt: skip
    assert legacy["wechat_key"] != legacy["data_key"]


def test_embedded_default_generates_a_master_secret_once(tmp_path) -> None:
    first = settings(tmp_path).keys()
    stored = json.loads((tmp_path / "secrets.json").read_text())
    assert first.generated and set(stored) == {"master_secret", "internal_token"}
    second = settings(tmp_path).keys()
    assert second.data_keys == first.data_keys and not second.generated


def test_a_secrets_file_from_before_keeps_its_keys_and_lookup_hashes(tmp_path) -> None:
    old_key = Fernet.generate_key().decode()
    (tmp_path / "secrets.json").write_text(json.dumps({"data_key": old_key, "jwt_secret": "j" * 43,
                                                       "internal_token": "t" * 43}))  # fmt: skip
    keys = settings(tmp_path).keys()
    assert keys.data_keys == (old_key,) and keys.jwt_secret == "j" * 43
    assert keys.lookup_key == legacy_lookup_key(old_key)
    assert FieldCipher(keys.data_keys, keys.lookup_key).lookup_hash("x") == FieldCipher(old_key).lookup_hash("x")


@pytest.mark.parametrize("given", [{}, {"accessline_master_secret": MASTER}, {"internal_api_token": "t" * 40},
                                   {"accessline_master_secret": "short", "internal_api_token": "t" * 40}])  # fmt: skip
def test_production_refuses_generated_or_missing_secrets(tmp_path, given) -> None:
    with pytest.raises(InsecureConfiguration):
        settings(tmp_path, environment="production", **given).keys()
    assert not (tmp_path / "secrets.json").exists()


def test_production_gateway_does_not_start_without_secrets(tmp_path) -> None:
    app = create_app(settings(tmp_path, environment="production", training_runner=False))
    with pytest.raises(InsecureConfiguration, match="ACCESSLINE_MASTER_SECRET"), TestClient(app):
        pass
    configured = settings(tmp_path, environment="production", accessline_master_secret=MASTER,
                          internal_api_token="t" * 40, training_runner=False)  # fmt: skip
    with TestClient(create_app(configured)) as client:
        assert client.get("/healthz").status_code == 200


def test_rotation_new_key_first_old_keys_still_decrypt_then_reencrypt(tmp_path) -> None:
    """Rows written under the old key stay readable after a new key is put first; `reencrypt` moves them all to
    the new key (and keeps the lookup hashes, derived from the master secret, unchanged)."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = settings(tmp_path, accessline_master_secret=MASTER, accessline_data_key=old).keys()
    url = f"sqlite:///{tmp_path / 'k.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    old_cipher = FieldCipher(before.data_keys, before.lookup_key)
    with make_session_factory(engine)() as session:
        session.add(Application(
            reference="12345678", idempotency_key="k1", sender_hash="s", benefit="care_subsidy", region="潞城区",
            applicant_name_enc=old_cipher.encrypt("王秀英"), id_number_enc=old_cipher.encrypt("110101199003070011"),
            id_number_hash=old_cipher.lookup_hash("110101199003070011"), phone_enc=old_cipher.encrypt("13800138000"),
            phone_hash=old_cipher.lookup_hash("13800138000"), town="潞华街道",
            address_enc=old_cipher.encrypt("东街12号"), household="低保", for_self=True, status="submitted",
        ))  # fmt: skip
        session.commit()
    rotated = settings(tmp_path, accessline_master_secret=MASTER, accessline_data_key=f"{new},{old}").keys()
    cipher = FieldCipher(rotated.data_keys, rotated.lookup_key)
    with make_session_factory(engine)() as session:
        row = session.scalar(select(Application))
        assert cipher.decrypt(row.phone_enc) == "13800138000"  # old rows readable after rotation
    assert reencrypt(engine, cipher)["applications"] == 1
    only_new = FieldCipher([new], rotated.lookup_key)
    with make_session_factory(engine)() as session:
        row = session.scalar(select(Application))
        assert only_new.decrypt(row.id_number_enc) == "110101199003070011"
        assert only_new.decrypt(row.address_enc) == "东街12号"
        assert row.phone_hash == old_cipher.lookup_hash("13800138000") == cipher.lookup_hash("13800138000")
        with pytest.raises(ValueError):
            FieldCipher([old]).decrypt(row.phone_enc)
    engine.dispose()
