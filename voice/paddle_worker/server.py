"""A tiny HTTP service around PaddleSpeech's TTS and ASR executors (stdlib only besides PaddleSpeech itself).

Contract (what `voice/paddle_client.py` expects):
  GET  /health -> 200 {"tts": {"loaded": bool, "reason": str}, "asr": {...}}
  POST /tts   {"text": str, "speed": float}      -> 200 audio/wav | 400/503 {"detail": str}
  POST /asr   body: 16-bit mono WAV, 16 kHz       -> 200 {"text": str} | 400/503 {"detail": str}
Models are loaded only from the local PPSPEECH_HOME layout (see models.py); the usage-statistics request that
every PaddleSpeech executor call sends is switched off, and Hugging Face is put offline."""

from __future__ import annotations

import inspect
import json
import logging
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol

from voice.paddle_worker import models

log = logging.getLogger("paddle_worker")
MAX_BODY = 4 * 1024 * 1024
MAX_TEXT = 1000


class BadInput(ValueError):
    """The request cannot be served as sent (400)."""


class NotLoaded(RuntimeError):
    """The task's models are not loaded (503)."""


class Backend(Protocol):
    def status(self) -> dict[str, dict]: ...

    def tts(self, text: str, speed: float) -> bytes: ...

    def asr(self, wav: bytes) -> str: ...


def go_offline() -> None:
    """Never download anything from inside the worker."""
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[variable] = "1"


def disable_usage_statistics() -> None:
    """PaddleSpeech's executors wrap every call in `stats_wrapper`, which starts a thread sending a request to
    paddlepaddle.org.cn; the wrapper looks `_note_one_stat` up at call time, so replacing it switches that off."""
    from paddlespeech.cli import utils

    utils._note_one_stat = lambda *args, **kwargs: None
    utils.StatsWorker.run = lambda self: None


class PaddleBackend:
    """FastSpeech2 + HiFiGAN/MB-MelGAN on CSMSC, and conformer_wenetspeech, from local files only."""

    def __init__(self, home: Path, vocoder: str = "hifigan_csmsc", tasks: tuple[str, ...] = ("tts", "asr")) -> None:
        self.home, self.vocoder = home, vocoder
        self._lock = threading.Lock()  # PaddleSpeech executors are not thread-safe
        self._state = {t: {"loaded": False, "reason": f"{t}: not started (see --tasks)"} for t in ("tts", "asr")}
        self._tts = self._asr = None
        go_offline()
        os.environ["PPSPEECH_HOME"] = str(home)
        checks = {"tts": models.check_tts(home, vocoder), "asr": models.check_asr(home)}
        for task in tasks:
            ready = checks[task]
            self._state[task] = {"loaded": False, "reason": ready.reason}
            if ready.ok:
                self._load(task)

    def _load(self, task: str) -> None:
        try:
            disable_usage_statistics()
            if task == "tts":
                from paddlespeech.cli.tts.infer import TTSExecutor

                self._tts = TTSExecutor()
                self.tts("您好。", 1.0)  # loads the models and the front end once
            else:
                from paddlespeech.cli.asr.infer import ASRExecutor

                self._asr = ASRExecutor()
            self._state[task] = {"loaded": True, "reason": f"{task}: loaded from {self.home}"}
        except Exception as exc:  # noqa: BLE001 - reported through /health
            log.exception("loading %s failed", task)
            self._state[task] = {"loaded": False, "reason": f"{task}: loading failed: {type(exc).__name__}: {exc}"}

    def status(self) -> dict[str, dict]:
        return self._state

    def tts(self, text: str, speed: float) -> bytes:
        if self._tts is None:
            raise NotLoaded(self._state["tts"]["reason"])
        with self._lock, tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.wav"
            kwargs = {"text": text, "output": str(out), "am": "fastspeech2_csmsc", "voc": self.vocoder, "lang": "zh"}
            if "speed" in inspect.signature(self._tts.__call__).parameters:
                kwargs["speed"] = speed
            self._tts(**kwargs)
            return out.read_bytes()

    def asr(self, wav: bytes) -> str:
        if self._asr is None:
            raise NotLoaded(self._state["asr"]["reason"])
        with self._lock, tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "in.wav"
            source.write_bytes(wav)
            return str(self._asr(audio_file=str(source), model="conformer_wenetspeech", lang="zh", force_yes=True))


def make_handler(backend: Backend) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to one backend."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt: str, *args) -> None:  # text is personal data: log only the request line
            log.debug("%s " + fmt, self.address_string(), *args)

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: dict) -> None:
            self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                raise BadInput(f"body must be 1..{MAX_BODY} bytes")
            return self.rfile.read(length)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            if self.path == "/health":
                self._json(200, backend.status())
            else:
                self._json(404, {"detail": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            try:
                if self.path == "/tts":
                    request = json.loads(self._body())
                    text, speed = request.get("text"), float(request.get("speed", 1.0))
                    if not isinstance(text, str) or not 0 < len(text) <= MAX_TEXT or not 0.5 <= speed <= 3.0:
                        raise BadInput(f"text must be 1..{MAX_TEXT} characters and speed 0.5..3.0")
                    self._send(200, backend.tts(text, speed), "audio/wav")
                elif self.path == "/asr":
                    self._json(200, {"text": backend.asr(self._body())})
                else:
                    self._json(404, {"detail": "not found"})
            except (BadInput, json.JSONDecodeError, ValueError, TypeError) as exc:
                self._json(400, {"detail": str(exc)})
            except NotLoaded as exc:
                self._json(503, {"detail": str(exc)})

    return Handler


def serve(backend: Backend, host: str = "127.0.0.1", port: int = 8091) -> ThreadingHTTPServer:
    """A started-but-not-yet-serving HTTP server; call `serve_forever()` on it."""
    return ThreadingHTTPServer((host, port), make_handler(backend))
