"""Status and projection of an indicator: plain functions on plain numbers, no database (the one home of the rule).

Time axis: a value for a period is placed at the END of its period, in years: a yearly value of year ``Y`` at
``t = Y``; a quarterly value of quarter ``q`` of year ``Y`` at ``t = Y - 1 + q/4`` (Q4 of 2025 is ``2025.0``, Q1 of
2026 is ``2025.25``). A target "by year ``Y``" is read at ``t = Y`` (the end of that year).

Projection (``project``):
1. *Linear trend*: the least-squares line through ALL values, evaluated at the target's ``t``.
2. *Recent trend*: the least-squares line through the LAST THREE values (two when only two exist), at the same ``t``.
3. *Central projection*: the mean of the two. *Band*: from the lower to the higher of the two projections, widened
   on both sides by the standard deviation of the residuals of the full linear fit (``sqrt(Σr² / (n - 2))``; 0 when
   ``n ≤ 2``).
   With fewer than two values there is no projection.

Status (``status_for``), against the NEXT target (the first whose year is not before the latest value's period;
after the last target year, the last target):
- ``achieved`` (Đã đạt): the latest value already meets that target;
- ``on_track`` (Đúng hướng): BOTH trends (the less favourable of the two projections) meet the target;
- ``at_risk`` (Có nguy cơ): only the favourable edge of the band meets it;
- ``off_track`` (Chệch hướng): even the favourable edge of the band misses it, or the target year has passed
  without the target being met;
- ``no_data`` (Chưa đủ số liệu): no target, or fewer than two values (a yes/no milestone needs one value).
"Meets" means ``value ≥ target`` when higher is better, ``value ≤ target`` when lower is better (ranks: lower is
better). A yes/no milestone (value 1 = done, 0 = not yet) is ``achieved`` once done, ``off_track`` when its year has
passed without it, ``at_risk`` in its final year, ``on_track`` before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

HIGHER, LOWER = "higher", "lower"
ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "achieved", "on_track", "at_risk", "off_track", "no_data"
RECENT_POINTS = 3

RULE_TEXT = (
    "Dự báo: đường xu hướng tuyến tính (bình phương tối thiểu) qua tất cả các giá trị và đường xu hướng của ba kỳ "
    "gần nhất, đọc tại cuối năm mục tiêu; dự báo trung tâm là trung bình của hai đường, khoảng dự báo từ giá trị "
    "thấp đến giá trị cao của hai đường, nới rộng hai phía bằng độ lệch chuẩn phần dư của đường tuyến tính. "
    "Tình trạng so với mục tiêu kế tiếp: Đã đạt — giá trị mới nhất đã đạt mục tiêu; Đúng hướng — cả hai đường xu "
    "hướng đều đạt mục tiêu; Có nguy cơ — chỉ cận thuận lợi của khoảng dự báo đạt mục tiêu; Chệch hướng — cả cận "
    "thuận lợi cũng không đạt, hoặc đã quá năm mục tiêu mà chưa đạt; Chưa đủ số liệu — chưa có mục tiêu hoặc có "
    "dưới hai giá trị. Chỉ tiêu dạng có/không: Đã đạt khi đã hoàn thành, Có nguy cơ trong năm mục tiêu, Chệch hướng "
    "khi đã quá năm mục tiêu."
)


def period_t(year: int, quarter: int = 0) -> float:
    """The time of a period's end, in years (see the module docstring)."""
    return float(year) if not quarter else year - 1 + quarter / 4


@dataclass(frozen=True)
class Line:
    slope: float
    intercept: float
    residual_std: float
    n: int

    def at(self, t: float) -> float:
        return self.intercept + self.slope * t


def fit(points: Sequence[tuple[float, float]]) -> Line | None:
    """Least-squares line through ``(t, value)`` points; ``None`` with fewer than two points or one ``t`` only."""
    n = len(points)
    if n < 2:
        return None
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    stt = sum((t - mean_t) ** 2 for t, _ in points)
    if stt == 0:
        return None
    slope = sum((t - mean_t) * (v - mean_v) for t, v in points) / stt
    intercept = mean_v - slope * mean_t
    residuals = [v - (intercept + slope * t) for t, v in points]
    std = math.sqrt(sum(r * r for r in residuals) / (n - 2)) if n > 2 else 0.0
    return Line(slope=slope, intercept=intercept, residual_std=std, n=n)


@dataclass(frozen=True)
class Projection:
    t: float
    linear: float  # the trend of all values at t
    recent: float  # the trend of the last three values at t
    central: float
    low: float
    high: float
    linear_line: Line
    recent_line: Line


def project(points: Sequence[tuple[float, float]], t: float) -> Projection | None:
    points = sorted(points)
    whole = fit(points)
    recent = fit(points[-RECENT_POINTS:])
    if whole is None or recent is None:
        return None
    a, b = whole.at(t), recent.at(t)
    return Projection(t=t, linear=a, recent=b, central=(a + b) / 2, low=min(a, b) - whole.residual_std,
                      high=max(a, b) + whole.residual_std, linear_line=whole, recent_line=recent)


def meets(value: float, target: float, direction: str) -> bool:
    return value <= target if direction == LOWER else value >= target


def next_target(targets: Sequence[tuple[int, float]], latest_t: float | None) -> tuple[int, float] | None:
    """The first target whose year is not before the latest value's period; after them all, the last one."""
    ordered = sorted(targets)
    if not ordered:
        return None
    if latest_t is None:
        return ordered[0]
    for year, value in ordered:
        if year >= latest_t - 1e-9:
            return year, value
    return ordered[-1]


@dataclass(frozen=True)
class Status:
    code: str
    target: tuple[int, float] | None
    projection: Projection | None


def status_for(points: Sequence[tuple[float, float]], targets: Sequence[tuple[int, float]], *, direction: str,
               milestone: bool = False, today_t: float | None = None) -> Status:
    """The status of a series against its next target (rule in the module docstring). ``today_t``: the current
    time in years (decides whether a target year has passed); by default the latest value's period."""
    points = sorted(points)
    latest = points[-1] if points else None
    target = next_target(targets, latest[0] if latest else None)
    if target is None:
        return Status(NO_DATA, None, None)
    year, goal = target
    now = today_t if today_t is not None else (latest[0] if latest else None)
    if milestone:
        if latest and latest[1] >= 1:
            return Status(ACHIEVED, target, None)
        if now is None:
            return Status(NO_DATA, target, None)
        if now > year:
            return Status(OFF_TRACK, target, None)
        return Status(AT_RISK if now > year - 1 else ON_TRACK, target, None)
    if latest is None:
        return Status(NO_DATA, target, None)
    if meets(latest[1], goal, direction):
        return Status(ACHIEVED, target, project(points, float(year)))
    if now is not None and now > year + 1e-9:
        return Status(OFF_TRACK, target, project(points, float(year)))
    projection = project(points, float(year))
    if projection is None:
        return Status(NO_DATA, target, None)
    worse = max(projection.linear, projection.recent) if direction == LOWER else \
        min(projection.linear, projection.recent)
    best_edge = projection.low if direction == LOWER else projection.high
    if meets(worse, goal, direction):
        return Status(ON_TRACK, target, projection)
    if meets(best_edge, goal, direction):
        return Status(AT_RISK, target, projection)
    return Status(OFF_TRACK, target, projection)
