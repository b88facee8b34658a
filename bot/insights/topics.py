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
        self._loaded = False

    def _load(self) -> None:
        topics: dict[str, str] = {}
        for path in sorted(self._faq_dir.glob("*.yml")):
            text = path.read_text(encoding="utf-8")
            match = _HEADER.match(text.splitlines()[0] if text else "")
            label = (match.group(1).strip() if match else path.stem)[:32]
            for block in (yaml.safe_load(text) or {}).get("nlu") or []:
                if isinstance(block, dict) and str(block.get("intent", "")).startswith("faq/"):
                    topics[block["intent"]] = label
        self._topics = topics
        self._loaded = True

    def topic(self, intent: str, answer_key: str | None) -> str:
        """The topic label for a turn (FAQ keys unknown after an edit trigger one reload)."""
        if intent == "faq" and answer_key:
            if not self._loaded or answer_key not in self._topics:
                try:
                    self._load()
                except (OSError, yaml.YAMLError):
                    pass
            return self._topics.get(answer_key, "其他政策问题")
        if intent == "inform":
            return UNANSWERED  # outside a form (inside one the recorder names the topic 申请办理)
        return INTENT_TOPICS.get(intent, "问候和其他")
