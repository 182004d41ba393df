"""The API shapes of progress reports, assessments and extension requests, and their one serialiser each."""

import datetime as dt
from functools import cache
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from nq57.agencies.schemas import AgencyBrief, agency_brief
from nq57.api.schemas import Instant, Out, PageMeta
from nq57.core import limits
from nq57.core.compiled import compiled_query
from nq57.tasks.schemas import StatusLiteral


class AttachmentOut(Out):
    id: int
    original_name: str
    size: int
    content_type: str


class AssessmentOut(Out):
    id: int
    report_id: int
    verdict: str
    comment: str
    assessor: str
    assessed_at: Instant


class ReportOut(Out):
    id: int
    task_id: int
    agency: AgencyBrief
    author: str
    period_start: dt.date
    period_end: dt.date
    text: str
    percent: int
    claimed_status: str
    state: str
    submitted_at: Instant
    attachments: list[AttachmentOut]
    assessments: list[AssessmentOut]


class ReportPage(PageMeta):
    results: list[ReportOut]


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored
    period_start: dt.date
    period_end: dt.date
    text: str = Field(max_length=limits.REPORT_TEXT)
    percent: int = Field(ge=0, le=100)
    claimed_status: StatusLiteral


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored
    verdict: Literal["accept", "ask_for_more"]
    comment: str = Field("", max_length=limits.COMMENT)


class ExtensionIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored
    requested_due: dt.date
    reason: str = Field(max_length=limits.REASON)


class ExtensionDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored
    approve: bool
    note: str = Field("", max_length=limits.COMMENT)


class ExtensionOut(Out):
    id: int
    task_id: int
    agency: AgencyBrief
    requested_by: str
    requested_at: Instant
    current_due: dt.date | None
    requested_due: dt.date
    reason: str
    state: str
    decided_by: str | None
    decided_at: Instant | None
    decision_note: str


def report_queryset():
    """Reports with their agency and author (labels only); ``reports_out`` reads their attachments and
    assessments (``reports.selectors.labelled_reports``)."""
    from nq57.reports.selectors import labelled_reports

    return labelled_reports()


@cache
def task_reports_first(limit: int):
    """The first ``limit`` reports of a task by id (``report_queryset``): the API list's first page, compiled once
    per page size (``core.compiled``)."""
    @compiled_query
    def query(*, task_id: int):
        return report_queryset().filter(task_id=task_id).order_by("id")[:limit]
    return query


def reports_out(reports) -> list[dict]:
    """``report_out`` of each report of ``report_queryset``, their attachments and assessments read in at most two
    queries (``reports.selectors.report_details``)."""
    from nq57.reports.selectors import report_details

    attachments, assessments = report_details(reports)
    return [report_out(report, attachments=attachments[report.pk], assessments=assessments[report.pk])
            for report in reports]


def assessment_out(assessment) -> dict:
    return {"id": assessment.pk, "report_id": assessment.report_id, "verdict": assessment.verdict,
            "comment": assessment.comment, "assessor": str(assessment.assessor), "assessed_at": assessment.assessed_at}


def attachment_out(attachment) -> dict:
    return {"id": attachment.pk, "original_name": attachment.original_name, "size": attachment.size,
            "content_type": attachment.content_type}


def report_out(report, *, attachments, assessments) -> dict:
    """``ReportOut`` of a report of ``report_queryset`` with its ``attachments`` and ``assessments`` (read by
    ``reports_out``; a report just written has its attachments in hand and no assessment yet)."""
    return {
        "id": report.pk, "task_id": report.task_id, "agency": agency_brief(report.agency), "author": str(report.author),
        "period_start": report.period_start, "period_end": report.period_end, "text": report.text,
        "percent": report.percent, "claimed_status": report.claimed_status, "state": report.state,
        "submitted_at": report.submitted_at,
        "attachments": [attachment_out(a) for a in attachments],
        "assessments": [assessment_out(a) for a in assessments],
    }


def report_etag(report, *, assessments: int) -> str:
    return f'"report-{report.pk}-{report.state}-{assessments}"'


def extension_out(request) -> dict:
    return {
        "id": request.pk, "task_id": request.task_id, "agency": agency_brief(request.agency),
        "requested_by": str(request.requested_by), "requested_at": request.requested_at,
        "current_due": request.current_due, "requested_due": request.requested_due, "reason": request.reason,
        "state": request.state, "decided_by": str(request.decided_by) if request.decided_by_id else None,
        "decided_at": request.decided_at, "decision_note": request.decision_note,
    }
