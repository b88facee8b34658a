"""One chat turn: normalise the text, check it, then either relay it to the operator who holds the
conversation or ask the dialogue layer; shape the reply."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from bot.dialogue.client import BotMessage, RasaClient
from bot.dialogue.tracker_expiry import TrackerExpiry
from bot.escalation.region_move import move_to_named_region
from bot.escalation.service import EscalationService
from bot.insights.recorder import TurnRecorder
from bot.rules.danger import assess
from bot.rules.danger_replies import first_replies, stay_reply
from bot.rules.masking import mask_sensitive
from bot.services import messages
from bot.services.client_tags import ClientTags, channel_client
from bot.services.conversations import ConversationKeys
from bot.services.ticket_checks import TicketChecks
from bot.text.normalize import as_typed, simplified

log = logging.getLogger(__name__)
CANCEL_HANDOFF = re.compile(r"^(取消|不等了|不用了|取消转人工|不找人工了|算了)[。!！]?$")


class TextTooLong(Exception):
    """The message is longer than the configured limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(messages.TOO_LONG.format(limit=limit))
        self.limit = limit


@dataclass
class ChatTurn:
    messages: list[BotMessage]
    handoff: dict | None = None
    person_messages: list[dict] = field(default_factory=list)
    expiry_checked: bool = field(default=False, repr=False, compare=False)  # the turn's after_turn already ran


