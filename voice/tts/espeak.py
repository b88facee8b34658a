"""espeak-ng, the offline default: Mandarin only works as numbered pinyin with voice `cmn-latn-pinyin`
(plain `-v cmn` reads Chinese characters as English letters), so text goes through pypinyin first.

The text is always given on standard input (`--stdin`), never on the command line: a text such as `-f/etc/passwd`
or `--phonout=PATH` would otherwise be read by espeak-ng as an option (issue 11, item 1)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from voice.audio import Audio, read_wav
from voice.tts import Availability

VOICE = "cmn-latn-pinyin"
_PAUSE = re.compile(r"[，、；：,;:]")
_STOP = re.compile(r"[。！？!?\n]")


def to_numbered_pinyin(text: str) -> str:
    """护理补贴，请拨打 → hu4 li3 bu3 tie1 , qing3 bo1 da3 (punctuation kept as pauses)."""
    text = _STOP.sub(" . ", _PAUSE.sub(" , ", text))
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="default")
    return re.sub(r"\s+", " ", " ".join(syllables)).strip()


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self, executable: str = "espeak-ng") -> None:
        self._executable = executable

    def availability(self) -> Availability:
        path = shutil.which(self._executable)
        if not path:
            return Availability(False, "espeak-ng is not installed (Debian package espeak-ng)")
        voices = subprocess.run([path, "--voices=cmn"], capture_output=True, text=True, timeout=10).stdout
        if VOICE not in voices:
            return Availability(False, f"espeak-ng has no {VOICE} voice")
        return Availability(True, f"{path} with voice {VOICE}")

    def _run(self, options: list[str], text: str, timeout: float) -> subprocess.CompletedProcess[bytes]:
        """espeak-ng with fixed options; the text goes to standard input only."""
        command = [self._executable, *options, "--stdin"]
        return subprocess.run(command, input=text.encode(), capture_output=True, timeout=timeout, check=True)

    def phonemes(self, text: str) -> str:
        """What espeak-ng will say, as phoneme mnemonics (`espeak-ng -x`), for checks."""
        return self._run(["-v", VOICE, "-q", "-x"], to_numbered_pinyin(text), 30).stdout.decode()

    def synthesize(self, text: str, rate_wpm: int = 175) -> Audio:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "speech.wav"
            self._run(["-v", VOICE, "-s", str(int(rate_wpm)), "-w", str(out)], to_numbered_pinyin(text), 60)
            return read_wav(out.read_bytes())
