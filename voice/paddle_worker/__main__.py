"""`python -m voice.paddle_worker [--port 8091] [--vocoder hifigan_csmsc] [--tasks tts,asr]` in the PaddleSpeech
environment; `--check` only reports which model files are present (works without paddle)."""

from __future__ import annotations

import argparse
import logging

from voice.paddle_worker import models
from voice.paddle_worker.server import PaddleBackend, serve


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m voice.paddle_worker")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--vocoder", default="hifigan_csmsc", choices=sorted(models.VOCODERS))
    parser.add_argument("--tasks", default="tts,asr", help="comma-separated: tts, asr")
    parser.add_argument("--check", action="store_true", help="only check the model files and exit")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    home = models.ppspeech_home()
    if args.check:
        results = [models.check_tts(home, args.vocoder), models.check_asr(home)]
        for ready in results:
            print(("ok   " if ready.ok else "FAIL ") + ready.reason)
            for check in ready.files:
                print("     " + check.describe())
        return 0 if all(r.ok for r in results) else 1
    tasks = tuple(t.strip() for t in args.tasks.split(",") if t.strip())
    backend = PaddleBackend(home, args.vocoder, tasks)
    for task, state in backend.status().items():
        logging.info("%s: %s", task, state["reason"])
    server = serve(backend, args.host, args.port)
    logging.info("PaddleSpeech worker on http://%s:%d", args.host, args.port)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
