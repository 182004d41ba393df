"""The API shapes of the monitoring app (notifications, the consolidated report) and their one serialiser each."""

import datetime as dt

from pydantic import Field

from nq57.api.schemas import Instant, Out, PageMeta


class NotificationOut(Out):
    id: int
    kind: str
    task_id: int | None
    title: str
    body: str
    created_at: Instant
    read_at: Instant | None


class NotificationPage(PageMeta):
    results: list[NotificationOut]


def notification_out(notification) -> dict:
    return {"id": notification.pk, "kind": notification.kind, "task_id": notification.task_id,
            "title": notification.title, "body": notification.body, "created_at": notification.created_at,
            "read_at": notification.read_at}


class ReportScopeOut(Out):
    notice: str | None
    notice_id: int | None
    agency: str | None
    agency_id: int | None
    theme: str | None
    theme_code: str | None
    date_from: dt.date | None
    date_to: dt.date | None


class LateTaskOut(Out):
    task_id: int
    label: str
    text: str
    lead_agencies: list[str]
    lead_agency_ids: list[int]
    due: dt.date | None
    days_late: int
    url: str


class LateByAgencyOut(Out):
    agency: str
    count: int
    max_days_late: int


class ExtensionItemOut(Out):
    task_id: int
    label: str
    agency: str
    previous_due: dt.date | None
    new_due: dt.date
    decided_on: dt.date


class ChangeOut(Out):
    task_id: int
    label: str
    change: str = Field(description="new | done | overdue | status | back_in_time | removed")
    description: str


class ConsolidatedReportOut(Out):
    as_of: dt.date
    scope: ReportScopeOut
    title: str
    total: int
    by_status: dict[str, int]
    by_timing: dict[str, int]
    overdue: int
    overdue_open: int
    overdue_partly_done: int
    summary: str = Field(description="“x/y nhiệm vụ đã hoàn thành …”")
    late_tasks: list[LateTaskOut]
    late_total: int = Field(description="Tổng số nhiệm vụ chậm muộn (late_tasks có thể chỉ liệt kê một phần)")
    late_by_agency: list[LateByAgencyOut]
    extensions: list[ExtensionItemOut]
    period_from: dt.date | None
    period_to: dt.date
    previous_as_of: dt.date | None = Field(description="Ngày của lần ban hành báo cáo trước (cùng phạm vi)")
    changes: list[ChangeOut]
    changes_count: dict[str, int]
    links: dict[str, str]


def consolidated_report_out(report) -> dict:
    """``ConsolidatedReportOut`` of a ``monitoring.services.ConsolidatedReport``."""
    return report.to_dict()
