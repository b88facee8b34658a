"""A gateway (no Rasa, no Redis: the embedded default, the database is the queue) with a shift's worth of tickets,
seeded through the real APIs: /internal/tickets (what the action server calls), /api/chat (a resident in danger,
recognised by the gateway itself) and the call-back path; only the region and the creation time are set in the
database afterwards (the region comes from Rasa's slots, which these tests run without; the time makes "night")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from sqlalchemy import create_engine, update

from bot.core.config import PROJECT_ROOT
from bot.main import create_app
from bot.rules.routing import CHINA
from bot.storage.models import Ticket
from tests.api.conftest import INTERNAL, PASSWORD, create_users, make_settings
from tests.api.live_gateway import LiveGateway
from tests.residents import Residents

OFFICE_HOURS = PROJECT_ROOT / "config" / "escalation.yml"  # 12385 Mon–Fri 08:30–17:30, 12345 and emergency 24 h
# A Tuesday: 21:00 Beijing time is night for 12385; 10:00 is office hours.
NIGHT = datetime(2026, 12, 1, 21, 30, tzinfo=CHINA)
DAY = datetime(2026, 12, 1, 10, 0, tzinfo=CHINA)
PERSONAL = {"name": "王秀英", "phone": "13912345678", "id": "230103199001011234"}
PERSONAL_TEXT = f"我叫{PERSONAL['name']}，电话{PERSONAL['phone']}，身份证{PERSONAL['id']}，护理补贴咋还没到"
CALLBACK_PHONE = "13800138000"


@dataclass
class Shift:
    live: LiveGateway
    database_url: str
    tickets: dict[str, str] = field(default_factory=dict)  # role in the test → ticket id
    total: int = 0
    clock: list[datetime] = field(default_factory=lambda: [NIGHT])

    @property
    def url(self) -> str:
        return self.live.url

    def set_clock(self, moment: datetime) -> None:
        self.clock[0] = moment

    def db(self, statement) -> None:  # noqa: ANN001
        engine = create_engine(self.database_url)
        with engine.begin() as connection:
            connection.execute(statement)
        engine.dispose()


def _open(http: httpx.Client, sender: str, last_user_text: str, **body: object) -> dict:
    """What the action server sends: the conversation so far (here, the resident's last words)."""
    line = {"from": "resident", "text": last_user_text, "at": datetime.now(timezone.utc).isoformat()}
    response = http.post("/internal/tickets", json={"sender_id": sender, "transcript": [line], **body},
                         headers=INTERNAL)  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


@contextmanager
def shift(tmp_path: Path, count: int = 52) -> Iterator[Shift]:
    """`count` tickets in three regions, four channels, two hotlines, one emergency and one call-back."""
    database_url = f"sqlite:///{tmp_path / 'shift.db'}"
    create_users(database_url)
    from bot.cli import create_user

    create_user("op2", "operator", PASSWORD, database_url)
    settings = make_settings(database_url, tmp_path)
    settings.escalation_config = OFFICE_HOURS
    app = create_app(settings)
    with LiveGateway(app) as live:
        state = Shift(live, database_url)
        app.state.clock = lambda: state.clock[0]
        http = httpx.Client(base_url=live.url, timeout=30)
        regions = ["绥芬河市", "潞城区", None]
        channels = ["web", "wechat", "voice", "web"]
        topics = ["faq/equal_employment", "faq/minimum_living_allowance", "apply", None]
        created = []
        for n in range(count - 2):
            reason = ("request", "fallback", "complaint")[n % 3]
            ticket = _open(http, f"shift-{n}", reason=reason, channel=channels[n % 4], topic=topics[n % 4],
                           last_user_text=f"第{n}位居民：护理补贴的事想问问人工")["handoff"]  # fmt: skip
            created.append((ticket["ticket_id"], regions[n % 3]))
        personal = _open(http, "shift-personal", reason="request", channel="web", last_user_text=PERSONAL_TEXT)
        created.append((personal["handoff"]["ticket_id"], "绥芬河市"))
        state.tickets["personal"] = personal["handoff"]["ticket_id"]
        callback = _open(http, "shift-callback", reason="callback", channel="voice", contact_phone=CALLBACK_PHONE,
                         last_user_text="晚上打不通，明天给我回个电话")  # fmt: skip
        created.append((callback["handoff"]["ticket_id"], "潞城区"))
        state.tickets["callback"] = callback["handoff"]["ticket_id"]
        # Evening: every ticket came in at 20:30 Beijing time (12385 had closed at 17:30).
        evening = NIGHT - timedelta(hours=1)
        for ticket_id, region in created:
            state.db(update(Ticket).where(Ticket.id == ticket_id).values(region=region, created_at=utc(evening)))
        state.tickets["suifenhe_12385"] = next(t for t, r in created[:-2] if r == "绥芬河市")
        state.total = len(created)
        http.close()
        yield state


def danger(shift: Shift, sender: str, text: str = "我不想活了") -> dict:
    """A resident in crisis writes in the web chat: the gateway opens an emergency ticket by itself."""
    with httpx.Client(base_url=shift.url, timeout=30) as http:
        reply = Residents(http).say(sender, text)
    assert reply["handoff"] and reply["handoff"]["priority"] == "emergency", reply
    return reply


def login_api(shift: Shift, username: str) -> httpx.Client:
    http = httpx.Client(base_url=shift.url, timeout=30)
    response = http.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return http


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
