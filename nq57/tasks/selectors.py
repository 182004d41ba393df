"""Reads for the task pages: one task with what its page shows, its sub-task tree, its timeline and its audit trail.

Each function runs a fixed, small number of queries whatever the size of the task's history.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, Sum

from nq57.accounts.models import User
from nq57.agencies.models import Agency
from nq57.core import access, badges
from nq57.core.columns import defer_unshown
from nq57.core.compiled import attach_prefetched, compiled_query
from nq57.notices.models import Notice
from nq57.tasks.models import Task, TaskAssignment, TaskEvent, TaskStatus, TaskTally, Theme, Timing

AUDIT_HIDDEN_FIELDS = {"version", "updated_at", "search_key", "created_at"}


def _tally_sum_expressions(*, today: dt.date, soon: dt.date | None = None, classes: tuple[str, ...] | None = None
                           ) -> dict:
    conditions = Timing.tally_conditions(today=today, soon=soon)
    return {"total": Sum("n"), **{f"s_{s}": Sum("n", filter=Q(status=s)) for s in TaskStatus.values},
            **{f"t_{t}": Sum("n", filter=c) for t, c in conditions.items() if classes is None or t in classes}}


def _compares_with(condition: Q, value) -> bool:
    """Whether some lookup of ``condition`` (a tree of ``Q``) compares with ``value``."""
    return any(_compares_with(child, value) if isinstance(child, Q) else child[1] == value
               for child in condition.children)


@cache
def _tally_sums_query(kind: str, group: tuple[str, ...], classes: tuple[str, ...] | None):
    """``tally_sums`` of every row of ``kind`` grouped by ``group``: the overview's and the dashboard's query,
    compiled once per process (``core.compiled``); a function of ``today`` and ``soon`` (the end of "due soon"),
    which it ignores when none of ``classes`` reads it."""
    @compiled_query
    def query(*, today: dt.date, soon: dt.date):
        return (TaskTally.objects.filter(kind=kind).values(*group)
                .annotate(**_tally_sum_expressions(today=today, soon=soon, classes=classes)).order_by())

    @compiled_query
    def without_soon(*, today: dt.date):
        return (TaskTally.objects.filter(kind=kind).values(*group)
                .annotate(**_tally_sum_expressions(today=today, classes=classes)).order_by())

    probe_today, probe_soon = dt.date(2000, 1, 1), dt.date(2000, 1, 9)
    conditions = Timing.tally_conditions(today=probe_today, soon=probe_soon)
    if any(_compares_with(condition, probe_soon) for timing, condition in conditions.items()
           if classes is None or timing in classes):
        return query
    return lambda *, today, soon: without_soon(today=today)


def tally_sums(kind: str, *, today: dt.date, group: tuple[str, ...] = (), classes: tuple[str, ...] | None = None,
               **filters) -> list[dict]:
    """Sums of ``TaskTally`` rows of ``kind`` (kept by triggers in each write's transaction: exact, never stale),
    grouped by ``group``: "total", one sum per status ("s_<status>") and one per timing class ("t_<class>",
    ``Timing.tally_conditions``; only those of ``classes`` when given: each is a condition on every row). Without
    ``group``, one row (zeros when nothing matches)."""
    sums = _tally_sum_expressions(today=today, classes=classes)
    if not group:
        return [{key: value or 0 for key, value in
                 TaskTally.objects.filter(kind=kind, **filters).aggregate(**sums).items()}]
    if filters:
        rows = TaskTally.objects.filter(kind=kind, **filters).values(*group).annotate(**sums).order_by()
    else:
        rows = _tally_sums_query(kind, tuple(group), classes and tuple(classes))(
            today=today, soon=Timing.soon(today=today))
    return [{key: (value or 0) if key in sums else value for key, value in row.items()} for row in rows]


@compiled_query
def _task_for_page(*, pk: int):
    from nq57.reports.models import ExtensionRequest

    return (
        Task.objects.select_related("notice", "parent", "parent__notice")
        .defer(*defer_unshown("notice", Notice), *defer_unshown("parent__notice", Notice))
        .annotate(has_subtasks=Exists(Task.objects.filter(parent=OuterRef("pk"))),
                  has_extension_requests=Exists(ExtensionRequest.objects.filter(task=OuterRef("pk"))))
        .filter(pk=pk)
    )


@compiled_query
def task_assignments(*, task_id: int):
    """A task's assignments with their agencies (and each agency's successor), leads first."""
    return (TaskAssignment.objects.filter(task_id=task_id).select_related("agency", "agency__successor")
            .defer(*defer_unshown("agency", Agency), *defer_unshown("agency__successor", Agency))
            .order_by("role", "id"))


@compiled_query
def task_themes(*, task_id: int):
    return Theme.objects.filter(tasks__id=task_id).order_by("id")


def task_for_page(pk: int) -> Task:
    """The task with its notice, parent, assignments (agencies) and themes; raises Task.DoesNotExist. (Of the
    notices, agencies and accounts it joins, only what their labels show is read: a real notice's whole text alone
    is tens of kilobytes.) ``has_subtasks`` and ``has_extension_requests`` tell ``subtask_tree`` and
    ``task_extensions`` that there is nothing to read: most tasks have neither, and each read was a query. Its
    three queries are compiled once per process (``core.compiled``)."""
    for task in _task_for_page(pk=pk):
        attach_prefetched(task, "assignments", task_assignments(task_id=task.pk))
        attach_prefetched(task, "themes", task_themes(task_id=task.pk))
        return task
    raise Task.DoesNotExist(f"Task {pk} does not exist.")


def task_ancestors(task: Task) -> list[Task]:
    """Parents from the root down to the task's direct parent."""
    chain, node, seen = [], task.parent, {task.pk}
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        chain.append(node)
        node = node.parent if node.parent_id else None
    return list(reversed(chain))