class ChatService:
    """Turns a resident's text into the bot's (or the operator's) messages."""

    def __init__(
        self,
        dialogue: RasaClient,
        escalation: EscalationService,
        max_chars: int,
        recorder: TurnRecorder | None = None,
        *,
        tags: ClientTags | None = None,
        expiry: TrackerExpiry | None = None,
        conversations: ConversationKeys | None = None,
        tickets: TicketChecks | None = None,
    ) -> None:
        self._dialogue = dialogue
        self._escalation = escalation
        self._max_chars = max_chars
        self._recorder = recorder  # insights: how each Rasa turn went, recorded in the background
        self._tags = tags  # who sent the turn, signed, for the actions to pass back (status-query limits)
        self._expiry = expiry  # conversations that held personal data leave Redis sooner
        self._conversations = conversations
        self._tickets = tickets  # one indexed lookup before and after a turn; the ticket is read only if there is one
        self.turns = 0  # every channel's turns (web, WeChat, voice, phone), counted here once (metrics)

    async def handle(
        self, sender_id: str, text: str, channel: str = "web", client: str | None = None,
        has_ticket: bool | None = None,
    ) -> ChatTurn:  # fmt: skip
        """Run one turn. Raises TextTooLong, or DialogueUnavailable when Rasa cannot answer.

        `client` is who sent it, for a turn that came over HTTP from a web client (its address; the route has
        checked the conversation key). Channels that authenticate their residents themselves (WeChat, the
        telephone gateway) pass nothing: the conversation is then theirs and no web client can take it over.
        `has_ticket`: whether the conversation has a ticket, when the caller read its marker along with another round
        trip (`ticket_keys`; None: asked here)."""
        self.turns += 1
        if len(text) > 4 * self._max_chars:  # bound the CPU work: normalisation only shortens by dropping spacing
            raise TextTooLong(self._max_chars)
        written = as_typed(text)  # kept as written for the values stored as written (a name in traditional characters)
        clean = simplified(written)
        if not clean:
            return ChatTurn([BotMessage(text=messages.ASK_AGAIN)])
        if len(clean) > self._max_chars:
            raise TextTooLong(self._max_chars)
        if client is None and self._conversations is not None:
            await self._conversations.claim_for_channel(sender_id, channel)
        log.debug("turn sender=%s chars=%d", sender_id, len(clean))  # never the text: names and addresses stay out
        if mask_sensitive(clean) != clean and self._expiry is not None:
            await self._expiry.mark(sender_id)  # an ID or phone number is in the tracker from now on
        as_written = written if written != clean else None
        client = client or channel_client(channel, sender_id)
        turn = await self._turn(sender_id, clean, channel, client, as_written, has_ticket)
        if self._expiry is not None and not turn.expiry_checked:
            await self._expiry.after_turn(sender_id)
        return turn

    def ticket_keys(self, sender_id: str) -> list[str]:
        """The Redis keys that say whether the conversation has a ticket, for a caller that reads them in a round trip
        it makes anyway (the rate limits); what they say (bot/escalation/ticket_markers.answer) goes to `handle`.
        Empty without Redis."""
        markers = self._tickets.markers if self._tickets is not None else None
        return markers.keys(sender_id) if markers is not None else []

    async def _turn(
        self, sender_id: str, clean: str, channel: str, client: str, written: str | None = None,
        has_ticket: bool | None = None,
    ) -> ChatTurn:  # fmt: skip
        danger = assess(clean)  # bot/rules/danger.py: the rules never depend on the model or on Rasa being up
        had_ticket = self._tickets is None or await self._tickets.any_ticket(sender_id, has_ticket)
        handoff = await self._escalation.handoff_for(sender_id) if had_ticket else None
        if danger is not None and handoff is None:
            replies = first_replies(danger.kind)
            result = await self._escalation.escalate_danger(sender_id, clean, channel, replies)
            return ChatTurn([BotMessage(text=text) for text in replies], result["handoff"])
        if handoff is not None:
            if danger is not None or handoff.state == "emergency":
                # Danger while a hand-over is open, or an emergency no one has joined yet: the bot stays with the
                # resident (the numbers again, never a queue position) and the operator still gets the message.
                handoff = await self._escalation.resident_message(sender_id, clean) or handoff
                texts = first_replies(danger.kind)[:1] if danger is not None else [stay_reply(len(clean))]
                unseen = await self._escalation.take_unseen(sender_id)
                return ChatTurn([BotMessage(text=t) for t in texts], handoff.as_dict(), unseen)
            if CANCEL_HANDOFF.match(clean):
                await self._escalation.cancel(sender_id)
                return ChatTurn([BotMessage(text=messages.HANDOFF_CANCELLED)])
            # The region named while the ticket waits (the answer to the hand-over's region question, or said in
            # passing): the ticket moves to that region's line, and the resident is told which line has them.
            move = await move_to_named_region(self._escalation, sender_id, clean)
            said = [BotMessage(text=text) for text in move.words] if move else []
            if move is not None:
                handoff = move.handoff
                if clean.startswith("/"):  # a region button: the answer to our question, nothing for the operator
                    return ChatTurn(said, handoff.as_dict(), await self._escalation.take_unseen(sender_id))
            if handoff.state == "closed":
                phone = await self._escalation.schedule_callback(sender_id, clean)
                if phone:
                    return ChatTurn([*said, BotMessage(text=messages.CALLBACK_SCHEDULED.format(phone=phone))])
            handoff = await self._escalation.resident_message(sender_id, clean) or handoff
            if handoff.state != "closed":  # a person is there, or will be soon: the message is theirs
                return ChatTurn(said, handoff.as_dict(), await self._escalation.take_unseen(sender_id))
            # Nobody on duty: the message is kept for the person, and the bot keeps answering meanwhile.
            turn = await self._bot_turn(sender_id, clean, channel, client, True, had_ticket, written)
            turn.messages[:0] = said
            return turn
        return await self._bot_turn(sender_id, clean, channel, client, False, had_ticket, written)

    async def _bot_turn(
        self,
        sender_id: str,
        clean: str,
        channel: str,
        client: str,
        opened_before: bool,
        had_ticket: bool = True,
        written: str | None = None,
    ) -> ChatTurn:
        """One Rasa request; the insights row is recorded from what it returned (no second tracker request). The
        ticket (if this turn escalated) and unseen operator messages are read only when the conversation has one:
        it had one before the turn, or the tracker-expiry round trip after it finds the conversation's ticket marker
        (or cannot say: then the tickets table is asked)."""
        tag = self._tags.sign(sender_id, client) if self._tags is not None else None
        extra = {"written": written} if written else {}  # the text as written, when it differs (metadata.written)
        result = await self._dialogue.turn(sender_id, clean, channel=channel, client_tag=tag, **extra)
        marker = self._tickets.marker(sender_id) if self._tickets is not None else None
        opened = await self._expiry.after_turn(sender_id, marker) if self._expiry is not None else None
        handoff, person_messages = None, []
        has_one = had_ticket or self._tickets is None or opened
        if not has_one and opened is None:
            has_one = await self._tickets.any_ticket(sender_id)
        if has_one:
            handoff, person_messages = await self._escalation.after_turn(sender_id)
        if self._recorder is not None:
            self._recorder.record(sender_id, clean, channel, handoff is not None and not opened_before, result.state)
        replies = list(result.messages)
        if not replies and not person_messages and (handoff is None or handoff.state == "closed"):
            # The turn stays with the bot and Rasa said nothing (a custom action failed, its events lost): say so.
            log.warning("empty bot turn sender=%s: safe fallback sent", sender_id)
            replies = [BotMessage(text=messages.NO_REPLY)]
        return ChatTurn(replies, handoff.as_dict() if handoff else None, person_messages,
                        expiry_checked=self._expiry is not None)  # fmt: skip
