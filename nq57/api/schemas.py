"""Input and output shapes of the API (field names from the glossary; dates in ISO 8601)."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class ErrorOut(Schema):
    code: str = Field(description="Mã lỗi ổn định cho máy, ví dụ not_found, forbidden, invalid, conflict")
    message: str = Field(description="Thông báo tiếng Việt cho người dùng")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Lỗi theo từng trường")


class PageMeta(Schema):
    count: int | None = Field(None, description="Tổng số dòng (chỉ khi phân trang bằng page)")
    page: int | None = None
    page_size: int
    next_cursor: str | None = Field(None, description="Gửi lại trong ?cursor= để lấy trang sau")


class AgencyBrief(Schema):
    id: int
    name: str
    short_name: str


class AgencyOut(AgencyBrief):
    kind: str
    parent_id: int | None
    successor_id: int | None
    dissolved_on: dt.date | None


class AgencyPage(PageMeta):
    results: list[AgencyOut]


class AssignedAgency(AgencyBrief):
    assigned_name: str = Field(description="Tên cơ quan khi được giao (giữ lại nếu cơ quan sau đó sáp nhập)")


class NoticeBrief(Schema):
    id: int
    number: str
    issued_on: dt.date


class NoticeOut(NoticeBrief):
    title: str
    kind: str
    issuer: str
    programme: str
    meeting_date: dt.date | None
    signer: str


class NoticeDetail(NoticeOut):
    cited_numbers: list[str]
    task_count: int


class NoticePage(PageMeta):
    results: list[NoticeOut]


class TaskOut(Schema):
    id: int
    external_id: str = Field(description="Mã ổn định dùng khi trao đổi với hệ thống khác")
    notice: NoticeBrief
    parent_id: int | None
    path: str
    position: int
    section: str
    text: str
    lead_agencies: list[AssignedAgency]
    coordinating_agencies: list[AssignedAgency]
    coordinating_others: bool
    themes: list[str]
    deadline_kind: str
    deadline_due: dt.date | None
    deadline_text: str
    original_deadline_due: dt.date | None
    report_cadence: str
    report_due: dt.date | None
    report_text: str
    next_report_due: dt.date | None
    status: str
    progress: int
    completed_on: dt.date | None
    timing: str
    last_report_at: dt.datetime | None
    version: int
    updated_at: dt.datetime


class TaskPage(PageMeta):
    results: list[TaskOut]


DeadlineKindLiteral = Literal["date", "month", "quarter", "year", "recurring", "event", "roadmap", "none"]
CadenceLiteral = Literal["", "weekly", "monthly", "quarterly", "semiannual", "yearly"]
StatusLiteral = Literal["open", "partly_done", "done"]


class TaskPatch(Schema):
    """Only the fields sent are changed. Agencies by id; themes by code. Status changes are for the office."""

    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored
    text: str | None = Field(None, max_length=20000)
    section: str | None = Field(None, max_length=500)
    deadline_kind: DeadlineKindLiteral | None = None
    deadline_due: dt.date | None = None
    deadline_text: str | None = Field(None, max_length=500)
    report_cadence: CadenceLiteral | None = None
    report_due: dt.date | None = None
    report_text: str | None = Field(None, max_length=500)
    coordinating_others: bool | None = None
    lead_agencies: list[int] | None = Field(None, max_length=200)
    coordinating_agencies: list[int] | None = Field(None, max_length=200)
    themes: list[str] | None = Field(None, max_length=100)
    status: StatusLiteral | None = None
    progress: int | None = Field(None, ge=0, le=100)
    completed_on: dt.date | None = None


class AttachmentOut(Schema):
    id: int
    original_name: str
    size: int
    content_type: str


class AssessmentOut(Schema):
    id: int
    report_id: int
    verdict: str
    comment: str
    assessor: str
    assessed_at: dt.datetime


class ReportOut(Schema):
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
    submitted_at: dt.datetime
    attachments: list[AttachmentOut]
    assessments: list[AssessmentOut]


class ReportPage(PageMeta):
    results: list[ReportOut]


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    period_start: dt.date
    period_end: dt.date
    text: str = Field(max_length=50000)
    percent: int = Field(ge=0, le=100)
    claimed_status: StatusLiteral


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    verdict: Literal["accept", "ask_for_more"]
    comment: str = Field("", max_length=20000)


class ExtensionIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    requested_due: dt.date
    reason: str = Field(max_length=20000)


class ExtensionDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    approve: bool
    note: str = Field("", max_length=20000)


class ExtensionOut(Schema):
    id: int
    task_id: int
    agency: AgencyBrief
    requested_by: str
    requested_at: dt.datetime
    current_due: dt.date | None
    requested_due: dt.date
    reason: str
    state: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str


class NotificationOut(Schema):
    id: int
    kind: str
    task_id: int | None
    title: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(PageMeta):
    results: list[NotificationOut]


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    agency: AgencyBrief | None
    token: str | None = Field(None, description="Tiền tố của mã truy cập đang dùng (nếu có)")


WebhookEvent = Literal["task.created", "task.status_changed", "report.submitted", "task.overdue"]


class WebhookIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    url: str = Field(max_length=500)
    secret: str = Field(max_length=200)
    events: list[WebhookEvent] = Field(max_length=10)
    name: str = Field("", max_length=100)


class WebhookPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    is_active: bool = Field(description="false: tạm dừng; true: bật lại và gửi các lần gửi đang chờ")


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    created_at: dt.datetime


class DeliveryOut(Schema):
    id: int
    uuid: str
    event: str
    state: str
    attempts: int
    status_code: int | None
    response_excerpt: str
    error: str
    log: list[dict]
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


class DeliveryPage(PageMeta):
    results: list[DeliveryOut]


class ImportRecordOut(Schema):
    index: int
    external_id: str | None
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    task_id: int | None
    reason: str


class ImportResultOut(Schema):
    dry_run: bool
    system: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    records: list[ImportRecordOut]
