"""Every write to tasks goes through these functions: they check permissions, validate, save, audit and record
the task's timeline in one transaction."""

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from nq57.agencies.models import Agency
from nq57.core import access, limits
from nq57.core.audit import acting, history_bulk_insert, history_user
from nq57.core.bulk import create_instances, insert_rows
from nq57.core.errors import ConflictError, Problems, ServiceError
from nq57.core.events import publish
from nq57.tasks import fields
from nq57.tasks.models import (
    AssignmentRole,
    DeadlineKind,
    ReportCadence,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskEventKind,
    TaskStatus,
)
from nq57.taxonomy.models import Theme
from nq57.taxonomy.selectors import themes_for_text

CADENCE_MONTHS = {
    ReportCadence.MONTHLY: 1,
    ReportCadence.QUARTERLY: 3,
    ReportCadence.SEMIANNUAL: 6,
    ReportCadence.YEARLY: 12,
}


def period_end(*, cadence: str, day: dt.date) -> dt.date:
    """Last day of the reporting period of ``cadence`` that contains ``day`` (calendar months, quarters, halves)."""
    if cadence == ReportCadence.WEEKLY:
        return day + dt.timedelta(days=6 - day.weekday())
    months = CADENCE_MONTHS[cadence]
    last_month = ((day.month - 1) // months + 1) * months
    return dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def next_report_due_after(*, cadence: str, reported_on: dt.date) -> dt.date:
    """A report received on ``reported_on`` covers its period; the next one is owed by the end of the next period."""
    return period_end(cadence=cadence, day=period_end(cadence=cadence, day=reported_on) + dt.timedelta(days=1))


def event_record(*, task: Task, kind: str, actor, summary: str, details: dict | None = None, at=None) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task, kind=kind, actor=actor, summary=summary[:1000], details=details or {}, at=at or timezone.now()
    )


# The choices' values as sets, built once: ``Choices.values`` builds a list on every access (bulk imports check
# hundreds of thousands of values).
_STATUSES, _DEADLINE_KINDS, _CADENCES = (frozenset(choices.values) for choices in (TaskStatus, DeadlineKind,
                                                                                   ReportCadence))


def _validate_deadline(*, kind: str, due: dt.date | None, problems: Problems | None = None) -> None:
    own = Problems() if problems is None else problems
    if kind not in _DEADLINE_KINDS:
        own.add("deadline_kind", "Loại thời hạn không hợp lệ.")
    elif kind in {DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR} and due is None:
        own.add("deadline_due", "Thời hạn loại này cần có ngày hoàn thành.")
    elif kind in {DeadlineKind.RECURRING, DeadlineKind.ROADMAP, DeadlineKind.NONE} and due is not None:
        own.add("deadline_due", "Nhiệm vụ thường xuyên, theo lộ trình hoặc không nêu thời hạn thì không có ngày hạn.")
    if problems is None:
        own.raise_if_any()


def text_problems(problems: Problems, *, text: str | None = None, section: str | None = None,
                  deadline_text: str | None = None, report_text: str | None = None) -> None:
    """The length limits of a task's free-text fields (``core.limits``); None: not being written."""
    for name, value, limit in (("text", text, limits.TASK_TEXT), ("section", section, limits.SECTION),
                               ("deadline_text", deadline_text, limits.SECTION),
                               ("report_text", report_text, limits.SECTION)):
        if value is not None:
            limits.check(problems, name, fields.label(name), value, limit)


def task_values_check(*, text: str, lead, deadline_kind: str, deadline_due, report_cadence: str = "",
                      section: str | None = None, deadline_text: str | None = None,
                      report_text: str | None = None) -> str:
    """The rules a new task's values follow (``task_create`` and ``tasks_bulk_create``), every problem at once;
    returns the text stripped."""
    text = (text or "").strip()
    problems = Problems()
    if not text:
        problems.add("text", "Nội dung nhiệm vụ không được để trống.")
    text_problems(problems, text=text, section=section, deadline_text=deadline_text, report_text=report_text)
    if not lead:
        problems.add("lead", "Nhiệm vụ cần có ít nhất một cơ quan chủ trì.")
    _validate_deadline(kind=deadline_kind, due=deadline_due, problems=problems)
    if report_cadence and report_cadence not in _CADENCES:
        problems.add("report_cadence", "Chế độ báo cáo không hợp lệ.")
    problems.raise_if_any()
    return text


