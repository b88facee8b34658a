"""Offline default speech input: sherpa-onnx keyword spotting with a small Mandarin model (about 4.7 MB).

It is not a transcriber: it reports which of the bot's own keywords it heard (`full_transcript=False`), and the
turn is given to the bot as that keyword (see `keywords.utterance`)."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from voice.audio import Audio
from voice.models import find_files
from voice.stt import Availability, EngineUnavailable, Recognition
from voice.stt.keywords import KeywordList, build_keywords, read_userdict, utterance

SAMPLE_RATE = 16000
TAIL_SECONDS = 0.66  # trailing silence so the last keyword is flushed, as in sherpa-onnx's examples
# Leading silence: the streaming encoder misses a keyword said in its very first chunk. Measured on espeak-ng keywords
# of the bot's vocabulary (sherpa-onnx 2.0.1 and 1.10.46): 3/14 and 4/14 heard without it, 5/14 and 5/14 with 0.3 s;
# the model's own test recordings give the same keywords either way (docs/voice.md).
LEAD_SECONDS = 0.3
MODEL_FILES = {
    "tokens": ("tokens.txt",),
    "encoder": ("encoder*.int8.onnx", "encoder*.onnx"),
    "decoder": ("decoder*.onnx",),
    "joiner": ("joiner*.int8.onnx", "joiner*.onnx"),
}


def find_model_files(model_dir: Path) -> tuple[dict[str, Path], list[str]]:
    """The transducer's files in `model_dir`, and the names of those that are missing."""
    return find_files(model_dir, MODEL_FILES)


class KeywordSpotterEngine:
    """Keyword spotting over the bot's vocabulary. The model is loaded on first use (about 0.2 s)."""

    name = "sherpa-onnx-kws"

    def __init__(
        self,
        model_dir: Path,
        vocabulary: Iterable[str] | Path,
        threshold: float = 0.1,
        score: float = 2.0,
        num_threads: int = 1,
    ) -> None:
        self.model_dir = Path(model_dir)
        self._vocabulary = vocabulary
        self.threshold, self.score, self.num_threads = threshold, score, num_threads
        self._spotter = None
        self._keywords: KeywordList | None = None
        self._lock = threading.Lock()

    def availability(self) -> Availability:
        files, missing = find_model_files(self.model_dir)
        if missing:
            return Availability(False, "keyword-spotting model files missing: " + ", ".join(missing))
        try:
            import sherpa_onnx  # noqa: F401
        except ImportError:
            return Availability(False, "the sherpa-onnx package is not installed")
        keywords = self.keywords()
        return Availability(True, f"{len(keywords.lines)} keywords, model {self.model_dir.name}")

    def keywords(self) -> KeywordList:
        """The keyword lines given to the model (built once from the vocabulary)."""
        if self._keywords is None:
            files, missing = find_model_files(self.model_dir)
            if missing:
                raise EngineUnavailable("keyword-spotting model files missing: " + ", ".join(missing))
            tokens = {line.split()[0] for line in files["tokens"].read_text(encoding="utf-8").splitlines() if line}
            vocabulary = self._vocabulary
            words = read_userdict(vocabulary) if isinstance(vocabulary, Path) else list(vocabulary)
            self._keywords = build_keywords(words, tokens)
        return self._keywords

    def _load(self):
        with self._lock:
            if self._spotter is not None:
                return self._spotter
            import sherpa_onnx

            files, missing = find_model_files(self.model_dir)
            if missing:
                raise EngineUnavailable("keyword-spotting model files missing: " + ", ".join(missing))
            with tempfile.TemporaryDirectory() as tmp:  # sherpa-onnx reads the keywords from a file, once
                keywords_file = Path(tmp) / "keywords.txt"
                keywords_file.write_text("\n".join(self.keywords().lines) + "\n", encoding="utf-8")
                self._spotter = sherpa_onnx.KeywordSpotter(
                    tokens=str(files["tokens"]),
                    encoder=str(files["encoder"]),
                    decoder=str(files["decoder"]),
                    joiner=str(files["joiner"]),
                    keywords_file=str(keywords_file),
                    num_threads=self.num_threads,
                    keywords_score=self.score,
                    keywords_threshold=self.threshold,
                )
            return self._spotter

    def spot(self, audio: Audio) -> list[str]:
        """The keywords heard, in order (a keyword said twice is reported twice)."""
        spotter = self._load()
        samples = np.frombuffer(audio.resampled(SAMPLE_RATE).pcm, dtype="<i2").astype(np.float32) / 32768.0
        stream = spotter.create_stream()
        stream.accept_waveform(SAMPLE_RATE, np.zeros(int(LEAD_SECONDS * SAMPLE_RATE), dtype=np.float32))
        stream.accept_waveform(SAMPLE_RATE, samples)
        stream.accept_waveform(SAMPLE_RATE, np.zeros(int(TAIL_SECONDS * SAMPLE_RATE), dtype=np.float32))
        stream.input_finished()
        heard: list[str] = []
        while spotter.is_ready(stream):
            spotter.decode_stream(stream)
            keyword = spotter.get_result(stream)
            if keyword:
                heard.append(keyword)
                spotter.reset_stream(stream)
        return heard

    def transcribe(self, audio: Audio) -> Recognition:
        heard = self.spot(audio)
        return Recognition(utterance(heard), list(dict.fromkeys(heard)), self.name, full_transcript=False)
