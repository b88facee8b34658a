"""`python -m bot.launcher.rasa_main run ...` — Rasa's own command line, with `rasa_speedups` applied first.

Runs in `.venv-rasa`. Sanic forks its workers (SANIC_WORKERS > 1) from this process, so they inherit the patches."""

from __future__ import annotations

import sys

from bot.launcher.rasa_speedups import apply


def main() -> None:
    """Apply the speed-ups, then hand the command line to Rasa."""
    applied = apply()
    print(f">> Rasa speed-ups {'applied' if applied else 'not applied'}", file=sys.stderr, flush=True)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
