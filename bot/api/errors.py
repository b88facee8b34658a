"""Errors that are the client's, answered 4xx instead of 500 (issue 11, low): numbers in a path or query that the
database cannot hold (SQLite: 64-bit, PostgreSQL INTEGER: 32-bit) are a 422 in the API's error shape."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, StatementError

log = logging.getLogger(__name__)
OUT_OF_RANGE = "请求里的数字超出范围。"
DATABASE_INT = 2**31 - 1


def _oversized_numbers(request: Request) -> list[str]:
    """Names of path and query parameters whose value is an integer beyond a 32-bit database column."""
    values = {**request.path_params, **dict(request.query_params)}
    names = []
    for name, value in values.items():
        text = str(value).lstrip("+-")
        if text.isdigit() and int(text) > DATABASE_INT:
            names.append(name)
    return sorted(names)


def _out_of_range(request: Request) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": OUT_OF_RANGE, "fields": _oversized_numbers(request)})


def install_error_handlers(app: FastAPI) -> None:
    """422 for integers the database cannot take (OverflowError from SQLite, DataError from PostgreSQL)."""

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, _exc: OverflowError) -> JSONResponse:
        return _out_of_range(request)

    @app.exception_handler(StatementError)
    async def statement(request: Request, exc: StatementError) -> JSONResponse:
        if isinstance(exc, DataError) or isinstance(exc.orig, OverflowError):
            return _out_of_range(request)
        log.exception("database error: %s", type(exc).__name__)
        return JSONResponse(status_code=500, content={"detail": "对不起，服务暂时出了问题，请稍后再试。"})