@acting
@transaction.atomic
def task_create(
    *,
    notice,
    text: str,
    lead: Sequence[Agency],
    coordinating: Sequence[Agency] = (),
    actor,
    parent: Task | None = None,
    path: str = "",
    position: int | None = None,
    section: str = "",
    coordinating_others: bool = False,
    deadline_kind: str = DeadlineKind.NONE,
    deadline_due: dt.date | None = None,
    deadline_text: str = "",
    report_cadence: str = "",
    report_due: dt.date | None = None,
    report_text: str = "",
    assigned_names: dict[int, str] | None = None,
    themes: Sequence[Theme] | None = None,
    created_at=None,
) -> Task:
    if parent is None:
        access.require(access.can_create_tasks(actor), "Chỉ Cơ quan Thường trực được giao nhiệm vụ mới.")
    elif not access.is_system(actor):
        access.check_task(actor, parent, "subtask")
    person = None if access.is_system(actor) else actor  # the timeline names a person, or nobody for the platform
    text = task_values_check(text=text, lead=lead, deadline_kind=deadline_kind, deadline_due=deadline_due,
                             report_cadence=report_cadence, section=section, deadline_text=deadline_text,
                             report_text=report_text)
    if position is None:
        position = (notice.tasks.filter(parent=parent).count() + 1) if notice.pk else 1
    next_report_due = None
    if report_cadence:
        start = notice.issued_on if notice.issued_on else timezone.localdate()
        next_report_due = period_end(cadence=report_cadence, day=start)
    task = Task.objects.create(
        notice=notice,
        parent=parent,
        path=path,
        position=position,
        section=section,
        text=text,
        coordinating_others=coordinating_others,
        deadline_kind=deadline_kind,
        deadline_due=deadline_due,
        original_deadline_due=deadline_due,
        deadline_text=deadline_text,
        report_cadence=report_cadence,
        report_due=report_due,
        report_text=report_text,
        next_report_due=next_report_due,
    )
    if created_at is not None:  # back-dated records (demo data, imports of old notices); auto_now_add ignores it
        Task.objects.filter(pk=task.pk).update(created_at=created_at)
        task.created_at = created_at
    names = assigned_names or {}
    seen = set()
    rows = []
    for role, agencies in ((AssignmentRole.LEAD, lead), (AssignmentRole.COORDINATING, coordinating)):
        for agency in agencies:
            current = agency.current()
            if (current.pk, role) in seen:
                continue
            seen.add((current.pk, role))
            rows.append(
                TaskAssignment(task=task, agency=current, role=role, assigned_name=names.get(agency.pk, agency.name))
            )
    # with their history rows, so a later change (a merge, a new lead) has a "before" to show
    bulk_create_with_history(rows, TaskAssignment, default_user=history_user())
    task.themes.set(themes if themes is not None else themes_for_text(f"{section} {text}"))
    event_record(
        task=task,
        kind=TaskEventKind.CREATED if parent is None else TaskEventKind.SUBTASK_ADDED,
        actor=person,
        summary="Nhiệm vụ được tạo từ " + (f"thông báo {notice}" if parent is None else f"nhiệm vụ {parent}"),
        at=created_at,
    )
    publish("task.created", task_id=task.pk, notice_id=notice.pk, parent_id=parent.pk if parent else None)
    if parent is not None:
        event_record(task=parent, kind=TaskEventKind.SUBTASK_ADDED, actor=person,
                     summary=f"Thêm nhiệm vụ con: {text[:200]}", details={"subtask_id": task.pk}, at=created_at)
    return task


