"""Voice benchmark: TTS real-time factor and time to first audio for a 50-character answer per available engine,
speech-input real-time factor per available engine, and a voice turn end to end (excluding recognition) through
the real stack — over HTTP (/api/voice/turn, whole reply) and the telephone WebSocket (first µ-law frame).

Run with `make bench` (or `python -m bench.voice_bench`). Writes its section of docs/benchmarks.md.
Targets on 2 cores: first audio <= 300 ms; voice turn (excluding recognition) <= 1 s."""

from __future__ import annotations

import json
import statistics
import time

import httpx

from bench.report import write_section
from bench.stack import cleanup, start_stack
from bot.core.config import get_settings
from voice.engines import make_engines
from voice.normalize import normalize_for_speech
from voice.speech import sentences
from voice.stt.kws import KeywordSpotterEngine
from voice.tts.espeak import EspeakEngine

ANSWER = "重度残疾人护理补贴，请向户籍所在地的区残联申请。条件以残联和民政部门审核为准，详情可拨打12385咨询。"
QUESTIONS = ["护理补贴怎么申请", "我在潞城，残疾人被欺负了怎么办", "低保边缘户能领生活补贴吗", "转人工", "取消"]
REPEATS = 7


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f}"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tts_rows() -> list[str]:
    """Per TTS engine: whole-answer synthesis, RTF, and first audio when speaking sentence by sentence."""
    settings = get_settings()
    engines = {"espeak-ng": EspeakEngine()}
    if settings.tts_engine == "paddle":
        tts, _ = make_engines(settings)
        engines["paddlespeech"] = tts.preferred  # type: ignore[attr-defined]
    text = normalize_for_speech(ANSWER)
    rows = []
    for name, engine in engines.items():
        status = engine.availability()
        if not status.ok:
            rows.append(f"| {name} | unavailable: {status.reason} | | | |")
            continue
        whole, first, audio_seconds = [], [], 0.0
        for _ in range(REPEATS):
            started = time.perf_counter()
            audio = engine.synthesize(text)
            whole.append(time.perf_counter() - started)
            audio_seconds = audio.seconds
            started = time.perf_counter()
            engine.synthesize(sentences(text)[0])
            first.append(time.perf_counter() - started)
        rtf = statistics.median(whole) / audio_seconds
        rows.append(
            f"| {name} | {len(ANSWER)} chars, {audio_seconds:.1f} s audio | {ms(whole)} | {rtf:.3f} | {ms(first)} |"
        )
    return rows


def stt_rows() -> list[str]:
    """Per speech-input engine: real-time factor on the synthetic answer (16 kHz and 8 kHz telephone band)."""
    settings = get_settings()
    _, configured = make_engines(settings)
    engines = [configured] if configured is not None else []
    if not isinstance(configured, KeywordSpotterEngine):
        from voice.engines import make_stt_engine

        engines.append(make_stt_engine(settings.model_copy(update={"speech_input_engine": "kws"})))
    speech = EspeakEngine().synthesize(normalize_for_speech(ANSWER))
    rows = []
    for engine in engines:
        status = engine.availability()
        if not status.ok:
            rows.append(f"| {engine.name} | unavailable: {status.reason} | | |")
            continue
        engine.transcribe(speech)  # load the model once
        for label, audio in (("16 kHz", speech.resampled(16000)), ("8 kHz", speech.resampled(8000))):
            times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                engine.transcribe(audio)
                times.append(time.perf_counter() - started)
            rtf = statistics.median(times) / audio.seconds
            rows.append(f"| {engine.name} | {label}, {audio.seconds:.1f} s | {ms(times)} | {rtf:.3f} |")
    return rows


def turn_rows() -> list[str]:
    """Voice turns through the real stack (text in, so recognition is excluded)."""
    from websockets.sync.client import connect

    stack, prefix = start_stack()
    rows = []
    try:
        with httpx.Client(base_url=stack.url, timeout=60) as client:
            for i, question in enumerate(QUESTIONS):  # warm-up
                client.post("/api/chat", json={"sender_id": f"vbw{i}", "text": question})
            http_times, chat_times = [], []
            for round_ in range(4):
                for i, question in enumerate(QUESTIONS):
                    sender = f"vb{round_}x{i}"
                    started = time.perf_counter()
                    response = client.post("/api/chat", json={"sender_id": sender + "c", "text": question})
                    chat_times.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    response = client.post("/api/voice/turn", json={"sender_id": sender, "text": question})
                    http_times.append(time.perf_counter() - started)
                    response.raise_for_status()
        first_frame, reply_end = [], []
        url = stack.url.replace("http://", "ws://") + "/ws/voice"
        for round_ in range(4):
            for i, question in enumerate(QUESTIONS):
                with connect(url, open_timeout=10) as ws:
                    ws.send(json.dumps({"sender_id": f"vbws{round_}x{i}", "token": stack.voice_ws_token}))
                    ws.recv(timeout=10)
                    started = time.perf_counter()
                    ws.send(json.dumps({"event": "text", "text": question}))
                    first = None
                    while True:
                        message = ws.recv(timeout=60)
                        if isinstance(message, bytes) and first is None:
                            first = time.perf_counter() - started
                        if isinstance(message, str) and json.loads(message)["event"] == "reply_end":
                            reply_end.append(time.perf_counter() - started)
                            break
                    if first is not None:
                        first_frame.append(first)
        for label, values in (
            ("POST /api/chat (same questions, for comparison)", chat_times),
            ("POST /api/voice/turn, text in, whole WAV reply out", http_times),
            ("/ws/voice, text in → first µ-law frame", first_frame),
            ("/ws/voice, text in → last µ-law frame", reply_end),
        ):
            rows.append(f"| {label} | {len(values)} | {ms(values)} | {pct(values, 0.95) * 1000:.0f} |")
    finally:
        cleanup(stack, prefix)
    return rows


def main() -> None:
    tts, stt = tts_rows(), stt_rows()
    turns = turn_rows()
    section = "\n".join(
        [
            "## Voice",
            "",
            f"Answer spoken: “{ANSWER}” ({len(ANSWER)} characters). Median of {REPEATS} runs.",
            "First audio = synthesis of the first sentence only: replies are spoken sentence by sentence and the",
            "first is sent while the rest is synthesised (`voice/speech.py`, `/ws/voice`). Target: ≤ 300 ms.",
            "",
            "| TTS engine | input | whole answer ms | real-time factor | first audio ms |",
            "|---|---|---|---|---|",
            *tts,
            "",
            "Speech input on the same answer, synthesised by espeak-ng (real-time factor = processing / audio time):",
            "",
            "| speech-input engine | audio | ms | real-time factor |",
            "|---|---|---|---|",
            *stt,
            "",
            "Voice turn end to end through the real stack, excluding recognition (text in). Target: ≤ 1 s.",
            "",
            "| path | turns | p50 ms | p95 ms |",
            "|---|---|---|---|",
            *turns,
        ]
    )
    print(section)
    print(f"written to {write_section('voice', section)}")


if __name__ == "__main__":
    main()
