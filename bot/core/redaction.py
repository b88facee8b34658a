"""Keep tokens and secrets out of every log line (issue 11 item 8). Standard library only: the Rasa process
(`bot.launcher.rasa_main`, in Rasa's own environment) installs it too.

httpx logs each request URL, and Rasa's HTTP API takes its token as `?token=…`; WeChat's API takes
`?access_token=…` and `?secret=…`. Redaction is applied when a log record is made (a record factory), so every
handler — ours, uvicorn's, Rasa's, Sanic's — sees only the redacted text."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_QUERY = re.compile(
    r"(?i)([?&;](?:token|access_token|auth_token|refresh_token|secret|appsecret|password|api_key|key)=)[^&#\s\"'<>]+"
)
_BEARER = re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}")
_HEADER = re.compile(
    r"(?i)((?:authorization|x-internal-token|x-metrics-token)[\"']?\s*[:=]\s*[\"']?)(?!bearer\b|basic\b)"
    r"[A-Za-z0-9._~+/=-]{8,}"
)
_OPTION = re.compile(r"(?i)(--(?:auth-token|jwt-secret)[ =])\S+")
_known: set[str] = set()


def register_secrets(values: Iterable[str | None]) -> None:
    """Exact secret values to blank wherever they appear (short values are ignored: they would hit ordinary text)."""
    _known.update(v for v in values if v and len(v) >= 8)


def redact(text: str) -> str:
    """The text with token query values, credentials in headers and options, and known secrets replaced."""
    for secret in _known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _QUERY.sub(lambda m: m.group(1) + REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    return _OPTION.sub(lambda m: m.group(1) + REDACTED, text)


def install_record_redaction(extra: Iterable[str | None] = ()) -> None:
    """Make every log record of this process pass through `redact` (idempotent)."""
    register_secrets(extra)
    current = logging.getLogRecordFactory()
    if getattr(current, "redacting", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: leave it to logging's own error report
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    factory.redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