@acting
@transaction.atomic
def subtask_create(
    *, parent: Task, actor, text: str, lead: Agency, deadline_due: dt.date | None, deadline_text: str = "",
    deadline_reason: str = "",
) -> Task:
    """A lead agency breaks its task into sub-tasks for itself or its own units, to any depth.

    A sub-task is due by its parent's deadline — except when that deadline has passed or an extension of it is
    being requested: then the sub-task may be given a later deadline (rather than be born overdue), with a reason
    (``deadline_reason``) that is written on both timelines. The rules live in ``subtask_rules_check``."""
    access.check_task(actor, parent, "subtask")
    deadline_reason = (deadline_reason or "").strip()
    problems = Problems()
    later = subtask_problems(problems, parent=parent, actor=actor, text=text, lead=lead, deadline_due=deadline_due,
                             deadline_text=deadline_text, deadline_reason=deadline_reason)
    problems.raise_if_any()
    subtask = task_create(
        notice=parent.notice,
        parent=parent,
        text=text,
        lead=[lead],
        actor=actor,
        path=f"{parent.path}.{parent.subtasks.count() + 1}" if parent.path else "",
        section=parent.section,
        deadline_kind=DeadlineKind.DATE if deadline_due else DeadlineKind.NONE,
        deadline_due=deadline_due,
        deadline_text=deadline_text or (f"trước ngày {deadline_due:%d/%m/%Y}" if deadline_due else ""),
        themes=list(parent.themes.all()),
    )
    if later:
        summary = (f"Hạn của nhiệm vụ con {deadline_due:%d/%m/%Y} sau hạn của nhiệm vụ cha "
                   f"({parent.deadline_due:%d/%m/%Y}). Lý do: {deadline_reason}")
        details = {"subtask_id": subtask.pk, "due": deadline_due.isoformat(),
                   "parent_due": parent.deadline_due.isoformat(), "reason": deadline_reason}
        for task in (subtask, parent):
            event_record(task=task, kind=TaskEventKind.DEADLINE_SCHEDULED, actor=actor, summary=summary[:1000],
                         details=details)
    progress_rollup(task=parent)  # a new sub-task at 0% counts in its parent's mean at once
    return subtask


def subtask_problems(problems: Problems, *, parent: Task, actor, text: str | None, lead: Agency | None,
                     deadline_due: dt.date | None, deadline_text: str | None = "",
                     deadline_reason: str | None = "") -> bool:
    """Every problem of a new sub-task at once (added to ``problems``); returns whether its deadline is later than
    the parent's. A value the form could not read is None."""
    if not (text or "").strip():
        problems.add("text", "Nội dung nhiệm vụ con không được để trống.")
    text_problems(problems, text=(text or "").strip(), deadline_text=deadline_text or "")
    limits.check(problems, "deadline_reason", "Lý do", (deadline_reason or "").strip(), limits.SUBTASK_REASON)
    if lead is None:
        problems.add("lead", "Hãy chọn đơn vị chủ trì.")
    return subtask_rules_check(parent=parent, actor=actor, agencies={"lead": [lead] if lead else []},
                               deadline_due=deadline_due, deadline_reason=(deadline_reason or "").strip(),
                               reason_required=True, problems=problems)


def subtask_may_end_later(parent: Task, *, today: dt.date | None = None, pending=None) -> bool:
    """Whether a sub-task of ``parent`` may be due after the parent: its deadline has passed, or an extension of it
    is being requested (so that a sub-task is not born overdue). The task page prints the same answer, passing
    ``pending``: the parent's pending extension request it has read (``False``: it has none)."""
    if parent.deadline_due is None:
        return False
    if parent.deadline_due < (today or timezone.localdate()):
        return True
    if pending is not None:
        return bool(pending)
    return parent.extension_requests.filter(state="pending").exists()


def subtask_deadline_hint(parent: Task, *, today: dt.date | None = None, pending=None) -> tuple[str, dt.date | None]:
    """What the sub-task form says about the deadline, and the date it proposes: the parent's deadline while it is
    ahead; once it has passed, no date (the parent's would make the sub-task overdue at birth) or the date an
    extension asks for. ``pending``: as for ``subtask_may_end_later``."""
    today = today or timezone.localdate()
    due = parent.deadline_due
    if due is None:
        return "", None
    if not subtask_may_end_later(parent, today=today, pending=pending):
        return f"Hạn không được sau {due:%d/%m/%Y} (hạn của nhiệm vụ cha).", due
    if pending is None:
        pending = parent.extension_requests.filter(state="pending").order_by("-requested_at").first()
    why = (f"hạn của nhiệm vụ cha ({due:%d/%m/%Y}) đã qua" if due < today
           else f"hạn của nhiệm vụ cha ({due:%d/%m/%Y}) đang được đề xuất gia hạn")
    proposed = pending.requested_due if pending else None
    return (f"Vì {why}, có thể đặt hạn muộn hơn cho nhiệm vụ con; khi đó hãy ghi lý do (được ghi vào diễn biến).",
            proposed)


