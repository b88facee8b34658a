"""Issue 11 item 8: tokens never reach a log line, and Rasa's token never reaches a command line."""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from bot.core.logging import configure_logging
from bot.core.redaction import REDACTED, redact, register_secrets
from bot.launcher import rasa_main
from bot.launcher.stack import Stack, StackConfig, write_endpoints

TOKEN = "Zq9-rasa-token-value_42"


@pytest.mark.parametrize(
    "line",
    [
        f'HTTP Request: GET http://127.0.0.1:5005/status?token={TOKEN} "HTTP/1.1 200 OK"',
        f"POST http://127.0.0.1:5005/conversations/u1/tracker/events?token={TOKEN}&include_events=NONE",
        f"https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token={TOKEN}",
        f"GET /cgi-bin/token?grant_type=client_credential&appid=wx1&secret={TOKEN}",
        f"headers={{'Authorization': 'Bearer {TOKEN}'}}",
        f"authorization: {TOKEN}",
        f"X-Internal-Token: {TOKEN}",
        f"rasa run --enable-api --auth-token {TOKEN} --model m",
    ],
)
def test_token_shapes_are_redacted(line) -> None:
    cleaned = redact(line)
    assert TOKEN not in cleaned and REDACTED in cleaned


def test_registered_secrets_are_redacted_anywhere() -> None:
    register_secrets(["a-jwt-secret-of-some-length", "short"])
    assert redact("key a-jwt-secret-of-some-length leaked") == f"key {REDACTED} leaked"
    assert redact("a short word stays") == "a short word stays"


def test_every_log_record_of_the_process_is_redacted() -> None:
    """httpx logs the whole URL, token included; uvicorn has handlers of its own: both must be covered."""
    configure_logging("INFO", secrets=["jwt-secret-for-this-test"])
    stream = io.StringIO()
    own = logging.StreamHandler(stream)  # a handler that is not ours, like uvicorn's
    logger = logging.getLogger("httpx")
    logger.addHandler(own)
    try:
        logger.warning('HTTP Request: GET %s "HTTP/1.1 500"', f"http://127.0.0.1:5005/status?token={TOKEN}")
        logging.getLogger("uvicorn.error").addHandler(own)
        logging.getLogger("uvicorn.error").warning("secret is %s", "jwt-secret-for-this-test")
    finally:
        logger.removeHandler(own)
        logging.getLogger("uvicorn.error").removeHandler(own)
    output = stream.getvalue()
    assert "status?token=" + REDACTED in output
    assert TOKEN not in output and "jwt-secret-for-this-test" not in output


def test_tracebacks_are_redacted_too() -> None:
    configure_logging("INFO")
    root_handler = logging.getLogger().handlers[0]
    try:
        raise RuntimeError(f"Client error for url 'http://127.0.0.1:5005/model?token={TOKEN}'")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert TOKEN not in root_handler.format(record)


def test_launcher_passes_the_token_in_a_private_file_not_argv(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RASA_TOKEN", TOKEN)
    stack = Stack(StackConfig(model=Path("m"), runtime_dir=tmp_path))
    path = stack.write_token_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() == TOKEN
    monkeypatch.setenv(rasa_main.TOKEN_FILE_VARIABLE, str(path))
    assert rasa_main.take_token() == TOKEN
    assert not path.exists() and rasa_main.TOKEN_FILE_VARIABLE not in os.environ


def test_endpoints_file_with_a_redis_password_is_private(tmp_path) -> None:
    config = StackConfig(model=Path("m"), runtime_dir=tmp_path, redis_url="redis://:pw@127.0.0.1:6379/0")
    assert stat.S_IMODE(write_endpoints(config).stat().st_mode) == 0o600
