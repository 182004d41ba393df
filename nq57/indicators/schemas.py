"""The API shapes of indicators and their values, and their one serialiser each."""


from ninja import Schema
from pydantic import Field

from nq57.agencies.schemas import AgencyBrief, agency_brief
from nq57.api.schemas import Instant, Out, PageMeta


class TargetOut(Out):
    year: int
    value: float
    text: str


class IndicatorOut(Out):
    id: int
    code: str
    name: str
    unit: str
    kind: str
    direction: str
    period: str
    value_source: str
    agency: AgencyBrief | None
    theme: str | None
    baseline_value: float | None
    baseline_year: int | None
    latest_value: float | None
    latest_year: int | None
    latest_quarter: int | None
    status: str = Field(description="achieved | on_track | at_risk | off_track | no_data")
    next_target_year: int | None
    next_target_value: float | None
    projected_value: float | None


class IndicatorDetailOut(IndicatorOut):
    targets: list[TargetOut]
    method: str
    data_source: str


class IndicatorPage(PageMeta):
    results: list[IndicatorOut]


class ValueOut(Out):
    id: int
    indicator_id: int
    year: int
    quarter: int
    value: float
    state: str
    origin: str
    note: str
    evidence_link: str
    entered_at: Instant
    validated_at: Instant | None


class ValueIn(Schema):
    year: int
    quarter: int = Field(0, description="1-4 cho chỉ tiêu theo quý; 0 cho chỉ tiêu theo năm")
    value: float
    note: str = ""
    evidence_link: str = ""


def _f(value):
    return None if value is None else float(value)


def indicator_out(i) -> dict:
    return {"id": i.pk, "code": i.code, "name": i.name, "unit": i.unit, "kind": i.kind, "direction": i.direction,
            "period": i.period, "value_source": i.value_source,
            "agency": agency_brief(i.agency) if i.agency_id else None, "theme": i.theme.name if i.theme_id else None,
            "baseline_value": _f(i.baseline_value), "baseline_year": i.baseline_year,
            "latest_value": _f(i.latest_value), "latest_year": i.latest_year, "latest_quarter": i.latest_quarter,
            "status": i.status, "next_target_year": i.next_target_year,
            "next_target_value": _f(i.next_target_value), "projected_value": _f(i.projected_value)}


def indicator_detail_out(i) -> dict:
    return {**indicator_out(i), "method": i.method, "data_source": i.data_source,
            "targets": [{"year": t.year, "value": float(t.value), "text": t.text} for t in i.targets.all()]}


def value_out(v) -> dict:
    return {"id": v.pk, "indicator_id": v.indicator_id, "year": v.year, "quarter": v.quarter, "value": float(v.value),
            "state": v.state, "origin": v.origin, "note": v.note, "evidence_link": v.evidence_link,
            "entered_at": v.entered_at, "validated_at": v.validated_at}


