"""Reads of progress reports shared by the task page and the API."""

from collections import defaultdict

from django.db.models import Exists, OuterRef

from nq57.accounts.models import User
from nq57.core.columns import defer_unshown
from nq57.core.compiled import compiled_query
from nq57.core.dbfunctions import IdIn
from nq57.reports.models import Assessment, ReportAttachment


@compiled_query
def _attachments_of(*, report_ids: list[int]):
    return ReportAttachment.objects.filter(IdIn("report_id", report_ids)).order_by("id")


@compiled_query
def _assessments_of(*, report_ids: list[int]):
    return (Assessment.objects.filter(IdIn("report_id", report_ids)).select_related("assessor")
            .defer(*defer_unshown("assessor", User)).order_by("-assessed_at", "-id"))


def detail_flags() -> dict:
    """Annotations of a reports query saying whether each report has attachments and assessments (an index probe
    each): ``report_details`` reads neither for reports that have none (most reports carry no file; a report waiting
    for assessment has no assessment)."""
    return {"has_attachments": Exists(ReportAttachment.objects.filter(report=OuterRef("pk"))),
            "has_assessments": Exists(Assessment.objects.filter(report=OuterRef("pk")))}


def labelled_reports():
    """Reports with their agency and author (only what their labels show) and ``detail_flags``: what the task page
    and the API list read (``report_details`` then reads their attachments and assessments)."""
    from nq57.agencies.models import Agency
    from nq57.reports.models import ProgressReport

    return (ProgressReport.objects.select_related("agency", "author")
            .defer(*defer_unshown("agency", Agency), *defer_unshown("author", User)).annotate(**detail_flags()))


def report_details(reports) -> tuple[dict[int, list], dict[int, list]]:
    """The attachments (oldest first) and the assessments (newest first, with their assessor's label) of
    ``reports``, by report id: at most two queries compiled once per process (``core.compiled``), none for what no
    report has (``detail_flags``, when the reports were read with them)."""
    attachments, assessments = defaultdict(list), defaultdict(list)
    with_attachments = [report.pk for report in reports if getattr(report, "has_attachments", True)]
    with_assessments = [report.pk for report in reports if getattr(report, "has_assessments", True)]
    if with_attachments:
        for attachment in _attachments_of(report_ids=with_attachments):
            attachments[attachment.report_id].append(attachment)
    if with_assessments:
        for assessment in _assessments_of(report_ids=with_assessments):
            assessments[assessment.report_id].append(assessment)
    return attachments, assessments
