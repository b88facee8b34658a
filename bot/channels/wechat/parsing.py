"""Read a 公众号 message safely: no DTDs, no entities, no external references, a flat <xml> of text fields."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class BadMessage(ValueError):
    """The body is not a message we accept (not XML, a DTD or entity, or the wrong shape)."""


@dataclass(frozen=True)
class Inbound:
    """The fields of a WeChat message or event that the channel uses."""

    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    @property
    def msg_type(self) -> str:
        return self.get("MsgType").lower()

    @property
    def openid(self) -> str:
        return self.get("FromUserName")

    @property
    def account(self) -> str:
        return self.get("ToUserName")

    @property
    def dedupe_id(self) -> str:
        """MsgId for messages; FromUserName + CreateTime for events (which have no MsgId)."""
        msg_id = self.get("MsgId")
        return f"m:{msg_id}" if msg_id else f"e:{self.openid}:{self.get('CreateTime')}:{self.get('Event')}"


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The direct children of the root element as name → text. Raises BadMessage."""
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise BadMessage(type(exc).__name__) from exc
    if root.tag != "xml":
        raise BadMessage("root element is not <xml>")
    return {child.tag: (child.text or "") for child in root if isinstance(child.tag, str)}


def parse_message(body: bytes | str) -> Inbound:
    """A plaintext message; it must name its sender, its account and its type."""
    return message_from(parse_xml(body))


def message_from(fields: dict[str, str]) -> Inbound:
    """The parsed fields as a message, checked for sender, account and type. Raises BadMessage."""
    inbound = Inbound(fields)
    if not (inbound.openid and inbound.account and inbound.msg_type):
        raise BadMessage("FromUserName, ToUserName or MsgType missing")
    return inbound
