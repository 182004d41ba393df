"""The API shapes of progress reports, assessments and extension requests, and their one serialiser each."""

import datetime as dt
from typing import Literal

from django.db.models import Prefetch
from ninja import Schema
from pydantic import ConfigDict, Field

from nq57.agencies.schemas import AgencyBrief, agency_brief
from nq57.api.schemas import Instant, Out, PageMeta
from nq57.core import limits
from nq57.core.columns import defer_unshown
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
    """Reports with what ``report_out`` shows (agency, author, attachments, assessments with their assessor)."""
    from nq57.accounts.models import User
    from nq57.agencies.models import Agency
    from nq57.reports.models import Assessment, ProgressReport

    assessments = Assessment.objects.select_related("assessor").defer(*defer_unshown("assessor", User))
    return (ProgressReport.objects.select_related("agency", "author")
            .defer(*defer_unshown("agency", Agency), *defer_unshown("author", User))
            .prefetch_related("attachments", Prefetch("assessments", assessments)))


def assessment_out(assessment) -> dict:
    return {"id": assessment.pk, "report_id": assessment.report_id, "verdict": assessment.verdict,
            "comment": assessment.comment, "assessor": str(assessment.assessor), "assessed_at": assessment.assessed_at}


def attachment_out(attachment) -> dict:
    return {"id": attachment.pk, "original_name": attachment.original_name, "size": attachment.size,
            "content_type": attachment.content_type}


def report_out(report, *, attachments=None, assessments=None) -> dict:
    """``ReportOut`` of a report read with ``report_queryset``; a report just written passes its ``attachments``
    and ``assessments`` (none yet) so nothing is read back."""
    attachments = report.attachments.all() if attachments is None else attachments
    assessments = report.assessments.all() if assessments is None else assessments
    return {
        "id": report.pk, "task_id": report.task_id, "agency": agency_brief(report.agency), "author": str(report.author),
        "period_start": report.period_start, "period_end": report.period_end, "text": report.text,
        "percent": report.percent, "claimed_status": report.claimed_status, "state": report.state,
        "submitted_at": report.submitted_at,
        "attachments": [attachment_out(a) for a in attachments],
        "assessments": [assessment_out(a) for a in assessments],
    }


def report_etag(report, *, assessments: int | None = None) -> str:
    count = len(report.assessments.all()) if assessments is None else assessments
    return f'"report-{report.pk}-{report.state}-{count}"'


def extension_out(request) -> dict:
    return {
        "id": request.pk, "task_id": request.task_id, "agency": agency_brief(request.agency),
        "requested_by": str(request.requested_by), "requested_at": request.requested_at,
        "current_due": request.current_due, "requested_due": request.requested_due, "reason": request.reason,
        "state": request.state, "decided_by": str(request.decided_by) if request.decided_by_id else None,
        "decided_at": request.decided_at, "decision_note": request.decision_note,
    }
