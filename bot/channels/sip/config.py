"""The SIP endpoint's configuration, checked once from the gateway settings (bot/core/config.py)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class SipConfig:
    host: str
    port: int
    public_host: str
    allow: tuple[Network, ...]
    rtp_ports: tuple[int, int]
    agent_uris: dict[str, str] = field(default_factory=dict)
    codecs: tuple[str, ...] = ("PCMU", "PCMA")
    max_calls: int = 20
    max_message_bytes: int = 8192
    answer_delay: float = 0.3
    user: str = "accessline"
    barge_in: bool = True
    rate: int = 175
    transfer_timeout: float = 30.0
    media_timeout: float = 60.0
    max_call_seconds: float = 3600.0

    @classmethod
    def from_settings(cls, settings: Any) -> SipConfig:
        host, port = split_host_port(settings.sip_listen)
        public = settings.sip_public_host or host
        if public in ("0.0.0.0", "::"):
            raise ValueError("SIP_PUBLIC_HOST must name our address when SIP_LISTEN binds all interfaces")
        low, _, high = settings.sip_rtp_ports.partition("-")
        rtp = (int(low), int(high or low))
        if not 1024 <= rtp[0] < rtp[1] <= 65535:
            raise ValueError("SIP_RTP_PORTS must be a range such as 20000-20999")
        return cls(
            host=host,
            port=port,
            public_host=public,
            allow=tuple(ipaddress.ip_network(net, strict=False) for net in settings.sip_allow),
            rtp_ports=rtp,
            agent_uris=dict(settings.sip_agent_uris),
            codecs=tuple(settings.sip_codecs),
            max_calls=settings.sip_max_calls,
            max_message_bytes=settings.sip_max_message_bytes,
            answer_delay=settings.sip_answer_delay_seconds,
            user=settings.sip_user,
            barge_in=settings.sip_barge_in,
            rate=settings.sip_speech_rate,
            transfer_timeout=settings.sip_transfer_timeout_seconds,
            media_timeout=settings.sip_media_timeout_seconds,
            max_call_seconds=settings.sip_max_call_seconds,
        )

    def allowed(self, host: str) -> bool:
        """Whether an address is one of the PBX addresses we accept traffic from."""
        try:
            address = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in net for net in self.allow if net.version == address.version)

    @property
    def contact(self) -> str:
        host = f"[{self.public_host}]" if ":" in self.public_host else self.public_host
        return f"<sip:{self.user}@{host}:{self.port}>"


def split_host_port(text: str) -> tuple[str, int]:
    """`0.0.0.0:5060`, `[::1]:5070`, `127.0.0.1` (port 5060)."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.lstrip(":")
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        host, port = text, ""
    return host, int(port or 5060)
