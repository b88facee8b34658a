"""`make voice-check`: what speech engines are configured here, which model files are present (md5 where known),
and what works (each engine's availability with its reason, plus a short live test of the ones that work)."""

from __future__ import annotations

import time

from bot.core.config import get_settings
from voice.engines import make_engines
from voice.models import KWS_MD5, check_file, resolve
from voice.paddle_worker import models as paddle_models
from voice.stt.kws import find_model_files


def _files(settings) -> list[str]:
    lines = []
    kws_dir = resolve(settings.kws_model_dir)
    found, missing = find_model_files(kws_dir)
    lines += [check_file(p, KWS_MD5.get(p.name)).describe() for p in found.values()]
    lines += [f"missing  {m}" for m in missing]
    if settings.sherpa_asr_model_dir:
        directory = resolve(settings.sherpa_asr_model_dir)
        files = sorted(directory.glob("*.onnx")) + sorted(directory.glob("tokens.txt")) if directory.is_dir() else []
        lines += [check_file(p).describe() for p in files] or [f"missing  {directory}"]
    if "paddle" in (settings.tts_engine, settings.speech_input_engine):
        home = paddle_models.ppspeech_home()
        for ready in (paddle_models.check_tts(home), paddle_models.check_asr(home)):
            lines += [c.describe() for c in ready.files]
    return lines


def main() -> int:
    settings = get_settings()
    print(f"configured: TTS_ENGINE={settings.tts_engine} SPEECH_INPUT_ENGINE={settings.speech_input_engine}")
    print(f"            KWS_MODEL_DIR={resolve(settings.kws_model_dir)}")
    print(f"            SHERPA_ASR_MODEL_DIR={settings.sherpa_asr_model_dir}")
    print(f"            PADDLE_WORKER_URL={settings.paddle_worker_url}")
    print("files:")
    for line in _files(settings):
        print("  " + line)
    tts, stt = make_engines(settings)
    ok = True
    status = tts.availability()
    print(f"TTS {tts.name}: {'ok' if status.ok else 'unavailable'} — {status.reason}")
    if status.ok:
        started = time.perf_counter()
        audio = tts.synthesize("请拨打幺二三八五。")
        print(f"  test phrase: {audio.seconds:.2f} s of audio in {time.perf_counter() - started:.2f} s")
    ok &= status.ok
    if stt is None:
        print("speech input: switched off (SPEECH_INPUT_ENGINE=none); callers use text or the keypad")
        return 0 if ok else 1
    status = stt.availability()
    print(f"speech input {stt.name}: {'ok' if status.ok else 'unavailable'} — {status.reason}")
    if status.ok and tts.availability().ok:
        heard = stt.transcribe(tts.synthesize("法律援助"))
        print(f"  self-test on synthetic speech '法律援助': heard {heard.keywords or heard.text or 'nothing'}")
    if not status.ok:
        print("  without speech input, callers are offered text and the keypad (0 = person, * = repeat)")
    return 0 if ok and status.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
