"""CSV cells a spreadsheet program will not run as a formula (OWASP "CSV injection"): a cell that starts with
= + - @ or a tab or carriage return is prefixed with a single quote, which spreadsheets show as text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading quote when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}