@dataclass
class TreeNode:
    task: Task
    timing: str
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def timing_label(self) -> str:
        return Timing(self.timing).label

    @property
    def timing_badge(self) -> str:
        return badges.css(self.timing, "timing")


def subtask_tree(task: Task, *, today: dt.date) -> list[TreeNode]:
    """The sub-tasks of ``task`` to any depth, one query per level (none when ``task_for_page`` found none)."""
    if getattr(task, "has_subtasks", True) is False:
        return []
    assignments = (TaskAssignment.objects.select_related("agency").defer(*defer_unshown("agency", Agency))
                   .order_by("role", "id"))
    roots: list[TreeNode] = []
    by_id: dict[int, TreeNode] = {}
    frontier, seen = [task.pk], {task.pk}
    while frontier:
        level = list(
            Task.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=seen)
            .select_related("notice")
            .defer(*defer_unshown("notice", Notice))
            .prefetch_related(Prefetch("assignments", queryset=assignments))
            .order_by("position", "id")
        )
        for child in level:
            node = TreeNode(task=child, timing=child.timing(today=today))
            by_id[child.pk] = node
            (roots if child.parent_id == task.pk else by_id[child.parent_id].children).append(node)
            seen.add(child.pk)
        frontier = [child.pk for child in level]
    return roots


@compiled_query
def _task_events(*, task_id: int):
    return (TaskEvent.objects.filter(task_id=task_id).select_related("actor").defer(*defer_unshown("actor", User))
            .order_by("at", "id"))


def task_timeline(task: Task) -> list[TaskEvent]:
    events = _task_events(task_id=task.pk)
    for event in events:
        event.task = task
    return events


@compiled_query
def _task_reports(*, task_id: int):
    from nq57.reports.selectors import labelled_reports

    return labelled_reports().filter(task_id=task_id).order_by("-submitted_at", "-id")


def task_reports(task: Task):
    """The task's progress reports, newest first, each with its attachments and assessments (one query, and one
    more for each of those that some report has)."""
    from nq57.reports.selectors import report_details

    reports = _task_reports(task_id=task.pk)
    attachments, assessments = report_details(reports)
    for report in reports:
        report.task = task
        attach_prefetched(report, "attachments", attachments[report.pk])
        attach_prefetched(report, "assessments", assessments[report.pk])
    return reports


