"""Reads of the indicators app shared by pages, exports and the API: filtered lists, the dashboard's grouped counts,
an indicator's chart, scorecard results and the series of the growth-accounting page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from nq57.core import access
from nq57.indicators import projection, scoring
from nq57.indicators.models import (
    AssessorScore,
    CriterionRule,
    Indicator,
    IndicatorStatus,
    IndicatorValue,
    ValueState,
)
from nq57.text.vietnamese import fold

STATUS_ORDER = [IndicatorStatus.ACHIEVED, IndicatorStatus.ON_TRACK, IndicatorStatus.AT_RISK,
                IndicatorStatus.OFF_TRACK, IndicatorStatus.NO_DATA]
STATUS_COLOURS = {IndicatorStatus.ACHIEVED: "#2e7d32", IndicatorStatus.ON_TRACK: "#1565c0",
                  IndicatorStatus.AT_RISK: "#ef6c00", IndicatorStatus.OFF_TRACK: "#c62828",
                  IndicatorStatus.NO_DATA: "#9e9e9e"}
FILTERS = ("q", "status", "agency", "theme", "year", "technology", "pending")


def list_url(**params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("indicators:indicator_list") + (f"?{urlencode(clean)}" if clean else "")


def filtered(user, params) -> object:
    """The indicators ``user`` may see, filtered by the list's parameters (``FILTERS``)."""
    rows = access.indicators_visible_to(user).select_related("agency", "theme")
    q = (params.get("q") or "").strip()
    if q:
        for word in fold(q).split():
            rows = rows.filter(search_key__contains=word)
    if params.get("status") in IndicatorStatus.values:
        rows = rows.filter(status=params["status"])
    for name, column in (("agency", "agency_id"), ("theme", "theme_id"), ("technology", "technology_id")):
        value = params.get(name)
        if value == "none":
            rows = rows.filter(**{f"{column}__isnull": True})
        elif value and str(value).isdigit():
            rows = rows.filter(**{column: int(value)})
    if params.get("pending"):
        rows = rows.filter(pk__in=IndicatorValue.objects.filter(state=ValueState.SUBMITTED).values("indicator_id"))
    year = params.get("year")
    if year and str(year).isdigit():
        rows = rows.filter(next_target_year=int(year))
    elif year == "none":
        rows = rows.filter(next_target_year__isnull=True)
    return rows.order_by("name", "id")


@dataclass
class Group:
    key: object
    label: str
    counts: dict = field(default_factory=dict)
    total: int = 0
    param: str = ""

    def url(self, status: str | None = None) -> str:
        return list_url(**{self.param: self.key if self.key is not None else "none", "status": status})

    @property
    def cells(self) -> list[tuple[str, int, str]]:
        return [(s, self.counts.get(s, 0), self.url(s)) for s in STATUS_ORDER]


def _groups(user, column: str, label_column: str | None, param: str, label_of=None) -> list[Group]:
    """One grouped query: count of indicators per (group, status)."""
    values = [column, "status"] + ([label_column] if label_column else [])
    rows = access.indicators_visible_to(user).values(*values).annotate(n=Count("id")).order_by()
    groups: dict = {}
    for row in rows:
        key = row[column]
        label = (row[label_column] if label_column else label_of(key)) if key is not None else "Chưa xác định"
        group = groups.setdefault(key, Group(key=key, label=str(label), param=param))
        group.counts[row["status"]] = group.counts.get(row["status"], 0) + row["n"]
        group.total += row["n"]
    return sorted(groups.values(), key=lambda g: (g.key is None, g.label))


def dashboard(user) -> dict:
    totals = dict(access.indicators_visible_to(user).values_list("status").annotate(n=Count("id")).order_by())
    by_theme = _groups(user, "theme_id", "theme__name", "theme")
    by_agency = _groups(user, "agency_id", "agency__name", "agency")
    by_year = _groups(user, "next_target_year", None, "year", label_of=lambda y: f"Mục tiêu năm {y}")
    overall = [(s, IndicatorStatus(s).label, totals.get(s, 0), list_url(status=s)) for s in STATUS_ORDER]
    return {"overall": overall, "total": sum(totals.values()), "by_theme": by_theme, "by_agency": by_agency,
            "by_year": by_year, "statuses": [(s, IndicatorStatus(s).label) for s in STATUS_ORDER],
            "figures": [_stacked(by_theme, "theme", "Theo chủ đề"), _stacked(by_year, "year", "Theo năm mục tiêu")]}


