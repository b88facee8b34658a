"""The published OpenAPI description, made to match what the gateway really answers (so that a fuzzer such as
Schemathesis can check every answer against it): the 422 body is `{"detail", "fields"}` (bot/main.py's handler),
not FastAPI's default list of errors."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field


class InvalidRequest(BaseModel):
    """Every 422 of the gateway: a plain-Chinese message and the names of the fields at fault."""

    detail: str = Field(description="what is wrong, in plain Chinese")
    fields: list[str] = Field(default_factory=list, description="body/query/path fields at fault, e.g. ['text']")


def install_openapi(app: FastAPI) -> None:
    """Replace FastAPI's 422 schema (HTTPValidationError) by the gateway's real one, everywhere it is referenced."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["HTTPValidationError"] = InvalidRequest.model_json_schema()
        components.pop("ValidationError", None)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                invalid = operation.get("responses", {}).get("422")
                if invalid is not None:
                    invalid["description"] = "Invalid request: {detail, fields}"
                    invalid["content"] = {
                        "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
                    }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
