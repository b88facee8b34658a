"""A running stack with the SIP endpoint switched on, and the real SIP programs that call it (sipp, baresip,
tcpdump). With CI=true a missing program fails the tests instead of skipping them."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.launcher.stack import Stack, StackConfig
from tests.conftest import ALWAYS_OPEN, TEST_REDIS_URL, free_port

SCENARIOS = Path(__file__).parent / "scenarios"
SIPP_PCAPS = Path("/usr/share/sip-tester")  # Debian's sip-tester ships g711a.pcap and dtmf_2833_*.pcap here


def require(program: str) -> str:
    """The program's path; missing → skip locally, fail in CI (where .ci/run installs it)."""
    path = shutil.which(program)
    if path:
        return path
    message = f"{program} is not installed (Debian: see .ci/run)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SipStack:
    stack: Stack
    sip_port: int
    agent_port: int  # where the agent URIs point (a sipp UAS plays the hotline's queue in some tests)
    rtp_ports: tuple[int, int]
    agent_uris: dict[str, str]
    log_dir: Path

    @property
    def url(self) -> str:
        return self.stack.url

    def gateway_log(self) -> str:
        return (self.log_dir / "gateway.log").read_text(errors="replace")


@pytest.fixture(scope="session")
def sip_stack(trained_model: Path, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SipStack]:
    """Rasa + action server + gateway with SIP on 127.0.0.1 (allow-list: loopback only)."""
    workdir = tmp_path_factory.mktemp("sipstack")
    sip_port, agent_port = free_udp_port(), free_udp_port()
    base = random.randrange(30000, 60000, 2)
    rtp_ports = (base, base + 400)
    agent_uris = {
        "12385": f"sip:12385@127.0.0.1:{agent_port}",
        "12345": f"sip:12345@127.0.0.1:{agent_port}",
        "emergency": f"sip:emergency@127.0.0.1:{agent_port}",
    }
    config = StackConfig(
        model=trained_model,
        port=free_port(),
        rasa_port=free_port(),
        actions_port=free_port(),
        redis_url=TEST_REDIS_URL,
        redis_key_prefix=redis_prefix,
        database_url=f"sqlite:///{workdir / 'accessline.db'}",
        runtime_dir=workdir,
        log_dir=workdir / "logs",
        extra_env={
            "ESCALATION_CONFIG": str(ALWAYS_OPEN),
            "SIP_LISTEN": f"127.0.0.1:{sip_port}",
            "SIP_RTP_PORTS": f"{rtp_ports[0]}-{rtp_ports[1]}",
            "SIP_AGENT_URIS": json.dumps(agent_uris),
            "SIP_TRANSFER_TIMEOUT_SECONDS": "8",
            "LOG_LEVEL": "INFO",
        },
    )
    running = Stack(config)
    try:
        running.start(timeout=300)
    except Exception:
        running.stop()
        for log in sorted((workdir / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    yield SipStack(running, sip_port, agent_port, rtp_ports, agent_uris, workdir / "logs")
    running.stop()


@pytest.fixture(scope="session")
def operator(sip_stack: SipStack) -> Iterator[httpx.Client]:
    """The operator console's API, signed in as an operator of this stack."""
    from bot.cli import create_user

    password = "telephony operator password"
    create_user("op-phone", "operator", password, sip_stack.stack.config.database_url)
    client = httpx.Client(base_url=sip_stack.url, timeout=30)
    token = client.post("/api/auth/token", data={"username": "op-phone", "password": password})
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    yield client
    client.close()