def _stacked(groups: list[Group], key: str, title: str) -> dict:
    labels = [g.label[:40] for g in groups]
    data = [{"type": "bar", "orientation": "h", "name": IndicatorStatus(s).label, "y": labels,
             "x": [g.counts.get(s, 0) for g in groups], "marker": {"color": STATUS_COLOURS[s]},
             "customdata": [g.url(s) for g in groups], "hovertemplate": "%{y}: %{x}<extra>%{fullData.name}</extra>"}
            for s in STATUS_ORDER]
    return {"id": f"ind-{key}", "json_id": f"figure-ind-{key}", "title": title,
            "figure": {"data": data, "layout": {"barmode": "stack", "height": max(300, 140 + 28 * len(groups)),
                                                "margin": {"l": 190, "r": 20, "t": 10, "b": 40},
                                                "legend": {"orientation": "h", "y": -0.15, "traceorder": "normal"},
                                                "yaxis": {"autorange": "reversed", "automargin": True}}}}


def values_of(indicator: Indicator):
    return indicator.values.select_related("entered_by", "validated_by").order_by("year", "quarter")


def chart(indicator: Indicator, *, values=None, today: dt.date | None = None) -> dict:
    """The plotly figure of one indicator: actual values (validated solid, waiting hollow), the target line,
    the projection to the next target and its band."""
    from nq57.indicators.services import indicator_status

    today = today or timezone.localdate()
    values = list(values if values is not None else values_of(indicator))
    kept = [v for v in values if v.state != ValueState.REJECTED]
    points = sorted((projection.period_t(v.year, v.quarter), float(v.value)) for v in kept)
    targets = [(t.year, float(t.value)) for t in indicator.targets.all()]
    status = indicator_status(indicator, today=today, points=points, targets=targets)
    data = [{"type": "scatter", "mode": "lines+markers", "name": "Giá trị thực tế",
             "x": [round(t, 2) for t, _ in points], "y": [v for _, v in points],
             "text": [v.period_label for v in sorted(kept, key=lambda v: (v.year, v.quarter or 5))],
             "marker": {"size": 9, "color": "#1565c0",
                        "symbol": ["circle" if v.state == ValueState.VALIDATED else "circle-open"
                                   for v in sorted(kept, key=lambda v: (v.year, v.quarter or 5))]},
             "hovertemplate": "%{text}: %{y}<extra></extra>"}]
    if targets:
        data.append({"type": "scatter", "mode": "markers+lines", "name": "Mục tiêu", "x": [y for y, _ in targets],
                     "y": [v for _, v in targets], "line": {"dash": "dot", "color": "#c62828"},
                     "marker": {"symbol": "star", "size": 12, "color": "#c62828"}})
    proj = status.projection
    if proj is not None and points:
        last_t = points[-1][0]
        xs = [last_t, proj.t]
        data.append({"type": "scatter", "mode": "lines", "name": "Xu hướng tuyến tính",
                     "x": xs, "y": [proj.linear_line.at(t) for t in xs], "line": {"dash": "dash", "color": "#6a1b9a"}})
        data.append({"type": "scatter", "mode": "lines", "name": "Xu hướng 3 kỳ gần nhất",
                     "x": xs, "y": [proj.recent_line.at(t) for t in xs], "line": {"dash": "dash", "color": "#00838f"}})
        data.append({"type": "scatter", "mode": "lines", "name": "Khoảng dự báo", "x": [last_t, proj.t, proj.t, last_t],
                     "y": [points[-1][1], proj.high, proj.low, points[-1][1]], "fill": "toself",
                     "fillcolor": "rgba(106,27,154,0.12)", "line": {"width": 0}, "hoverinfo": "skip"})
    figure = {"data": data, "layout": {"height": 420, "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
                                       "legend": {"orientation": "h", "y": -0.2},
                                       "xaxis": {"title": {"text": "Năm"}, "dtick": 1},
                                       "yaxis": {"title": {"text": indicator.unit or "Giá trị"}}}}
    return {"id": f"indicator-{indicator.pk}", "json_id": f"figure-indicator-{indicator.pk}", "figure": figure,
            "status": status}


