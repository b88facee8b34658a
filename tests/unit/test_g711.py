"""G.711 against the standard library's audioop tables (available on the gateway's Python 3.10)."""

import warnings

import numpy as np
import pytest

from voice import g711

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    audioop = pytest.importorskip("audioop")

ALL_PCM = np.arange(-32768, 32768, dtype="<i2").tobytes()
ALL_CODES = bytes(range(256))


def test_ulaw_encoding_matches_audioop_for_every_sample() -> None:
    assert g711.pcm16_to_ulaw(ALL_PCM) == audioop.lin2ulaw(ALL_PCM, 2)


def test_ulaw_decoding_matches_audioop_for_every_code() -> None:
    assert g711.ulaw_to_pcm16(ALL_CODES) == audioop.ulaw2lin(ALL_CODES, 2)


def test_alaw_encoding_matches_audioop_for_every_sample() -> None:
    assert g711.pcm16_to_alaw(ALL_PCM) == audioop.lin2alaw(ALL_PCM, 2)


def test_alaw_decoding_matches_audioop_for_every_code() -> None:
    assert g711.alaw_to_pcm16(ALL_CODES) == audioop.alaw2lin(ALL_CODES, 2)