def task_extensions(task: Task):
    if getattr(task, "has_extension_requests", True) is False:  # task_for_page found none
        return []
    return list(task.extension_requests.select_related("agency", "requested_by", "decided_by").defer(
        *defer_unshown("agency", Agency), *defer_unshown("requested_by", User), *defer_unshown("decided_by", User)))


def task_permissions(user, task: Task) -> dict[str, bool]:
    """What the page offers this user; every flag comes from ``core.access``."""
    from nq57.tasks.models import DeadlineKind

    office = access.can_assess(user)
    return {
        "can_report": access.can_report_on(user, task),
        "can_request_extension": access.can_request_extension(user, task) and not task.is_done,
        "can_assess": office,
        "can_decide_extension": office,
        "can_schedule": office and task.deadline_kind == DeadlineKind.EVENT,
        "can_change_status": office,
        "can_add_subtask": access.can_add_subtask(user, task),
        "can_edit": access.can_edit_task(user, task),
    }


# ---------------------------------------------------------------------------------------------------------------------
# Audit trail (django-simple-history)
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class AuditChange:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    at: dt.datetime
    who: str
    action: str
    subject: str
    changes: list[AuditChange]


HISTORY_ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


class _Labels:
    """Turns stored history values into what a reader understands: choice labels, dates, names of related rows."""

    def __init__(self):
        self.cache: dict[tuple[type, object], str] = {}

    def related(self, model, pk) -> str:
        key = (model, pk)
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            self.cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self.cache[key]

    def value(self, model_field, value) -> str:
        if value is None or value == "":
            return "—"
        if model_field is None:
            return str(value)
        if model_field.many_to_many:
            through_key = model_field.m2m_reverse_field_name()
            names = [self.related(model_field.related_model, row.get(through_key)) for row in value or []]
            return ", ".join(sorted(names)) or "—"
        if model_field.is_relation:
            return self.related(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Có" if value else "Không"
        if isinstance(value, dt.datetime):
            from django.utils import timezone

            return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        text = str(value)
        return text if len(text) <= 300 else text[:300] + "…"


@cache
def _history_m2m_query(model, field_name: str):
    """The rows of one many-to-many field of ``model``'s history (e.g. a task's themes at each record) for one
    object, in one compiled query (``diff_against`` would read them twice per record)."""
    m2m_field = next(f for f in _history_model(model)._history_m2m_fields if f.name == field_name)
    through = getattr(_history_model(model), field_name).model
    columns = [f.name for f in through._meta.fields if f.editable and f.name not in ("id", "m2m_history_id", "history")]

    @compiled_query
    def rows(*, object_id: int):
        return (through.objects.filter(**{f"{m2m_field.m2m_field_name()}_id": object_id})
                .order_by(m2m_field.m2m_reverse_field_name(), "id").values("history_id", *columns))
    return rows


def _m2m_rows(model, object_id: int) -> dict[str, dict[int, list[dict]]]:
    """The history's many-to-many rows of one object, per field and history record."""
    result = {}
    for m2m_field in getattr(_history_model(model), "_history_m2m_fields", []):
        rows = defaultdict(list)
        for row in _history_m2m_query(model, m2m_field.name)(object_id=object_id):
            rows[row.pop("history_id")].append(row)
        result[m2m_field.name] = rows
    return result


def _entries(model, records, subject, labels: _Labels, *, m2m: dict) -> list[AuditEntry]:
    by_object = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    hidden = (AUDIT_HIDDEN_FIELDS & _field_names(model)) | set(m2m)
    entries = []
    for history in by_object.values():
        previous = None
        for record in history:
            changes: list[AuditChange] = []
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous, excluded_fields=hidden)
                delta_changes = list(delta.changes)
                for name, rows in m2m.items():  # what diff_against does for these fields, from the rows read above
                    old, new = rows.get(previous.pk, []), rows.get(record.pk, [])
                    if old != new:
                        delta_changes.append(SimpleNamespace(field=name, old=old, new=new))
                for change in delta_changes:
                    model_field = _model_field(model, change.field)
                    changes.append(AuditChange(
                        field=str(model_field.verbose_name) if model_field is not None else change.field,
                        old=labels.value(model_field, change.old),
                        new=labels.value(model_field, change.new),
                    ))
            if previous is None or record.history_type != "~" or changes:
                user = record.history_user
                entries.append(AuditEntry(
                    at=record.history_date, who=str(user) if user else "Hệ thống",
                    action=HISTORY_ACTIONS.get(record.history_type, record.history_type),
                    subject=subject(record), changes=changes,
                ))
            previous = record
    return entries


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:  # a field dropped since the record was written
        return None