# --- scorecards ----------------------------------------------------------------------------------------------------

def indicator_values_by_code(codes, subject_ids, year: int) -> dict[tuple[str, int], float]:
    """The yearly value (or, for quarterly indicators, the latest quarter's) of each (code, organisation)."""
    rows = (IndicatorValue.objects.filter(indicator__code__in=list(codes), indicator__agency_id__in=list(subject_ids),
                                          year=year).exclude(state=ValueState.REJECTED)
            .values_list("indicator__code", "indicator__agency_id", "quarter", "value").order_by("quarter"))
    out = {}
    for code, agency_id, _quarter, value in rows:
        out[(code, agency_id)] = float(value)  # ordered by quarter: the year (0) first, then the latest quarter wins
    return out


def scorecard_results(version, year: int) -> dict:
    """Every subject of the framework scored on ``version`` for ``year``, ranked (``scoring`` rules)."""
    criteria = list(version.criteria.all())
    subjects = [s.agency for s in version.framework.subjects.select_related("agency").order_by("agency__name")]
    subject_ids = [s.pk for s in subjects]
    values = indicator_values_by_code({c.indicator_code for c in criteria if c.indicator_code}, subject_ids, year)
    manual = {(s.criterion_id, s.subject_id): float(s.score)
              for s in AssessorScore.objects.filter(criterion__in=criteria, year=year)}
    weights = {c.pk: float(c.weight) for c in criteria}
    results = []
    for subject in subjects:
        scores = {}
        for c in criteria:
            if c.rule == CriterionRule.ASSESSOR:
                scores[c.pk] = manual.get((c.pk, subject.pk))
                continue
            value = values.get((c.indicator_code, subject.pk))
            if value is None:
                scores[c.pk] = None
            elif c.rule == CriterionRule.THRESHOLD:
                scores[c.pk] = scoring.threshold_score(value, c.steps, lower_is_better=c.lower_is_better)
            else:
                scores[c.pk] = scoring.linear_score(value, worst=float(c.worst), best=float(c.best))
        total, coverage, missing = scoring.total_score(scores, weights)
        results.append(scoring.SubjectResult(subject=subject, scores=scores, total=total, coverage=coverage,
                                             missing=missing))
    scoring.rank(results)
    return {"version": version, "year": year, "criteria": criteria, "results": results}


def scorecard_compare(framework, years: list[int]) -> list[dict]:
    """Results of several years side by side (each year on the version current then: the latest version with
    scores in that year, else the current one), with each subject's rank per year."""
    current = framework.current
    table: dict[int, dict] = {}
    for year in years:
        version = (framework.versions.filter(criteria__scores__year=year).order_by("-number").first() or current)
        result = scorecard_results(version, year)
        for r in result["results"]:
            row = table.setdefault(r.subject.pk, {"subject": r.subject, "years": {}})
            row["years"][year] = {"total": r.total, "rank": r.rank, "version": version.number,
                                  "flag": bool(r.missing)}
    return sorted(table.values(), key=lambda row: str(row["subject"]))


# --- growth accounting ---------------------------------------------------------------------------------------------

def yearly_series(indicator: Indicator | None) -> dict[int, float]:
    """An indicator's yearly values (a yearly value, else the mean of its quarters), refused values left out."""
    if indicator is None:
        return {}
    out: dict[int, list[float]] = {}
    yearly: dict[int, float] = {}
    for year, quarter, value in indicator.values.exclude(state=ValueState.REJECTED).values_list("year", "quarter",
                                                                                                "value"):
        if quarter:
            out.setdefault(year, []).append(float(value))
        else:
            yearly[year] = float(value)
    for year, quarters in out.items():
        yearly.setdefault(year, sum(quarters) / len(quarters))
    return yearly


def pending_values_count(user) -> int:
    if not access.can_manage_indicators(user):
        return 0
    return IndicatorValue.objects.filter(state=ValueState.SUBMITTED).count()


