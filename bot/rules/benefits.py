"""The benefits residents can apply for through AccessLine, and the application status lifecycle."""

from __future__ import annotations

BENEFITS: dict[str, str] = {
    "living_subsidy": "困难残疾人生活补贴",
    "care_subsidy": "重度残疾人护理补贴",
    "home_modification": "家庭无障碍改造",
    "assistive_devices": "辅助器具适配",
    "child_rehab": "残疾儿童康复救助",
}

HOUSEHOLD_STATUSES: tuple[str, ...] = ("低保", "低保边缘", "特困", "无")

STATUS_NAMES: dict[str, str] = {
    "submitted": "已提交，等待审核",
    "under_review": "正在审核",
    "approved": "审核通过",
    "rejected": "审核没有通过",
    "need_more_info": "需要补充材料",
}

# Which status may follow which (staff change them; residents only create "submitted").
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"under_review", "need_more_info", "rejected"}),
    "under_review": frozenset({"approved", "rejected", "need_more_info"}),
    "need_more_info": frozenset({"under_review", "rejected"}),
    "approved": frozenset(),
    "rejected": frozenset({"under_review"}),
}


def format_reference(reference: str) -> str:
    """Group a reference number for reading aloud: 38275190 → 3827 5190."""
    return f"{reference[:4]} {reference[4:]}" if len(reference) == 8 else reference


_BENEFIT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("child_rehab", ("康复救助", "儿童康复", "孩子康复", "孩子做康复", "康复训练")),
    ("care_subsidy", ("护理补贴", "户理补贴", "护里补贴", "护理费")),
    ("living_subsidy", ("生活补贴", "困难补贴", "生活费补贴")),
    ("home_modification", ("无障碍改造", "无障爱改造", "家庭改造", "扶手", "改造")),
    ("assistive_devices", ("辅助器具", "辅具", "轮椅", "伦椅", "助听器", "拐杖", "盲杖", "假肢", "助行器", "器具")),
)


def detect_benefit(text: str | None) -> str | None:
    """The benefit a request names (typed or as an ASR transcript gives it), or None."""
    if not text:
        return None
    for benefit, words in _BENEFIT_WORDS:
        if any(word in text for word in words):
            return benefit
    return None
