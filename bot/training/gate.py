"""The activation gate: a new model goes live only if no score drops by more than the margin."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.training.evaluation import METRICS


@dataclass
class GateDecision:
    passed: bool
    reasons: list[str] = field(default_factory=list)  # one line per metric
    failures: list[str] = field(default_factory=list)  # the lines that stop the model

    def as_dict(self) -> dict:
        return {"passed": self.passed, "reasons": self.reasons, "failures": self.failures}


def allowed_drop(margin: float, examples: int | None) -> float:
    """The margin in points — but never finer than one test example: on a small set (the 22 conversation examples
    weigh 4.5 points each) a margin of 1 point would otherwise refuse any model that differs on a single example."""
    one_example = 100.0 / examples if examples else 0.0
    return one_example + 0.05 if one_example > margin else margin  # + rounding of the two-decimal scores


def decide(candidate: dict, live: dict | None, margin: float) -> GateDecision:
    """Compare accuracies in points. Without live scores (first model) the candidate passes."""
    if not live:
        return GateDecision(True, ["没有可比较的在线模型，直接启用。"])
    reasons: list[str] = []
    failures: list[str] = []
    support = candidate.get("support") or {}
    for key, label in METRICS.items():
        if key not in live:
            continue
        new = candidate.get(key)
        allowed = allowed_drop(margin, support.get(key))
        if new is None:
            failures.append(f"{label}：新模型没有得分。")
            reasons.append(failures[-1])
        elif live[key] - new > allowed:
            failures.append(f"{label}从 {live[key]:.1f} 降到 {new:.1f}，下降超过 {allowed:.2g} 个百分点。")
            reasons.append(failures[-1])
        else:
            reasons.append(f"{label}：{live[key]:.1f} → {new:.1f}。")
    return GateDecision(not failures, reasons, failures)
