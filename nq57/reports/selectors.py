"""Reads of progress reports shared by the task page and the API."""

from collections import defaultdict

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


def report_details(report_ids: list[int]) -> tuple[dict[int, list], dict[int, list]]:
    """The attachments (oldest first) and the assessments (newest first, with their assessor's label) of the
    reports ``report_ids``, by report id: two queries compiled once per process (``core.compiled``), none for no
    report."""
    attachments, assessments = defaultdict(list), defaultdict(list)
    if report_ids:
        for attachment in _attachments_of(report_ids=report_ids):
            attachments[attachment.report_id].append(attachment)
        for assessment in _assessments_of(report_ids=report_ids):
            assessments[assessment.report_id].append(assessment)
    return attachments, assessments