def subtask_rules_check(*, parent: Task, actor, agencies: dict[str, Iterable[Agency]],
                        deadline_due: dt.date | None, deadline_reason: str = "", reason_required: bool = False,
                        problems: Problems | None = None) -> bool:
    """The rules a sub-task obeys whoever writes it, when it is created and at every later edit (web form, API,
    exchange): a focal point gives it only to its own agency or that agency's units (*agencies*: the agencies being
    given the sub-task, by role key ``lead``/``coordinating``); its deadline is not after the parent's, unless the
    parent's deadline has passed or its extension is being requested (then, on creation, with a reason).
    Returns whether the deadline is later than the parent's. With ``problems`` every broken rule is added to it;
    without, the first one is raised."""
    own = Problems() if problems is None else problems
    if not actor.is_office:
        allowed = access.agency_scope_ids(actor)
        for field, given in agencies.items():
            if any(agency.pk not in allowed for agency in given):
                own.add(field, "Chỉ được giao nhiệm vụ con cho chính cơ quan mình hoặc đơn vị trực thuộc.")
    later = bool(deadline_due and parent.deadline_due and deadline_due > parent.deadline_due)
    if later:
        if not subtask_may_end_later(parent):
            own.add("deadline_due",
                    f"Hạn của nhiệm vụ con không được sau hạn của nhiệm vụ cha ({parent.deadline_due:%d/%m/%Y}); chỉ "
                    "được đặt hạn muộn hơn khi hạn của nhiệm vụ cha đã qua hoặc đang được đề xuất gia hạn.")
        elif reason_required and not deadline_reason:
            own.add("deadline_reason",
                    f"Hạn của nhiệm vụ con sau hạn của nhiệm vụ cha ({parent.deadline_due:%d/%m/%Y}): hãy ghi lý do.")
    if problems is None:
        own.raise_if_any()
    return later


