"""`python -m bot.launcher.rasa_main run ...` — Rasa's own command line, with `rasa_speedups` applied first.

Runs in `.venv-rasa`. Sanic forks its workers (SANIC_WORKERS > 1) from this process, so they inherit the patches.

Rasa 3.6 takes its HTTP API token only as `--auth-token` (no environment variable, and the endpoints file has no
place for it), which `ps` shows to every user of the machine. So the launcher writes the token to a file only its
user can read (0600) and names the file in ACCESSLINE_RASA_TOKEN_FILE; here it is read, the file removed, and the
option added to Rasa's in-process argument list (`sys.argv`), which `ps` never shows."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.core.redaction import install_record_redaction
from bot.launcher.model_watch import start_from_environment
from bot.launcher.rasa_speedups import apply

TOKEN_FILE_VARIABLE = "ACCESSLINE_RASA_TOKEN_FILE"


def take_token() -> str | None:
    """The token from the launcher's file (deleted once read), or None when no file was named."""
    path = os.environ.pop(TOKEN_FILE_VARIABLE, None)
    if not path:
        return None
    token_file = Path(path)
    token = token_file.read_text().strip()
    token_file.unlink(missing_ok=True)
    if not token:
        raise SystemExit(f"{path} holds no token")
    return token


def main() -> None:
    """Read the token, apply the speed-ups, then hand the command line to Rasa."""
    token = take_token()
    install_record_redaction([token])
    if token:
        sys.argv.append(f"--auth-token={token}")  # one argument: a token may start with "-"
    applied = apply()
    print(f">> Rasa speed-ups {'applied' if applied else 'not applied'}", file=sys.stderr, flush=True)
    if start_from_environment(sys.argv, token):  # follow the registry's live model (announced on Redis)
        print(">> following the live model announced on Redis", file=sys.stderr, flush=True)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
