"""The API shapes of tasks and the one serialiser of ``TaskOut`` (``task_out_row``), fed either by a loaded task
(``task_dict``) or by the plain rows of the task list's fast path (``task_rows``)."""

import datetime as dt
from typing import Literal

from django.db import connection
from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict, Field

from nq57.agencies.models import Agency
from nq57.agencies.schemas import AgencyBrief
from nq57.api.schemas import Instant, Out, PageMeta
from nq57.core import limits
from nq57.core.columns import defer_unshown
from nq57.core.compiled import attach_prefetched, compiled_query
from nq57.notices.models import Notice
from nq57.notices.schemas import NoticeBrief
from nq57.tasks.models import AssignmentRole, Task, TaskAssignment, Theme


class AssignedAgency(AgencyBrief):
    assigned_name: str = Field(description="Tên cơ quan khi được giao (giữ lại nếu cơ quan sau đó sáp nhập)")


class TaskOut(Out):
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
    last_report_at: Instant | None
    version: int
    updated_at: Instant


class TaskPage(PageMeta):
    results: list[TaskOut]


DeadlineKindLiteral = Literal["date", "month", "quarter", "year", "recurring", "event", "roadmap", "none"]
CadenceLiteral = Literal["", "weekly", "monthly", "quarterly", "semiannual", "yearly"]
StatusLiteral = Literal["open", "partly_done", "done"]


class TaskPatch(Schema):
    """Only the fields sent are changed. Agencies by id; themes by code. Status changes are for the office."""

    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored
    text: str | None = Field(None, max_length=limits.TASK_TEXT)
    section: str | None = Field(None, max_length=limits.SECTION)
    deadline_kind: DeadlineKindLiteral | None = None
    deadline_due: dt.date | None = None
    deadline_text: str | None = Field(None, max_length=limits.SECTION)
    report_cadence: CadenceLiteral | None = None
    report_due: dt.date | None = None
    report_text: str | None = Field(None, max_length=limits.SECTION)
    coordinating_others: bool | None = None
    lead_agencies: list[int] | None = Field(None, max_length=200)
    coordinating_agencies: list[int] | None = Field(None, max_length=200)
    themes: list[str] | None = Field(None, max_length=100)
    status: StatusLiteral | None = None
    progress: int | None = Field(None, ge=0, le=100)
    completed_on: dt.date | None = None


def external_id(task) -> str:
    """Our stable id for a task in exchanges: never reused, unchanged by edits of the notice number or path."""
    return f"nq57:task:{task.pk}"


#: the columns of a task row, in this order (``task_out_row`` unpacks them by position)
TASK_LIST_COLUMNS = (
    "id", "notice_id", "notice__number", "notice__issued_on", "parent_id", "path", "position", "section", "text",
    "coordinating_others", "deadline_kind", "deadline_due", "deadline_text", "original_deadline_due",
    "report_cadence", "report_due", "report_text", "next_report_due", "status", "progress", "completed_on",
    "last_report_at", "version", "updated_at",
)


class _TimingFields:
    """What ``Task.timing`` reads, so rows get their timing class from the one rule without a model instance
    (and without the ``with_timing`` CASE annotation in the page query)."""

    __slots__ = ("status", "deadline_due", "completed_on", "next_report_due")

    def __init__(self, status, deadline_due, completed_on, next_report_due):
        self.status, self.deadline_due = status, deadline_due
        self.completed_on, self.next_report_due = completed_on, next_report_due


def task_out_row(row: tuple, *, leads: list[dict], partners: list[dict], themes: list[str], today,
                 timing: str | None = None) -> dict:
    """THE serialiser of ``TaskOut``: a row of ``TASK_LIST_COLUMNS`` with its agencies (``AssignedAgency`` dicts)
    and theme codes. ``timing`` defaults to ``Task.timing``'s rule at ``today``."""
    (pk, notice_id, number, issued_on, parent_id, path, position, section, text, coordinating_others,
     deadline_kind, deadline_due, deadline_text, original_deadline_due, report_cadence, report_due, report_text,
     next_report_due, status, progress, completed_on, last_report_at, version, updated_at) = row
    if timing is None:
        timing = str(Task.timing(_TimingFields(status, deadline_due, completed_on, next_report_due), today=today))
    return {
        "id": pk, "external_id": f"nq57:task:{pk}",
        "notice": {"id": notice_id, "number": number, "issued_on": issued_on},
        "parent_id": parent_id, "path": path, "position": position, "section": section, "text": text,
        "lead_agencies": leads, "coordinating_agencies": partners, "coordinating_others": coordinating_others,
        "themes": sorted(themes), "deadline_kind": deadline_kind, "deadline_due": deadline_due,
        "deadline_text": deadline_text, "original_deadline_due": original_deadline_due,
        "report_cadence": report_cadence, "report_due": report_due, "report_text": report_text,
        "next_report_due": next_report_due, "status": status, "progress": progress, "completed_on": completed_on,
        "timing": timing, "last_report_at": last_report_at, "version": version, "updated_at": updated_at,
    }


