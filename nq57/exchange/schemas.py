"""The API shapes of the exchange format (``schema/exchange-v1.schema.json`` stays the normative description of the
document; these mirror it so the API validates what it sends) and of an import's outcome."""

from typing import Literal

from pydantic import Field

from nq57.api.schemas import Out


class ExchangeLinkOut(Out):
    system: str
    external_id: str


class ExchangeNoticeOut(Out):
    number: str
    issued_on: str | None = Field(description="YYYY-MM-DD")
    programme: str
    title: str


class ExchangeReportOut(Out):
    external_id: str
    agency: str
    period_start: str = Field(description="YYYY-MM-DD")
    period_end: str = Field(description="YYYY-MM-DD")
    text: str
    percent: int
    claimed_status: str
    state: str
    submitted_at: str = Field(description="ISO 8601")


class ExchangeTaskOut(Out):
    external_id: str
    links: list[ExchangeLinkOut]
    notice: ExchangeNoticeOut
    path: str
    parent_external_id: str | None
    section: str
    text: str
    lead_agencies: list[str]
    coordinating_agencies: list[str]
    deadline_kind: str
    deadline_due: str | None
    deadline_text: str
    report_cadence: str
    report_due: str | None
    status: str
    progress: int
    completed_on: str | None
    updated_at: str
    reports: list[ExchangeReportOut]


class ExchangeDocumentOut(Out):
    """A document of the exchange format v1 (docs/exchange.md)."""

    format: Literal["nq57-exchange"]
    version: Literal[1]
    system: str
    generated_at: str
    scope: dict[str, str | None]
    tasks: list[ExchangeTaskOut]


class ImportRecordOut(Out):
    index: int
    external_id: str | None
    outcome: Literal["created", "updated", "unchanged", "rejected"]
    task_id: int | None
    reason: str


class ImportResultOut(Out):
    dry_run: bool
    system: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    records: list[ImportRecordOut]
    reports: dict[str, int] = Field(description="Báo cáo tiến độ: created / unchanged / rejected")


def import_result_out(result) -> dict:
    """``ImportResultOut`` of an ``exchange.services.ImportResult``."""
    return result.to_dict()
