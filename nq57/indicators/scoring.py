"""Scorecard arithmetic: plain functions (the one home of the scoring and missing-value rules).

A criterion scores 0-100:
- ``threshold``: steps ``[[v1, s1], [v2, s2], ...]``: the score of the highest step the value reaches (value ≥ v
  when higher is better; value ≤ v when lower is better); 0 below every step;
- ``linear``: ``100 × (value − worst) / (best − worst)``, clipped to 0-100 (``worst``/``best`` may be in either
  order, so a lower-is-better criterion simply has ``best < worst``);
- ``assessor``: the score an assessor gave (0-100), with its evidence.
Total of a subject = ``Σ wᵢ·sᵢ / Σ wᵢ`` over the criteria WITH a score (missing criteria: their weight is
renormalised away and the subject is flagged "thiếu số liệu"). A subject whose scored weight is below
``MIN_COVERAGE`` of the framework's total weight gets no total and no rank. Ranks: by total, highest first; equal
totals share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

THRESHOLD, LINEAR, ASSESSOR = "threshold", "linear", "assessor"
MIN_COVERAGE = 0.5

RULE_TEXT = (
    "Mỗi tiêu chí được chấm 0–100 điểm: theo ngưỡng (điểm của bậc cao nhất mà giá trị đạt), theo chuẩn hóa tuyến "
    "tính 100 × (giá trị − mức kém nhất) / (mức tốt nhất − mức kém nhất) giới hạn trong 0–100, hoặc do người đánh "
    "giá chấm kèm minh chứng. Điểm tổng = Σ (trọng số × điểm) / Σ trọng số của các tiêu chí CÓ điểm: tiêu chí thiếu "
    "số liệu được loại và trọng số còn lại được chuẩn hóa lại, đối tượng được đánh dấu “thiếu số liệu”. Nếu tổng "
    "trọng số các tiêu chí có điểm dưới 50% thì không tính điểm tổng và không xếp hạng. Đồng điểm thì đồng hạng."
)


def threshold_score(value: float, steps: Sequence[Sequence[float]], *, lower_is_better: bool = False) -> float:
    best = 0.0
    for bound, score in steps:
        reached = value <= bound if lower_is_better else value >= bound
        if reached:
            best = max(best, float(score))
    return best


def linear_score(value: float, *, worst: float, best: float) -> float:
    if best == worst:
        return 100.0 if value == best else 0.0
    return max(0.0, min(100.0, 100.0 * (value - worst) / (best - worst)))


@dataclass
class SubjectResult:
    subject: object
    scores: dict = field(default_factory=dict)  # criterion key -> score or None
    total: float | None = None
    coverage: float = 0.0
    missing: list = field(default_factory=list)
    rank: int | None = None


def total_score(scores: Mapping[object, float | None], weights: Mapping[object, float]) -> tuple[float | None, float,
                                                                                                   list]:
    """(total, coverage, missing keys) by the rule above."""
    all_weight = sum(weights.values())
    scored = {k: s for k, s in scores.items() if s is not None and k in weights}
    missing = [k for k in weights if scores.get(k) is None]
    weight = sum(weights[k] for k in scored)
    coverage = weight / all_weight if all_weight else 0.0
    if not weight or coverage < MIN_COVERAGE - 1e-9:
        return None, coverage, missing
    return sum(weights[k] * s for k, s in scored.items()) / weight, coverage, missing


def rank(results: list[SubjectResult]) -> list[SubjectResult]:
    """Ranked in place (competition ranking), unranked subjects last; returns the sorted list."""
    results.sort(key=lambda r: (r.total is None, -(r.total or 0), str(r.subject)))
    previous, position = None, 0
    for index, result in enumerate(results, 1):
        if result.total is None:
            result.rank = None
            continue
        if previous is None or round(result.total, 6) != round(previous, 6):
            position = index
        result.rank, previous = position, result.total
    return results
