"""Name the topic of a turn in plain Chinese: FAQ answers by their topic file, other intents by what they do."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

UNANSWERED = "没能回答"
INTENT_TOPICS = {
    "apply": "申请办理",
    "cancel_application": "申请办理",
    "check_status": "申请办理",
    "submit_application": "申请办理",
    "request_human": "转人工和投诉",
    "complaint": "转人工和投诉",
    "danger": "紧急求助",
    "greet": "问候和其他",
    "goodbye": "问候和其他",
    "thanks": "问候和其他",
    "affirm": "问候和其他",
    "deny": "问候和其他",
    "inform_region": "问候和其他",
    "nlu_fallback": UNANSWERED,
    "out_of_scope": UNANSWERED,
}
_HEADER = re.compile(r"^#\s*([^：:]+)[：:]")


class TopicIndex:
    """faq/<name> → the topic named in the first comment line of its file in nlu_data/faq."""

    def __init__(self, faq_dir: Path) -> None:
        self._faq_dir = faq_dir
        self._topics: dict[str, str] = {}
        self._signature: tuple[tuple[str, int], ...] | None = None

    def _files_signature(self) -> tuple[tuple[str, int], ...]:
        """The FAQ files and their modification times: a key stays unknown until one of them changes."""
        return tuple((path.name, path.stat().st_mtime_ns) for path in sorted(self._faq_dir.glob("*.yml")))

    def _load(self) -> None:
        signature = self._files_signature()
        if signature == self._signature:
            return  # nothing edited since the last read: an unknown key stays unknown
        topics: dict[str, str] = {}
        for path in sorted(self._faq_dir.glob("*.yml")):
            text = path.read_text(encoding="utf-8")
            match = _HEADER.match(text.splitlines()[0] if text else "")
            label = (match.group(1).strip() if match else path.stem)[:32]
            for block in (yaml.safe_load(text) or {}).get("nlu") or []:
                if isinstance(block, dict) and str(block.get("intent", "")).startswith("faq/"):
                    topics[block["intent"]] = label
        self._topics = topics
        self._signature = signature

    def topic(self, intent: str, answer_key: str | None) -> str:
        """The topic label for a turn (an unknown FAQ key rereads the files only when one has changed)."""
        if intent == "faq" and answer_key:
            if answer_key not in self._topics:
                try:
                    self._load()
                except (OSError, yaml.YAMLError):
                    pass
            return self._topics.get(answer_key, "其他政策问题")
        if intent == "inform":
            return UNANSWERED  # outside a form (inside one the recorder names the topic 申请办理)
        return INTENT_TOPICS.get(intent, "问候和其他")
