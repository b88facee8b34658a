"""Logging set-up: every record passes through the personal-data mask."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.core.redaction import install_record_redaction, redact
from bot.rules.masking import mask_sensitive


class MaskingFilter(logging.Filter):
    """Replace ID and phone numbers in log messages by masked forms."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_sensitive(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RedactingFormatter(logging.Formatter):
    """The formatted line, tracebacks included (an httpx error names its URL), with tokens redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str = "INFO", secrets: Iterable[str | None] = ()) -> None:
    """Send logs to stderr with the masking filter on the root handler; redact tokens and the given secrets from
    every record of the process (uvicorn's and httpx's included)."""
    install_record_redaction(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request at INFO (a line per Rasa call: ~3% of the gateway's CPU per chat turn); its warnings
    # and errors still show, and LOG_LEVEL=DEBUG shows every request again.
    logging.getLogger("httpx").setLevel(logging.NOTSET if root.level <= logging.DEBUG else logging.WARNING)
