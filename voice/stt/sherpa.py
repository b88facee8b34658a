"""Full transcription with a sherpa-onnx offline model (paraformer, or a zipformer transducer) that a deployer
has placed in a local directory. Nothing is downloaded: missing files are named in the error."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from voice.audio import Audio
from voice.models import find_files
from voice.stt import Availability, EngineUnavailable, Recognition

SAMPLE_RATE = 16000
PARAFORMER = {"model": ("model.int8.onnx", "model.onnx"), "tokens": ("tokens.txt",)}
TRANSDUCER = {
    "encoder": ("encoder*.int8.onnx", "encoder*.onnx"),
    "decoder": ("decoder*.onnx",),
    "joiner": ("joiner*.int8.onnx", "joiner*.onnx"),
    "tokens": ("tokens.txt",),
}


def detect_layout(model_dir: Path | None) -> tuple[str, dict[str, Path]]:
    """("paraformer" | "transducer", files) for a complete model directory; else EngineUnavailable naming the
    files that are missing."""
    if model_dir is None:
        raise EngineUnavailable("no sherpa-onnx model directory configured (SHERPA_ASR_MODEL_DIR)")
    if not model_dir.is_dir():
        raise EngineUnavailable(f"sherpa-onnx model directory {model_dir} does not exist")
    transducer, missing_transducer = find_files(model_dir, TRANSDUCER)
    if not missing_transducer:
        return "transducer", transducer
    paraformer, missing_paraformer = find_files(model_dir, PARAFORMER)
    if not missing_paraformer:
        return "paraformer", paraformer
    raise EngineUnavailable(
        f"{model_dir} holds neither a paraformer (missing: {', '.join(missing_paraformer)}) nor a transducer "
        f"(missing: {', '.join(missing_transducer)})"
    )


class SherpaOfflineEngine:
    """A full Mandarin transcriber from local files."""

    name = "sherpa-onnx-offline"

    def __init__(self, model_dir: Path | None, num_threads: int = 2) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        self.num_threads = num_threads
        self._recognizer = None
        self._lock = threading.Lock()

    def availability(self) -> Availability:
        try:
            layout, _files_found = detect_layout(self.model_dir)
        except EngineUnavailable as exc:
            return Availability(False, str(exc))
        return Availability(True, f"{layout} model in {self.model_dir}")

    def _load(self):
        with self._lock:
            if self._recognizer is None:
                import sherpa_onnx

                layout, files = detect_layout(self.model_dir)
                if layout == "paraformer":
                    self._recognizer = sherpa_onnx.OfflineRecognizer.from_paraformer(
                        paraformer=str(files["model"]), tokens=str(files["tokens"]), num_threads=self.num_threads
                    )
                else:
                    self._recognizer = sherpa_onnx.OfflineRecognizer.from_transducer(
                        encoder=str(files["encoder"]),
                        decoder=str(files["decoder"]),
                        joiner=str(files["joiner"]),
                        tokens=str(files["tokens"]),
                        num_threads=self.num_threads,
                    )
            return self._recognizer

    def transcribe(self, audio: Audio) -> Recognition:
        recognizer = self._load()
        samples = np.frombuffer(audio.resampled(SAMPLE_RATE).pcm, dtype="<i2").astype(np.float32) / 32768.0
        stream = recognizer.create_stream()
        stream.accept_waveform(SAMPLE_RATE, samples)
        recognizer.decode_stream(stream)
        text = stream.result.text.strip()
        return Recognition(text, [], self.name, full_transcript=True)
