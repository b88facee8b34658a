"""`make voice-check`: what speech engines are configured here and whether they work."""

from __future__ import annotations

from voice.tts.espeak import EspeakEngine


def main() -> int:
    engine = EspeakEngine()
    status = engine.availability()
    print(f"TTS {engine.name}: {'ok' if status.ok else 'unavailable'} — {status.reason}")
    if status.ok:
        audio = engine.synthesize("请拨打幺二三八五。")
        print(f"  test phrase: {audio.seconds:.2f} s of audio at {audio.sample_rate} Hz")
    print("PaddleSpeech TTS/ASR and speech input: not implemented yet (issue 5).")
    return 0 if status.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