def task_version_bump(*, task: Task, expected_version: int | None) -> None:
    """Conditional UPDATE: the write only lands if nobody changed the task since ``expected_version`` was read.

    Without an expected version (a system change) the version still moves on, so stale forms are refused later.
    """
    query = Task.objects.filter(pk=task.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if not query.update(version=F("version") + 1):
        raise ConflictError(
            "Nhiệm vụ vừa được người khác cập nhật. Vui lòng tải lại trang để xem thay đổi rồi thực hiện lại."
        )
    task.version = Task.objects.filter(pk=task.pk).values_list("version", flat=True).get()


EDITABLE_FIELDS = fields.EDITABLE


def task_update_problems(*, task: Task, actor, changes: dict, before: dict | None = None) -> dict[str, list[str]]:
    """Every problem of an edit at once, by field, judged on the task as it would be after ``changes`` (values the
    form could not read are left out or None). ``before``: the stored values when ``task`` already carries them."""
    before = before or {name: getattr(task, name) for name in EDITABLE_FIELDS}

    def after(name):
        return changes[name] if name in changes else getattr(task, name)

    problems = Problems()
    if not (after("text") or "").strip():
        problems.add("text", "Nội dung nhiệm vụ không được để trống.")
    text_problems(problems, **{name: changes[name] for name in ("text", "section", "deadline_text", "report_text")
                               if changes.get(name) is not None})
    if after("deadline_kind") is not None:
        _validate_deadline(kind=after("deadline_kind"), due=after("deadline_due"), problems=problems)
    if "lead" in changes and not list(changes["lead"] or []):
        problems.add("lead", "Nhiệm vụ cần có ít nhất một cơ quan chủ trì.")
    if task.parent_id is not None:
        given = {}
        for role_key, role in (("lead", AssignmentRole.LEAD), ("coordinating", AssignmentRole.COORDINATING)):
            if changes.get(role_key):
                existing = set(task.assignments.filter(role=role).values_list("agency_id", flat=True))
                given[role_key] = [agency for agency in changes[role_key] if agency.pk not in existing]
        due = after("deadline_due")
        changed_due = due if due != before["deadline_due"] else None
        subtask_rules_check(parent=task.parent, actor=actor, agencies=given, deadline_due=changed_due,
                            problems=problems)
    return problems.errors


@acting
@transaction.atomic
def task_update(*, task: Task, actor, expected_version: int | None, **changes) -> Task:
    access.check_task(actor, task, "edit")
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"themes", "lead", "coordinating"}
    if unknown:
        raise ServiceError(f"Không thể sửa trường: {', '.join(sorted(unknown))}.")
    task_version_bump(task=task, expected_version=expected_version)
    before = {name: getattr(task, name) for name in EDITABLE_FIELDS}
    agencies_before = _assigned_names(task)
    themes_before = sorted(task.themes.values_list("name", flat=True))
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(task, name, changes[name])
    problems = task_update_problems(task=task, actor=actor, changes=changes, before=before)
    if problems:
        raise ServiceError.of(problems)
    if "deadline_due" in changes and before["deadline_due"] is None and task.original_deadline_due is None:
        task.original_deadline_due = task.deadline_due
    task.save()
    if "themes" in changes:
        task.themes.set(changes["themes"])
    for role_key, role in (("lead", AssignmentRole.LEAD), ("coordinating", AssignmentRole.COORDINATING)):
        if role_key in changes:
            agencies = list(changes[role_key])
            if role == AssignmentRole.LEAD and not agencies:
                raise ServiceError("Nhiệm vụ cần có ít nhất một cơ quan chủ trì.", field="lead")
            task.assignments.filter(role=role).exclude(agency__in=agencies).delete()  # each removal is audited
            existing = set(task.assignments.filter(role=role).values_list("agency_id", flat=True))
            for agency in agencies:
                if agency.pk not in existing:
                    TaskAssignment.objects.create(task=task, agency=agency, role=role, assigned_name=agency.name)
                    publish("task.assigned", task_id=task.pk, agency_id=agency.pk, role=role)
    changed = {
        name: [_plain(before[name]), _plain(getattr(task, name))]
        for name in EDITABLE_FIELDS
        if before[name] != getattr(task, name)
    }
    agencies_after = _assigned_names(task)
    for role_key in ("lead", "coordinating"):
        if agencies_before[role_key] != agencies_after[role_key]:
            changed[role_key] = [agencies_before[role_key], agencies_after[role_key]]
    themes_after = sorted(task.themes.values_list("name", flat=True))
    if themes_before != themes_after:
        changed["themes"] = [themes_before, themes_after]
    if changed:
        labels = [_CHANGE_LABELS.get(n) or str(Task._meta.get_field(n).verbose_name) for n in changed]
        event_record(task=task, kind=TaskEventKind.EDITED, actor=actor,
                     summary="Sửa nhiệm vụ: " + ", ".join(labels), details={"changes": changed})
    return task


_CHANGE_LABELS = {"lead": "cơ quan chủ trì", "coordinating": "cơ quan phối hợp", "themes": "chủ đề"}


def _assigned_names(task: Task) -> dict[str, list[str]]:
    names = {"lead": [], "coordinating": []}
    for role, name in task.assignments.order_by("role", "id").values_list("role", "agency__name"):
        names["lead" if role == AssignmentRole.LEAD else "coordinating"].append(name)
    return names


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@acting
@transaction.atomic
def task_set_status(
    *, task: Task, actor, status: str, progress: int | None = None, completed_on: dt.date | None = None,
    expected_version: int | None = None, reason: str = "", at=None,
) -> Task:
    access.check_task(actor, task, "status")
    problems = Problems()
    if status not in _STATUSES:
        problems.add("status", "Tình trạng không hợp lệ.")
    elif status == TaskStatus.DONE and task.is_recurring:
        problems.add("status", "Nhiệm vụ thường xuyên không bao giờ được đóng; hãy ghi nhận báo cáo định kỳ.")
    limits.check(problems, "reason", "Lý do", reason, limits.STATUS_REASON)
    problems.raise_if_any()
    task_version_bump(task=task, expected_version=expected_version)
    old_status, old_progress = task.status, task.progress
    task.status = status
    if progress is not None:
        task.progress = progress
    if status == TaskStatus.DONE:
        task.progress = 100
        task.completed_on = completed_on or timezone.localdate()
    else:
        task.completed_on = None
    task.save(update_fields=["status", "progress", "completed_on", "updated_at"])
    if old_status != status:
        event_record(
            task=task, kind=TaskEventKind.STATUS_CHANGED, actor=actor, at=at,
            summary=f"Tình trạng: {TaskStatus(old_status).label} → {TaskStatus(status).label}"
            + (f" ({reason})" if reason else ""),
            details={"from": old_status, "to": status, "progress": [old_progress, task.progress]},
        )
        publish("task.status_changed", task_id=task.pk, old_status=old_status, new_status=status)
    progress_rollup(task=task)  # its own sub-tasks set its progress, then its parents follow
    return task


