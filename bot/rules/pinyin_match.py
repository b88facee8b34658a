"""Messages written only in Latin letters: pinyin without tones ("hulibutie zenme shenqing") is matched to the training
examples written in Chinese characters by their sound (pypinyin), and a few English words name a topic
("wheelchair", "hotline"). The result is a label of the training data (faq/<key>, request_human, greet …) or None;
the action decides what to say. Nothing here guesses when the match is weak: None means "ask in Chinese"."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

NLU_DIR = Path(__file__).resolve().parents[2] / "nlu_data"
LABELS = ("danger", "request_human", "greet", "goodbye", "thanks")  # besides faq/*: what pinyin may also be …
OOS_LABELS = ("oos_government", "oos_medical", "out_of_scope")  # … or a question outside the bot's remit
MIN_SCORE = 0.38  # cosine of letter-trigram weights: at or above this the nearest example is taken …
MIN_LEAD = 0.05  # … when no other label's nearest example is this close
MAX_LETTERS = 200

_NOT_LETTER = re.compile(r"[^a-z]")
_WORD = re.compile(r"[a-z0-9]+")
_REGION_SOUNDS = {"suifenhe": "绥芬河市", "suifen": "绥芬河市", "lucheng": "潞城区"}

# English words that name one topic unambiguously (lower case; a word or a phrase).
ENGLISH_TOPICS: dict[str, str] = {
    "care subsidy": "faq/severe_care_subsidy",
    "nursing subsidy": "faq/severe_care_subsidy",
    "living allowance": "faq/living_subsidy",
    "living subsidy": "faq/living_subsidy",
    "disability allowance": "faq/living_subsidy",
    "wheelchair": "faq/assistive_devices",
    "renovat": "faq/home_accessibility_modification",
    "home modification": "faq/home_accessibility_modification",
    "home accessib": "faq/home_accessibility_modification",
    "accessible home": "faq/home_accessibility_modification",
    "ramp": "faq/home_accessibility_modification",
    "grab bar": "faq/home_accessibility_modification",
    "guide dog": "faq/public_transport",
    "bus fare": "faq/public_transport",
    "bus pass": "faq/public_transport",
    "free bus": "faq/public_transport",
    "hearing aid": "faq/assistive_devices",
    "crutch": "faq/assistive_devices",
    "assistive": "faq/assistive_devices",
    "hotline": "faq/hotlines",
    "phone number": "faq/hotlines",
    "rehabilitation": "faq/child_rehabilitation",
    "autistic": "faq/child_rehabilitation",
    "autism": "faq/child_rehabilitation",
    "day care": "faq/care_services",
    "respite": "faq/respite_care",
    "take over": "faq/respite_care",
    "a break": "faq/respite_care",
    "fuel": "faq/fuel_subsidy",
    "dibao": "faq/minimum_living_allowance",
    "minimum living": "faq/minimum_living_allowance",
    "disability certificate": "faq/disability_certificate",
    "disability card": "faq/disability_certificate",
    "legal aid": "faq/legal_aid",
    "lawyer": "faq/legal_aid",
    "sign language": "faq/sign_language",
    "subtitles": "faq/sign_language",
    "braille": "faq/culture_sports",
    "massage": "faq/blind_massage",
    "job training": "faq/vocational_training",
    "find a job": "faq/employment_services",
    "human": "request_human",
    "real person": "request_human",
    "operator": "request_human",
    "hello": "greet",
    "how are you": "greet",  # small talk with the assistant: the greeting says what it is and what it does
    "your name": "greet",
    "who are you": "greet",
    "thank": "thanks",
    "weather": "out_of_scope",
    "rain": "out_of_scope",
    "lottery": "out_of_scope",
}
# English words of a life in danger: taken before any topic word ("my brother in a wheelchair fell and is not moving").
_DANGER = re.compile(
    r"\b(fell|fallen|falls down|not moving|unconscious|not breathing|can'?t breathe|bleeding|fire|smoke|"
    r"gas leak|smell gas|seizure|overdose|poison\w*|suicid\w*|kill|die|dying|end my life|hurt (myself|me|him|her)|"
    r"beat(en|ing)?|attack\w*|knife|trapped)\b|help\s*!"
)
_CHILD = re.compile(r"\b(child|children|kid|kids|son|daughter|boy|girl|baby|\d+\s*(year|yr)s?\s*old)\b")
_AUTISM = re.compile(r"\bautis")
# Dibao as what the household receives ("I'm on dibao", "we get dibao"), describing who asks about another benefit.
_ON_DIBAO = re.compile(
    r"\b(?:on|receive|receiving|get|getting|have|having)\s+dibao\b|\bdibao\s+(?:household|family|recipient)"
)
_TAPER = re.compile(r"\b(lose|stop|keep)\b.*\bdibao\b|\bdibao\b.*\b(job|work|salary|income)\b")


def _sound(text: str) -> str:
    """Toneless pinyin letters of a text (Chinese characters to pinyin; other letters kept), no spaces."""
    return _NOT_LETTER.sub("", "".join(lazy_pinyin(text.lower())).replace("ü", "v"))


def _trigrams(letters: str, n: int = 3) -> Counter[str]:
    """Letter n-grams (trigrams by default) of the padded letters."""
    padded = f"^{letters}$"
    return Counter(padded[i : i + n] for i in range(len(padded) - n + 1))


@dataclass(frozen=True)
class _Index:
    examples: list[tuple[str, Counter[str]]]  # (label, trigram counts)
    idf: dict[str, float]


def _examples(path: Path, wanted: tuple[str, ...] | None) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for block in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
        label = str(block.get("intent") or "")
        if not label or (wanted is not None and label not in wanted):
            continue
        for line in str(block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((label, text))
    return pairs


@lru_cache(maxsize=4)
def _index(nlu_dir: Path = NLU_DIR, n: int = 3) -> _Index:
    pairs: list[tuple[str, str]] = []
    for path in sorted((nlu_dir / "faq").glob("*.yml")):
        pairs += [(label, text) for label, text in _examples(path, None) if label.startswith("faq/")]
    pairs += _examples(nlu_dir / "nlu" / "conversation.yml", LABELS)
    pairs += _examples(nlu_dir / "nlu" / "out_of_scope.yml", OOS_LABELS)
    examples = [(label, _trigrams(_sound(text), n)) for label, text in pairs]
    document_frequency: Counter[str] = Counter()
    for _label, grams in examples:
        document_frequency.update(set(grams))
    total = len(examples)
    idf = {gram: math.log((1 + total) / (1 + count)) + 1.0 for gram, count in document_frequency.items()}
    return _Index(examples, idf)


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    dot = sum(min(a[g], b[g]) * idf.get(g, 1.0) ** 2 for g in a.keys() & b.keys())
    norm_a = math.sqrt(sum((c * idf.get(g, 1.0)) ** 2 for g, c in a.items()))
    norm_b = math.sqrt(sum((c * idf.get(g, 1.0)) ** 2 for g, c in b.items()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def _strip_regions(letters: str) -> str:
    for sound in sorted(_REGION_SOUNDS, key=len, reverse=True):
        letters = letters.replace(sound + "qu", "").replace(sound + "shi", "").replace(sound, "")
    return letters


# Sounds of the bot's own domain (残疾, 残联, 补贴, 轮椅, 康复, 护理, 托养, 盲人, 聋): with any of them a pinyin
# message is not taken for a question outside the remit ("can ji ren zheng diu le" is the disability card, not an ID
# card), as bot/rules/out_of_scope.py keeps Chinese text with a domain word in scope.
_DOMAIN_SOUNDS = re.compile(r"canji|canlian|butie|buzhu|lunyi|kangfu|huli|tuoyang|mangren|longren|wuzhangai|dibao")
GRAM_SIZES = (3, 4)  # trigrams and 4-grams each vote; a clear match at one size counts unless the other disagrees


def pinyin_label(text: str) -> str | None:
    """The training label whose example sounds most like a pinyin message, when the match is clear: letter trigrams
    and 4-grams each name a label or none; one named, or both the same, is taken; two different ones are not."""
    letters = _strip_regions(_sound(text[:MAX_LETTERS]))
    if len(letters) < 4:
        return None
    named = {label for n in GRAM_SIZES if (label := _nearest_label(letters, n))}
    return named.pop() if len(named) == 1 else None


def _nearest_label(letters: str, n: int) -> str | None:
    index = _index(NLU_DIR, n)
    query = _trigrams(letters, n)
    in_domain = bool(_DOMAIN_SOUNDS.search(letters))
    best: dict[str, float] = {}
    for label, grams in index.examples:
        if in_domain and label in OOS_LABELS:
            continue
        score = _cosine(query, grams, index.idf)
        if score > best.get(label, 0.0):
            best[label] = score
    ranked = sorted(best.items(), key=lambda pair: pair[1], reverse=True)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MIN_LEAD:
        return None
    return ranked[0][0]


def english_label(text: str) -> str | None:
    """The topic a few English words name unambiguously ("wheelchair", "care subsidy"), "danger" for words of a life
    in danger (before any topic), else None."""
    if _DANGER.search(text[:MAX_LETTERS].lower()):
        return "danger"
    lowered = " ".join(_WORD.findall(text[:MAX_LETTERS].lower()))
    if _TAPER.search(lowered):
        return "faq/dibao_taper_period"  # "if I find a job, do I lose dibao"
    found = {label for words, label in ENGLISH_TOPICS.items() if re.search(rf"\b{words}", lowered)}
    if found == {"faq/child_rehabilitation"}:  # rehabilitation: a child's, or an adult's
        child = _AUTISM.search(lowered) or _CHILD.search(lowered)
        return "faq/child_rehabilitation" if child else "faq/rehabilitation_family_doctor"
    topics = {label for label in found if label.startswith("faq/")}
    if len(topics) > 1 and _ON_DIBAO.search(lowered):  # "the living allowance … I'm on dibao": the allowance
        topics.discard("faq/minimum_living_allowance")
    if "faq/home_accessibility_modification" in topics:  # "a ramp for a wheelchair user on dibao": the home
        topics -= {"faq/assistive_devices", "faq/minimum_living_allowance"}  # the device and household describe them
    if len(topics) == 1:
        return topics.pop()
    if not topics and len(found) == 1:
        return found.pop()
    return None


def latin_region(text: str) -> str | None:
    """A region named in pinyin or English (suifenhe, Lucheng)."""
    letters = _sound(text[:MAX_LETTERS])
    return next((region for sound, region in _REGION_SOUNDS.items() if sound in letters), None)


def has_pinyin_words(text: str) -> bool:
    """True for a message in characters with a run of pinyin in it ("hulibutie 多少钱")."""
    runs = re.findall(r"[A-Za-z]{5,}", text[:MAX_LETTERS])
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and any(_is_pinyin(run.lower()) for run in runs)


def looks_like_pinyin(text: str) -> bool:
    """True when most words are pinyin syllables run together (nihao, hulibutie), not English words."""
    words = _WORD.findall(text.lower())
    if not words:
        return False
    return sum(1 for word in words if _is_pinyin(word)) >= max(1, math.ceil(0.7 * len(words)))


_INITIALS = "zh|ch|sh|b|p|m|f|d|t|n|l|g|k|h|j|q|x|r|z|c|s|y|w"
_FINALS = (
    "iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn|ia|ie|iu|ua|uo|ui|ue|ve|"
    "a|o|e|i|u|v"
)
_SYLLABLES = re.compile(rf"(?:(?:{_INITIALS})?(?:{_FINALS})(?:r)?)+")


def _is_pinyin(word: str) -> bool:
    return bool(_SYLLABLES.fullmatch(word))
