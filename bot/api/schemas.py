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
    position: int | None = Field(
        default=None,
        description="place in an open queue (1 = next); 0 once an operator joined; null when no place is promised "
        "(an emergency — never a queue number — or a closed line)",
    )
    state: str = Field(default="waiting", description="waiting | closed | emergency | joined")
    queue_name: str = Field(default="", description="the line's name, e.g. 12385残疾人服务热线")
    wait_minutes: int | None = Field(default=None, description="expected wait in an open queue")
    opens_at: str | None = Field(default=None, description="when a closed line opens, e.g. 明天08:30")
    call_now: list[str] = Field(default_factory=list, description="hotlines open right now besides this queue")
    transferred_from: str | None = Field(
        default=None, description="the line the matter moved from (an operator's transfer, or the resident's region)"
    )
    headline: str = Field(default="", description="a few words for the banner's single line")
    banner: str = Field(default="", description="the whole story (what happens, when, which line to call)")
    ack: str = Field(default="", description="said when a message went to the person (no bot answer)")
    region: str | None = Field(default=None, description="the resident's region when known (its line has the ticket)")


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
    conversation_key: str | None = Field(
        default=None,
        description="issued once, with the first reply of a new conversation id: send it back in the "
        "X-Conversation-Key header with every later turn and long poll",
    )


class ErrorResponse(BaseModel):
    detail: str
