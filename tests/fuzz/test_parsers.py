"""Standing check (issue 11): property-based fuzzing of every parser of outside input. Each may raise only its
documented exception, and never hangs (the timeout is a guard, not a measurement). Bounded: FUZZ_EXAMPLES examples
per parser (default 150)."""

from __future__ import annotations

import io
import os
import struct
import wave
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.wechat.crypto import CryptoError, MessageCrypto, signature_ok
from bot.channels.wechat.freshness import Refused, ReplayGuard
from bot.channels.wechat.parsing import BadMessage, parse_message, parse_xml
from bot.channels.wechat.store import MemoryStore
from bot.rules.danger import is_danger
from bot.rules.disability_card import validate_disability_card
from bot.rules.id_card import validate_id_number
from bot.rules.masking import mask_sensitive
from bot.rules.phone import validate_phone
from bot.rules.regions import detect_region
from bot.rules.spoken_numbers import digits_from_speech, extract_digit_run, read_number
from bot.text.normalize import normalize_text
from voice import g711
from voice.audio import FORMATS, InvalidAudio, decode_audio

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.timeout(300)
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
TODAY = date(2026, 6, 1)

# Text as residents, recognisers and attackers produce it: CJK, digits (full-width too), spoken numbers, control
# characters, lone surrogates.
SPOKEN = st.sampled_from(list("零一二三四五六七八九十百千万幺两洞拐勾叉xX０１２３４５６７８９ -—，。"))
TEXT = st.one_of(st.text(max_size=80), st.lists(SPOKEN, max_size=40).map("".join),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.just("\ud800x\udfff"))  # fmt: skip


def wav_bytes(channels: int, width: int, rate: int, frames: bytes) -> bytes:
    """A WAV header with the given fields (any values, even nonsense ones) over `frames`."""
    block = channels * width
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + len(frames))
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block & 0xFFFFFFFF, block & 0xFFFF, width * 8 & 0xFFFF)
    )
    return header + b"data" + struct.pack("<I", len(frames)) + frames


WAVS = st.builds(
    wav_bytes,
    channels=st.integers(0, 65535),
    width=st.integers(0, 5),
    rate=st.integers(0, 2**32 - 1),
    frames=st.binary(max_size=4000),
)
AMRS = st.binary(max_size=3000).map(lambda body: b"#!AMR\n" + body)


@fuzz
@given(data=st.one_of(st.binary(max_size=4000), WAVS, AMRS), fmt=st.sampled_from([None, *FORMATS, "mp3"]))
def test_audio_decoders_raise_only_invalid_audio(data: bytes, fmt: str | None) -> None:
    try:
        audio = decode_audio(data, fmt, max_seconds=60)
    except InvalidAudio:
        return
    assert audio.pcm and len(audio.pcm) % 2 == 0 and audio.sample_rate > 0 and audio.seconds <= 60


@fuzz
@given(data=WAVS)
def test_wav_fields_never_crash_the_reader(data: bytes) -> None:
    try:
        decode_audio(data, "wav")
    except InvalidAudio:
        pass


@fuzz
@given(data=st.binary(max_size=4000))
def test_g711_decoders_accept_any_bytes(data: bytes) -> None:
    assert len(g711.ulaw_to_pcm16(data)) == 2 * len(data) == len(g711.alaw_to_pcm16(data))


@fuzz
@given(pcm=st.binary(max_size=4000).map(lambda b: b[: len(b) - len(b) % 2]))
def test_g711_encoders_round_trip_lengths(pcm: bytes) -> None:
    assert len(g711.pcm16_to_ulaw(pcm)) == len(pcm) // 2 == len(g711.pcm16_to_alaw(pcm))


XML_FIELDS = st.dictionaries(
    st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,12}", fullmatch=True), st.text(max_size=40), max_size=8
)


def as_xml(fields: dict[str, str], root: str) -> str:
    from xml.sax.saxutils import escape

    return f"<{root}>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items()) + f"</{root}>"


@fuzz
@given(body=st.one_of(st.binary(max_size=2000), st.text(max_size=400),
                      st.builds(as_xml, XML_FIELDS, st.sampled_from(["xml", "XML", "other"]))))  # fmt: skip
def test_wechat_xml_raises_only_bad_message(body) -> None:
    try:
        parse_message(body)
    except BadMessage:
        pass
    try:
        fields = parse_xml(body)
    except BadMessage:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())


@fuzz
@given(encrypted=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: __import__("base64")
                                                                              .b64encode(b).decode())))  # fmt: skip
def test_wechat_decrypt_raises_only_crypto_error(encrypted: str) -> None:
    try:
        MessageCrypto("token", AES_KEY, "wx123").decrypt(encrypted)
    except CryptoError:
        pass


@fuzz
@given(message=st.text(max_size=500), app_id=st.from_regex(r"wx[0-9a-f]{0,16}", fullmatch=True))
def test_wechat_encrypt_decrypt_round_trip(message: str, app_id: str) -> None:
    clean = normalize_text(message)  # what a reply holds
    crypto = MessageCrypto("token", AES_KEY, app_id)
    assert crypto.decrypt(crypto.encrypt(clean)) == clean


@fuzz
@given(parts=st.lists(st.text(max_size=30), max_size=4), given_signature=st.one_of(st.none(), st.text(max_size=50)))
def test_wechat_signature_check_never_raises(parts: list[str], given_signature: str | None) -> None:
    assert signature_ok(tuple(parts), given_signature) in (True, False)


@fuzz
@given(timestamp=st.text(max_size=30), nonce=st.text(max_size=80), body=st.binary(max_size=200))
def test_wechat_freshness_raises_only_refused(timestamp: str, nonce: str, body: bytes) -> None:
    import asyncio

    guard = ReplayGuard(MemoryStore(), 300, clock=lambda: 1_700_000_000)
    try:
        asyncio.run(guard.check(timestamp, nonce, body))
    except Refused:
        pass


@fuzz
@given(text=TEXT)
def test_id_card_phone_and_number_parsers_never_raise(text: str) -> None:
    id_check = validate_id_number(text, today=TODAY)
    assert id_check.ok in (True, False) and isinstance(id_check.message, str)
    card = validate_disability_card(text, id_number=id_check.value if id_check.ok else None, today=TODAY)
    assert card.ok in (True, False)
    phone = validate_phone(text)
    assert phone.ok in (True, False) and (phone.kind in ("mobile", "landline")) == phone.ok
    assert isinstance(digits_from_speech(text), str) and isinstance(read_number(text), str)
    run = extract_digit_run(text)
    assert run is None or isinstance(run, str)


@fuzz
@given(text=TEXT)
def test_text_rules_never_raise(text: str) -> None:
    assert is_danger(text) in (True, False)
    assert detect_region(text) in (None, "绥芬河市", "潞城区") or isinstance(detect_region(text), str)
    assert isinstance(mask_sensitive(text), str)
    clean = normalize_text(text)
    clean.encode("utf-8")  # never a lone surrogate left


def test_a_generated_wav_still_decodes() -> None:
    """The strategies above are not vacuous: a well-formed WAV from them decodes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * 800)
    assert decode_audio(wav_bytes(1, 2, 8000, b"\x01\x00" * 800)).pcm == decode_audio(buffer.getvalue()).pcm