@cache
def _history_model(model):
    return model.history.model


def _history(model):
    """All history records of ``model``: the historical model's plain manager (``Model.history`` builds a new manager
    class at every access, a few milliseconds per page)."""
    return _history_model(model)._default_manager.all()


@cache
def _task_history_queries() -> dict:
    """Per model, the compiled query of the history records that belong to one task (by ``task_id``), oldest first,
    each with the account that made it (its label only)."""
    from nq57.reports.models import Assessment, ExtensionRequest, ProgressReport

    def records(model, path: str):
        @compiled_query
        def query(*, task_id: int):
            return (_history(model).filter(**{path: task_id}).select_related("history_user")
                    .defer(*defer_unshown("history_user", User)).order_by("history_date", "history_id"))
        return query

    for model in (TaskAssignment, ProgressReport, Assessment, ExtensionRequest):
        # ``_m2m_rows`` reads by the object's id, which is the task's only for the task's own history
        if getattr(_history_model(model), "_history_m2m_fields", None):
            raise ImproperlyConfigured(f"{model.__name__}'s history has many-to-many fields: task_audit misses them.")
    # an assessment's history by its report's task: the reports the task has (as the page shows them)
    return {Task: records(Task, "id"), TaskAssignment: records(TaskAssignment, "task_id"),
            ProgressReport: records(ProgressReport, "task_id"), Assessment: records(Assessment, "report__task_id"),
            ExtensionRequest: records(ExtensionRequest, "task_id")}


def task_audit(task: Task) -> list[AuditEntry]:
    """Every history record of the task, of its lead and coordinating agencies after creation, and of its reports,
    assessments and extension requests, oldest first, each with who, when and the before/after of the fields that
    changed."""
    from nq57.agencies.models import Agency
    from nq57.reports.models import Assessment, ExtensionRequest, ProgressReport

    labels = _Labels()
    # the task's agencies are on the page already (``task_for_page``): their names need no query
    if "assignments" in getattr(task, "_prefetched_objects_cache", {}):
        for assignment in task.assignments.all():
            labels.cache[(Agency, assignment.agency_id)] = str(assignment.agency)
    subjects = {
        Task: lambda r: "Nhiệm vụ",
        TaskAssignment: lambda r: f"Cơ quan {r.get_role_display().lower()}: {labels.related(Agency, r.agency_id)}",
        ProgressReport: lambda r: f"Báo cáo tiến độ #{r.id}",
        Assessment: lambda r: f"Đánh giá báo cáo #{r.report_id}",
        ExtensionRequest: lambda r: f"Đề xuất gia hạn #{r.id}",
    }
    entries: list[AuditEntry] = []
    for model, records in _task_history_queries().items():
        found = records(task_id=task.pk)
        m2m = _m2m_rows(model, task.pk) if found else {}
        entries.extend(_entries(model, found, subjects[model], labels, m2m=m2m))
    entries.sort(key=lambda e: e.at)
    return entries


# ---------------------------------------------------------------------------------------------------------------------
# A focal point's own work ("/my/")
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class WorklistGroup:
    key: str
    title: str
    hint: str
    tasks: list = field(default_factory=list)
    total: int = 0


@dataclass
class Worklist:
    agencies: list
    groups: list[WorklistGroup]
    total: int  # tasks of the agencies (lead or partner), whatever their state


WORKLIST_LIMIT = 100


