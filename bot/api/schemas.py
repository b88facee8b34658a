"""Request and response bodies of the public chat API (a contract other parts rely on)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Button(BaseModel):
    title: str
    payload: str


class Message(BaseModel):
    text: str
    buttons: list[Button] | None = None
    from_person: bool = Field(default=False, description="True for a hotline operator's message")
    author: str = Field(default="bot", description="bot | operator")


class Handoff(BaseModel):
    ticket_id: str
    queue: str = Field(description="12385 | 12345 | emergency")
    priority: str = Field(description="normal | high | emergency")
    position: int = Field(description="place in the queue; 0 once an operator holds the conversation")


MAX_RAW_TEXT_CHARS = 8000  # hard bound before any work; the configured limit (MAX_TEXT_CHARS) applies after clean-up


class ChatRequest(BaseModel):
    sender_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="1–64 chars of A-Za-z0-9_-")
    text: str = Field(
        max_length=MAX_RAW_TEXT_CHARS,
        description="What the resident typed or said. Over MAX_TEXT_CHARS (1000) after normalisation: 413.",
    )


class ChatResponse(BaseModel):
    sender_id: str
    messages: list[Message]
    handoff: Handoff | None = None


class ErrorResponse(BaseModel):
    detail: str