PROGRESS_RULE = ("Tiến độ của nhiệm vụ có nhiệm vụ con là trung bình tiến độ các nhiệm vụ con trực tiếp (làm tròn "
                 "đến 1%); nhiệm vụ đã hoàn thành là 100%.")


def rollup_progress_value(*, status: str, subtask_progress: list[int], own: int) -> int:
    """``PROGRESS_RULE`` for one task: done → 100; with sub-tasks → their mean, rounded half up; else its own."""
    if status == TaskStatus.DONE:
        return 100
    if not subtask_progress:
        return own
    return int(sum(subtask_progress) / len(subtask_progress) + 0.5)


def progress_rollup(*, task: Task) -> None:
    """Apply ``PROGRESS_RULE`` to ``task`` and then to each parent up to the root."""
    node = task
    while node is not None:
        node.refresh_from_db(fields=["progress", "status"])
        value = rollup_progress_value(status=node.status, own=node.progress,
                                      subtask_progress=list(node.subtasks.values_list("progress", flat=True)))
        if value != node.progress:
            node.progress = value
            node.save(update_fields=["progress", "updated_at"])  # a save, so the audit history records it
        node = node.parent


@acting
@transaction.atomic
def task_schedule_event(*, task: Task, actor, due: dt.date) -> Task:
    """An event deadline ("tại Kỳ họp thứ 10") gets its date once the event is scheduled."""
    access.check_task(actor, task, "schedule")
    if task.deadline_kind != DeadlineKind.EVENT:
        raise ServiceError("Chỉ nhiệm vụ có thời hạn theo sự kiện mới được ấn định ngày.", field="deadline_due")
    task_version_bump(task=task, expected_version=None)
    task.deadline_due = due
    if task.original_deadline_due is None:
        task.original_deadline_due = due
    task.save(update_fields=["deadline_due", "original_deadline_due", "updated_at"])
    event_record(task=task, kind=TaskEventKind.DEADLINE_SCHEDULED, actor=actor,
                 summary=f"Ấn định thời hạn “{task.deadline_text}”: {due:%d/%m/%Y}")
    return task


