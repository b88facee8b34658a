"""`python -m bot.launcher` — start the stack from the registry's live model (trained only if none is live),
stop it on Ctrl-C (used by `make run`)."""

from __future__ import annotations

import signal
import sys
import threading

from bot.core.config import get_settings
from bot.launcher.registry import startup_model
from bot.launcher.stack import Stack, StackConfig


def main() -> int:
    settings = get_settings()
    model = startup_model(settings.effective_database_url)  # the registry's live model, or a trained one
    redis = settings.redis_url or "REDIS_URL not set, conversations kept in memory by Rasa"
    database = settings.database_url or f"DATABASE_URL not set, SQLite at {settings.effective_database_url}"
    print(f">> redis: {redis}\n>> database: {database}", flush=True)
    stack = Stack(
        StackConfig(
            model=model,
            port=settings.port,
            redis_url=settings.redis_url,
            database_url=settings.database_url,
            tracker_expiry_seconds=settings.tracker_expiry_seconds,
            redis_key_prefix=settings.redis_key_prefix,
        )
    )
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        print(">> starting action server, Rasa server and gateway ...", flush=True)
        stack.start()
        print(f"\n>> AccessLine is ready: {stack.url}  (API: {stack.url}/docs). Ctrl-C stops it.\n", flush=True)
        while not stopping.wait(1.0):
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    print(f">> {name} stopped unexpectedly (exit {process.returncode})", file=sys.stderr)
                    return 1
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as exc:
        print(f">> could not start: {exc}", file=sys.stderr)
        return 1
    finally:
        print(">> stopping ...", flush=True)
        stack.stop()
        print(">> stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