def agency_worklist(user, *, today: dt.date, limit: int = WORKLIST_LIMIT) -> Worklist:
    """The tasks of the user's organisations (and their units) — lead or partner — in the groups a focal point works
    through: overdue and due soon (``Timing``), awaiting their report (a report date, one-off or periodic, within
    the reminder window or passed, and no report of theirs waiting for assessment) and returned for more (their
    latest report was answered "yêu cầu bổ sung" and nothing newer was sent). A task may be in several groups.

    Each group lists at most ``limit`` tasks (soonest first) and counts them all."""
    from django.db.models import Exists, F, OuterRef, Q, Subquery

    from nq57.agencies.models import Agency
    from nq57.monitoring.roles import FOCAL_POINT
    from nq57.reports.models import ProgressReport, ReportState
    from nq57.tasks.models import AssignmentRole, TaskStatus

    scope = access.agency_scope_ids(user)
    if not scope:
        return Worklist(agencies=[], groups=[], total=0)
    agencies = list(Agency.objects.filter(pk__in=user.organisation_ids(FOCAL_POINT)).order_by("name"))
    mine = Task.objects.filter(Exists(TaskAssignment.objects.filter(
        task=OuterRef("pk"), agency_id__in=scope, role__in=[AssignmentRole.LEAD, AssignmentRole.COORDINATING])))
    not_done = Q(status__in=[TaskStatus.OPEN, TaskStatus.PARTLY_DONE])
    horizon = today + dt.timedelta(days=settings.DUE_SOON_DAYS)
    their_reports = ProgressReport.objects.filter(task=OuterRef("pk"), agency_id__in=scope)
    pending = Exists(their_reports.filter(state=ReportState.SUBMITTED))
    latest_state = Subquery(their_reports.order_by("-submitted_at", "-id").values("state")[:1])
    report_asked = (Q(next_report_due__isnull=False, next_report_due__lte=horizon)
                    | Q(report_due__isnull=False, report_due__lte=horizon) & ~Exists(their_reports))
    definitions = [
        ("overdue", "Quá hạn", "Chưa hoàn thành và đã quá hạn (hạn hoàn thành hoặc kỳ báo cáo).",
         mine.filter(Timing.condition(Timing.OPEN_OVERDUE, today=today)), ("deadline_due", "next_report_due")),
        ("due_soon", "Sắp đến hạn", f"Hạn hoàn thành trong {settings.DUE_SOON_DAYS} ngày tới.",
         mine.filter(Timing.condition(Timing.DUE_SOON, today=today)), ("deadline_due",)),
        ("awaiting_report", "Chờ cơ quan báo cáo",
         f"Đến kỳ báo cáo (hoặc sắp đến, trong {settings.DUE_SOON_DAYS} ngày) mà cơ quan chưa gửi báo cáo.",
         mine.filter(not_done & report_asked).exclude(pending), ("next_report_due", "report_due")),
        ("returned", "Được yêu cầu bổ sung",
         "Báo cáo gần nhất của cơ quan được Cơ quan Thường trực yêu cầu bổ sung.",
         mine.filter(not_done).annotate(latest_state=latest_state).filter(latest_state=ReportState.NEEDS_MORE),
         ("deadline_due",)),
    ]
    groups = []
    for key, title, hint, queryset, order in definitions:
        ordered = (queryset.select_related("notice").prefetch_related(
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("agency").order_by("role", "id")))
            .order_by(*(F(name).asc(nulls_last=True) for name in order), "id"))
        groups.append(WorklistGroup(key=key, title=title, hint=hint, tasks=list(ordered[:limit]),
                                    total=queryset.count()))
    return Worklist(agencies=agencies, groups=groups, total=mine.count())


# the line migration 0011 writes into the spans' insert trigger, naming the zone of its local days
OVERDUE_SPAN_ZONE_MARKER = "-- overdue_span zone: {zone}\n"


def overdue_spans_follow_zone() -> bool:
    """Whether ``OverdueSpan``'s triggers count local days in the current TIME_ZONE (the zone the migration found;
    on SQLite only a zone without daylight saving can be followed). Read from the trigger's own text in the
    database catalogue, so it holds for whatever database the triggers are in. When it is False, readers count from
    the tasks instead (the same answer, slower)."""
    if connection.vendor == "postgresql":
        sql = "SELECT prosrc FROM pg_proc WHERE proname = 'tasks_span_task_ins'"
    else:
        sql = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'tasks_span_task_ins'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row is not None and OVERDUE_SPAN_ZONE_MARKER.format(zone=settings.TIME_ZONE) in row[0]
