"""Logging set-up: every record passes through the personal-data mask."""

from __future__ import annotations

import logging

from bot.rules.masking import mask_sensitive


class MaskingFilter(logging.Filter):
    """Replace ID and phone numbers in log messages by masked forms."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_sensitive(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: str = "INFO") -> None:
    """Send logs to stderr with the masking filter on the root handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