@acting
@transaction.atomic
def tasks_bulk_create(*, specs: Sequence[dict], actor, reason: str = "", positions: dict | None = None) -> list[Task]:
    """``task_create`` (then ``task_set_status`` when a spec carries a status) for many tasks in a few statements:
    the same rules (``task_values_check``), positions, audit history (tasks and assignments), themes and timeline
    events, written with bulk inserts — an import writes thousands of tasks a second this way.

    Each spec holds ``task_create``'s keyword arguments (``notice``, ``text``, ``lead``, ...; a ``parent`` must
    already exist) and optionally ``status``, ``progress``, ``completed_on``. ``positions`` caches the last position
    per (notice, parent) across calls. Domain events are left to the caller (one per import chunk, not per task:
    an import of 100,000 tasks is not 100,000 notifications)."""
    from nq57.tasks.models import task_search_key

    if not specs:
        return []
    positions = {} if positions is None else positions
    today = timezone.localdate()
    all_themes = list(Theme.objects.all())
    tasks = []
    for spec in specs:
        notice, parent = spec["notice"], spec.get("parent")
        text = task_values_check(text=spec["text"], lead=spec["lead"], deadline_kind=spec.get("deadline_kind", "none"),
                                 deadline_due=spec.get("deadline_due"), report_cadence=spec.get("report_cadence", ""))
        status = spec.get("status") or TaskStatus.OPEN
        if status not in _STATUSES:
            raise ServiceError("Tình trạng không hợp lệ.", field="status")
        if status == TaskStatus.DONE and spec.get("deadline_kind") == DeadlineKind.RECURRING:
            raise ServiceError("Nhiệm vụ thường xuyên không bao giờ được đóng; hãy ghi nhận báo cáo định kỳ.",
                               field="status")
        key = (notice.pk, parent.pk if parent else None)
        if key not in positions:
            positions[key] = Task.objects.filter(notice_id=key[0], parent_id=key[1]).count()
        positions[key] += 1
        cadence = spec.get("report_cadence", "")
        path = spec.get("path", "")
        task = Task(
            notice=notice, parent=parent, path=path, position=spec.get("position") or positions[key],
            section=spec.get("section", ""), text=text, coordinating_others=spec.get("coordinating_others", False),
            deadline_kind=spec.get("deadline_kind", DeadlineKind.NONE), deadline_due=spec.get("deadline_due"),
            original_deadline_due=spec.get("deadline_due"), deadline_text=spec.get("deadline_text", ""),
            report_cadence=cadence, report_due=spec.get("report_due"), report_text=spec.get("report_text", ""),
            next_report_due=period_end(cadence=cadence, day=notice.issued_on or today) if cadence else None,
            status=status, progress=100 if status == TaskStatus.DONE else int(spec.get("progress") or 0),
            completed_on=(spec.get("completed_on") or today) if status == TaskStatus.DONE else None,
            search_key=task_search_key(text, path),
        )
        task.spec = spec
        tasks.append(task)
    create_instances(Task, tasks)
    history_bulk_insert(Task, [task.pk for task in tasks], reason=reason or None)
    # the rows below are written as plain tuples (``core.bulk.insert_rows``): nobody reads their ids back, and an
    # import of 100,000 tasks writes about a million of their values
    assignments, theme_links, events = [], [], []
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    for task in tasks:
        spec = task.spec
        names = spec.get("assigned_names") or {}
        seen = set()
        for role, agencies in ((AssignmentRole.LEAD, spec["lead"]), (AssignmentRole.COORDINATING,
                                                                     spec.get("coordinating", ()))):
            for agency in agencies:
                current = agency.current()
                if (current.pk, role) not in seen:
                    seen.add((current.pk, role))
                    assignments.append((task.pk, current.pk, role, names.get(agency.pk, agency.name), task.status,
                                        task.parent_id, task.deadline_due))
        themes = spec.get("themes")
        themes = themes if themes is not None else themes_for_text(f"{task.section} {task.text}", all_themes)
        theme_links.extend((task.pk, theme.pk) for theme in themes)
        parent = task.parent
        source = f"thông báo {task.notice}" if parent is None else f"nhiệm vụ {parent}"
        events.append((task.pk, TaskEventKind.CREATED if parent is None else TaskEventKind.SUBTASK_ADDED, actor_id,
                       now, f"Nhiệm vụ được tạo từ {source}"[:1000], {}))
        if parent is not None:
            events.append((parent.pk, TaskEventKind.SUBTASK_ADDED, actor_id, now,
                           f"Thêm nhiệm vụ con: {task.text[:200]}", {"subtask_id": task.pk}))
        if task.status != TaskStatus.OPEN:
            events.append((task.pk, TaskEventKind.STATUS_CHANGED, actor_id, now,
                           f"Tình trạng: {TaskStatus.OPEN.label} → {TaskStatus(task.status).label}"
                           + (f" ({reason})" if reason else ""),
                           {"from": TaskStatus.OPEN.value, "to": task.status, "progress": [0, task.progress]}))
    # with the copies of the task's columns as the triggers would write them (they check, and write nothing)
    insert_rows(TaskAssignment, ("task_id", "agency_id", "role", "assigned_name", "task_status", "task_parent_id",
                                 "task_deadline_due"), assignments)
    history_bulk_insert(TaskAssignment, [task.pk for task in tasks], by="task_id")
    insert_rows(Task.themes.through, ("task_id", "theme_id"), theme_links)
    insert_rows(TaskEvent, ("task_id", "kind", "actor_id", "at", "summary", "details"), events)
    for parent in {t.parent for t in tasks if t.parent is not None}:
        progress_rollup(task=parent)
    for task in tasks:
        del task.spec
    return tasks
