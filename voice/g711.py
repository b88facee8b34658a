"""G.711 µ-law and A-law for 16-bit PCM, in numpy, bit-exact with the standard library's former `audioop`
(removed in Python 3.13) — the codecs of telephone lines."""

from __future__ import annotations

import numpy as np

_BIAS = 0x84
_ULAW_CLIP = 8159
_SEG_UEND = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF])
_SEG_END = np.array([0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF])


def pcm16_to_ulaw(pcm: bytes) -> bytes:
    """16-bit little-endian PCM → 8-bit µ-law (like audioop.lin2ulaw(pcm, 2))."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32) >> 2  # 14-bit, arithmetic shift as in G.711
    mask = np.where(samples < 0, 0x7F, 0xFF)
    magnitude = np.minimum(np.abs(samples), _ULAW_CLIP) + (_BIAS >> 2)
    seg = np.searchsorted(_SEG_UEND, magnitude, side="left")
    uval = np.where(seg >= 8, 0x7F, (seg << 4) | ((magnitude >> (seg + 1)) & 0xF))
    return (uval ^ mask).astype(np.uint8).tobytes()


def ulaw_to_pcm16(data: bytes) -> bytes:
    """8-bit µ-law → 16-bit little-endian PCM (like audioop.ulaw2lin(data, 2))."""
    u = ~np.frombuffer(data, dtype=np.uint8).astype(np.int32) & 0xFF
    t = ((u & 0x0F) << 3) + _BIAS
    t <<= (u & 0x70) >> 4
    return np.where(u & 0x80, _BIAS - t, t - _BIAS).astype("<i2").tobytes()


def pcm16_to_alaw(pcm: bytes) -> bytes:
    """16-bit little-endian PCM → 8-bit A-law (like audioop.lin2alaw(pcm, 2))."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32) >> 3
    mask = np.where(samples >= 0, 0xD5, 0x55)
    magnitude = np.where(samples >= 0, samples, -samples - 1)
    seg = np.searchsorted(_SEG_END >> 3, magnitude, side="left")
    aval = np.where(
        seg >= 8,
        0x7F,
        (seg << 4) | np.where(seg < 2, (magnitude >> 1) & 0xF, (magnitude >> np.maximum(seg, 1)) & 0xF),
    )
    return (aval ^ mask).astype(np.uint8).tobytes()


def alaw_to_pcm16(data: bytes) -> bytes:
    """8-bit A-law → 16-bit little-endian PCM (like audioop.alaw2lin(data, 2))."""
    a = np.frombuffer(data, dtype=np.uint8).astype(np.int32) ^ 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    t = np.where(seg == 0, t + 8, np.where(seg == 1, t + 0x108, (t + 0x108) << np.maximum(seg - 1, 0)))
    return np.where(a & 0x80, t, -t).astype("<i2").tobytes()