@compiled_query
def _task_row(*, pk: int):
    return Task.objects.select_related("notice").defer(*defer_unshown("notice", Notice)).filter(pk=pk)


def task_loaded(pk: int) -> Task | None:
    """The task with what ``task_dict`` shows (its notice, assignments with their agencies, themes), or None; three
    queries compiled once per process (``core.compiled``). (The timing class is ``Task.timing``'s rule in
    ``task_out_row``: building the database's CASE for one task cost more than the rest of the query.)"""
    from nq57.tasks.selectors import task_assignments, task_themes

    for task in _task_row(pk=pk):
        attach_prefetched(task, "assignments", task_assignments(task_id=pk))
        attach_prefetched(task, "themes", task_themes(task_id=pk))
        return task
    return None


def task_dict(task, *, today=None) -> dict:
    """``TaskOut`` of a loaded task (see ``task_loaded``)."""
    leads, partners = [], []
    for assignment in task.assignments.all():
        agency = assignment.agency
        row = {"id": agency.pk, "name": agency.name, "short_name": agency.short_name,
               "assigned_name": assignment.assigned_name or agency.name}
        (leads if assignment.role == AssignmentRole.LEAD else partners).append(row)
    timing = task.__dict__.get("timing")
    notice = task.notice
    row = (task.pk, notice.pk, notice.number, notice.issued_on, task.parent_id, task.path, task.position,
           task.section, task.text, task.coordinating_others, task.deadline_kind, task.deadline_due,
           task.deadline_text, task.original_deadline_due, task.report_cadence, task.report_due, task.report_text,
           task.next_report_due, task.status, task.progress, task.completed_on, task.last_report_at, task.version,
           task.updated_at)
    return task_out_row(row, leads=leads, partners=partners, themes=[t.code for t in task.themes.all()],
                        today=today or timezone.localdate(), timing=str(timing) if isinstance(timing, str) else None)


def task_rows(rows: list[tuple], *, today) -> list[dict]:
    """``TaskOut`` dicts for rows of ``TASK_LIST_COLUMNS`` (the task list: no model instances), in two more
    queries: the assignments with their agencies, and the theme codes."""
    if not rows:
        return []
    ids = [row[0] for row in rows]
    agencies: dict[int, tuple[list, list]] = {task_id: ([], []) for task_id in ids}
    themes: dict[int, list[str]] = {task_id: [] for task_id in ids}
    # two fixed-shape queries of ints and strings: plain SQL (building them with the ORM costs more than running them)
    assignment, agency, task_theme, theme = (connection.ops.quote_name(model._meta.db_table)
                                             for model in (TaskAssignment, Agency, Task.themes.through, Theme))
    if connection.vendor == "postgresql":  # one array parameter: cheaper to send and to plan than 50 placeholders
        in_ids, params = "= ANY(%s)", [ids]
    else:
        in_ids, params = f"IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.task_id, a.role, a.agency_id, g.name, g.short_name, a.assigned_name "  # noqa: S608
                       f"FROM {assignment} a INNER JOIN {agency} g ON g.id = a.agency_id "
                       f"WHERE a.task_id {in_ids} ORDER BY a.id", params)
        for task_id, role, agency_id, name, short_name, assigned_name in cursor.fetchall():
            agencies[task_id][role != AssignmentRole.LEAD].append(
                {"id": agency_id, "name": name, "short_name": short_name, "assigned_name": assigned_name or name})
        cursor.execute(f"SELECT tt.task_id, t.code FROM {task_theme} tt "  # noqa: S608
                       f"INNER JOIN {theme} t ON t.id = tt.theme_id WHERE tt.task_id {in_ids}", params)
        for task_id, code in cursor.fetchall():
            themes[task_id].append(code)
    return [task_out_row(row, leads=agencies[row[0]][0], partners=agencies[row[0]][1], themes=themes[row[0]],
                         today=today) for row in rows]
