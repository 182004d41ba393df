"""Deadline alerts: the daily scan (overdue events, overdue notices, reminders), the weekly digest per agency, the
escalation list for the weekly briefing, and in-app notifications.

Exactly once in effect: every message is first CLAIMED (``notifications.claim``: a ``Dispatch`` row under a unique
constraint (target, recipient, kind, due date, step), committed on its own), then sent and confirmed. A second scan
or two workers racing each other hit the constraint and skip; a claim never confirmed (the worker was killed) is
taken over by one later scan after ``NOTIFY_CLAIM_TIMEOUT_MINUTES``.

Huey jobs (``monitoring/tasks.py``) only call these functions; tests call them directly.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from nq57.accounts.models import User
from nq57.agencies.models import Agency
from nq57.agencies.naming import display_name
from nq57.core.compiled import compiled_query
from nq57.core.events import publish
from nq57.monitoring.escalation import escalation_sections
from nq57.monitoring.models import Dispatch, Notification, NotificationPreference
from nq57.monitoring.notifications import (  # noqa: F401 - notify, claim, reminder_step are used through alerts too
    claim,
    email_opted_out,
    notify,
    register_kind,
    remind_before,
    reminder_step,
    send_claimed,
    sent_keys,
    settled_q,
)
from nq57.monitoring.recipients import agency_focal_points, all_focal_points, office_members
from nq57.monitoring.services import (
    LateTask,
    label_of,
    late_since_expr,
    late_task_rows,
    overdue_q,
    task_list_url,
    task_url,
    task_url_maker,
)
from nq57.notices.models import Notice
from nq57.tasks.models import AssignmentRole, Task, TaskAssignment, TaskStatus, Timing

log = logging.getLogger(__name__)

OVERDUE_LOOKBACK_DAYS = 14  # a worker that was down this long still sends the overdue notices it missed
DIGEST_DUE_DAYS = 14


# --- the kinds this app sends (other apps register theirs in their own module) ---------------------------------

TASK_REMINDER = register_kind("task.reminder", label="Nhắc hạn").name
TASK_OVERDUE = register_kind("task.overdue", label="Quá hạn").name
TASK_OVERDUE_EVENT = register_kind("task.overdue_event", label="Sự kiện quá hạn").name
DIGEST = register_kind("monitoring.digest", label="Tổng hợp hằng tuần", digest=True).name
ESCALATION = register_kind("monitoring.escalation", label="Danh sách chậm muộn").name


DAILY_KINDS = {TASK_REMINDER, TASK_OVERDUE, TASK_OVERDUE_EVENT}
WEEKLY_KINDS = {DIGEST, ESCALATION}


def stale_claim_kinds() -> set[str]:
    """The kinds that have claims a worker took but never confirmed, past the timeout (one indexed query)."""
    return set(Dispatch.objects.filter(sent_at__isnull=True).exclude(settled_q())
               .values_list("kind", flat=True).distinct())


# --- notifications ---------------------------------------------------------------------------------------------

@compiled_query
def _unread(*, recipient_id: int):
    """The number of unread notifications of one account (no row when none), compiled once per process: every page
    of the staff side shows it in the menu."""
    return (Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True).values("recipient_id")
            .annotate(n=Count("*")).values_list("n", flat=True).order_by())


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return next(iter(_unread(recipient_id=user.pk)), 0)


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; another user's notification is simply not found."""
    return bool(Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def lead_focal_points(task_ids: Iterable[int]) -> dict[int, list[User]]:
    """The focal points of each task's lead agencies, in two queries."""
    return task_focal_points(task_ids, roles=[AssignmentRole.LEAD])


def task_focal_points(task_ids: Iterable[int], *, roles: Iterable[str] | None = None,
                      agency_ids: Iterable[int] | None = None) -> dict[int, list[User]]:
    """The focal points of each task's agencies (only ``roles``, only ``agency_ids`` when given), in two queries."""
    assignments = TaskAssignment.objects.filter(task_id__in=list(task_ids))
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    if agency_ids is not None:
        assignments = assignments.filter(agency_id__in=list(agency_ids))
    agencies_of: dict[int, set[int]] = {}
    for task_id, agency_id in assignments.values_list("task_id", "agency_id"):
        agencies_of.setdefault(task_id, set()).add(agency_id)
    by_agency = agency_focal_points(a for ids in agencies_of.values() for a in ids)
    return {task_id: [u for a in sorted(agencies) for u in by_agency.get(a, [])]
            for task_id, agencies in agencies_of.items()}


def _existing(kind: str, task_ids: list[int]) -> set[tuple]:
    return sent_keys(kind=kind, model=Task, object_ids=task_ids)


# --- daily scan ------------------------------------------------------------------------------------------------

@dataclass
class ScanResult:
    overdue_events: int = 0
    overdue_notices: int = 0
    reminders: int = 0
    sent: list[tuple[str, int, int | None, dt.date, int]] = field(default_factory=list)


def _open_tasks():
    return Task.objects.exclude(status=TaskStatus.DONE).select_related("notice")


def overdue_candidates(*, today: dt.date, lookback: int = OVERDUE_LOOKBACK_DAYS) -> list[tuple[Task, dt.date]]:
    """Open tasks whose deadline or periodic report fell due in the last ``lookback`` days and were not processed
    yet (no settled overdue-event claim for that due date). Each (task, missed date) is processed once; one whose
    claim was never confirmed (a killed worker) comes back after the claim timeout."""
    start = today - dt.timedelta(days=lookback)
    found: dict[tuple[int, dt.date], Task] = {}
    for task in _open_tasks().filter(Q(deadline_due__gte=start, deadline_due__lt=today)
                                     | Q(next_report_due__gte=start, next_report_due__lt=today)):
        for due in (task.deadline_due, task.next_report_due):
            if due and start <= due < today:
                found.setdefault((task.pk, due), task)
    # one indexed range read of the claims in the window (kind, due_on), not a list of ids
    done = set(Dispatch.objects.filter(settled_q(), kind=TASK_OVERDUE_EVENT, due_on__gte=start, due_on__lt=today)
               .values_list("object_id", "due_on"))
    return [(task, due) for (pk, due), task in found.items() if (pk, due) not in done]


def reminder_candidates(*, today: dt.date, steps: Iterable[int] | None = None) -> list[tuple[Task, dt.date, int]]:
    """Open tasks whose deadline (or next periodic report) is 1..max(steps) days away, with the step due today."""
    steps = sorted(settings.REMINDER_DAYS_BEFORE if steps is None else steps)
    if not steps:
        return []
    end = today + dt.timedelta(days=max(steps))
    found = []
    for task in _open_tasks().filter(Q(deadline_due__gt=today, deadline_due__lte=end)
                                     | Q(next_report_due__gt=today, next_report_due__lte=end)):
        for due in {task.deadline_due, task.next_report_due}:
            if due and today < due <= end:
                step = reminder_step(days_left=(due - today).days, steps=steps)
                if step is not None:
                    found.append((task, due, step))
    return found


def overdue_process(*, today: dt.date, candidates: list[tuple[Task, dt.date]], result: ScanResult) -> None:
    """Notify the lead agency's focal points, then claim the task's overdue event and publish ``task.overdue``.

    The event claim comes last: it marks the (task, missed date) as processed, so a scan that crashed half-way
    finishes the job next time without sending anything twice."""
    recipients = lead_focal_points(t.pk for t, _ in candidates)
    sent_before = _existing(TASK_OVERDUE, [t.pk for t, _ in candidates])
    opted_out = email_opted_out({u.pk for users in recipients.values() for u in users})
    for task, due in candidates:
        late = (today - due).days
        what = "deadline" if due == task.deadline_due else "report"
        for user in recipients.get(task.pk, []):
            if (task.pk, user.pk, due, 0) in sent_before:
                continue
            dispatch = claim(kind=TASK_OVERDUE, due_on=due, target=task, recipient=user)
            if dispatch is None:
                continue
            context = {"task": task, "due": due, "days_late": late, "what": what}
            if send_claimed(dispatch, lambda u=user, c=context, t=task, d=dispatch: notify(
                    recipient=u, kind=TASK_OVERDUE, template="overdue", context=c, target=t, dispatch=d,
                    url=task_url(t.pk), email=u.pk not in opted_out)):
                result.overdue_notices += 1
                result.sent.append((TASK_OVERDUE, task.pk, user.pk, due, 0))
        event = claim(kind=TASK_OVERDUE_EVENT, due_on=due, target=task)
        if event is not None and send_claimed(event, lambda t=task, d=due, n=late, w=what: publish(
                "task.overdue", task_id=t.pk, due_on=d.isoformat(), days_late=n, missed=w)):
            result.overdue_events += 1


def reminders_process(*, today: dt.date, candidates: list[tuple[Task, dt.date, int]], result: ScanResult) -> None:
    """The 7/3/1-day reminders of the candidates, through the generic ``remind_before`` any app can use."""
    tasks = {task.pk: task for task, _, _ in candidates}
    dues: dict[int, set[dt.date]] = {}
    for task, due, _ in candidates:
        dues.setdefault(task.pk, set()).add(due)
    recipients = lead_focal_points(tasks)
    sent = remind_before(
        kind=TASK_REMINDER, objects=tasks.values(), due_on=lambda t: dues[t.pk],
        recipients=lambda t: recipients.get(t.pk, []), template="reminder", today=today,
        context=lambda t, due, days_left: {"task": t, "what": "deadline" if due == t.deadline_due else "report"},
        url=lambda t: task_url(t.pk))
    for reminder in sent:
        result.reminders += 1
        result.sent.append((TASK_REMINDER, reminder.target.pk, reminder.recipient.pk, reminder.due_on,
                            reminder.step))


def daily_scan(*, today: dt.date | None = None) -> ScanResult:
    """The daily job: publish ``task.overdue`` and send overdue notices for tasks that became overdue, and send the
    7/3/1-day reminders (``REMINDER_DAYS_BEFORE``) to the lead agencies' focal points. Safe to run any number of
    times, concurrently too; a run after a crash re-sends what was claimed but never confirmed, once."""
    today = today or timezone.localdate()
    result = ScanResult()
    overdue_process(today=today, candidates=overdue_candidates(today=today), result=result)
    reminders_process(today=today, candidates=reminder_candidates(today=today), result=result)
    return result


# --- weekly digest and escalation list -------------------------------------------------------------------------

def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


ESCALATION_ITEMS = 50  # late tasks listed per agency on the escalation page and in its email


def _late_roots(today: dt.date):
    return Task.objects.filter(parent__isnull=True).filter(overdue_q(today=today))


def escalation(*, today: dt.date, limit: int | None = ESCALATION_ITEMS) -> tuple[list[dict], int]:
    """``(escalation_list(...), escalation_total(...))`` from one read: the page and the email need both.

    Three queries whatever the number of late tasks: every (lead agency, late task, missed date) pair — narrow rows
    driven from the overdue tasks' index, counted, ranked and cut to ``limit`` per agency here —, the names of the
    agencies, and the texts of the tasks listed."""
    pairs_qs = (
        Task.objects.filter(overdue_q(today=today), parent__isnull=True, assignments__role=AssignmentRole.LEAD)
        .values_list("assignments__agency_id", "id", late_since_expr(today=today), "assignments__id").order_by())
    # tens of thousands of narrow rows: read raw, without Django's per-row converters (SQLite returns the missed
    # dates as ISO strings, which sort like dates; only the dates of the tasks listed are parsed)
    sql, params = pairs_qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = cursor.fetchall()
    if not pairs:
        return [], 0
    by_agency: dict[int, list] = defaultdict(list)
    for agency_id, task_id, since, _ in pairs:
        by_agency[agency_id].append((since, task_id))
    names = {pk: display_name(name, short) for pk, name, short in
             Agency.objects.filter(pk__in=by_agency).values_list("id", "name", "short_name")}
    picked: dict[int, list[int]] = {}
    groups: dict[int, dict] = {}
    for agency_id, late in by_agency.items():
        late.sort()
        if limit is not None:
            # every task tied with the limit-th one on its missed date; the exact order (days late, then label)
            # is settled below, once the labels are known
            cutoff = late[min(limit, len(late)) - 1][0] if limit > 0 else None
            chosen = [task_id for since, task_id in late if cutoff is not None and since <= cutoff]
        else:
            chosen = [task_id for _, task_id in late]
        picked[agency_id] = chosen
        groups[agency_id] = {
            "agency_id": agency_id, "agency": names.get(agency_id, ""), "items": [], "count": len(late),
            "max_days_late": (today - _as_date(late[0][0])).days,
            "url": task_list_url(agency=agency_id, role="lead", timing=Timing.OPEN_OVERDUE)}
    wanted = {task_id for chosen in picked.values() for task_id in chosen}
    since_of, leads = {}, defaultdict(list)
    for agency_id, task_id, since, assignment_id in pairs:
        if task_id in wanted:
            since_of[task_id] = since
            leads[task_id].append((assignment_id, agency_id))
    # the task rows by primary key, their notices' numbers apart (a join made SQLite scan notices for each one)
    # (in chunks: with ``limit=None`` every late task is listed, more than SQLite's bound on query parameters)
    ordered = sorted(wanted)
    tasks = {pk: (path, notice_id, text) for start in range(0, len(ordered), 5000)
             for pk, path, notice_id, text in Task.objects.filter(pk__in=ordered[start:start + 5000])
             .values_list("id", "path", "notice_id", "text").order_by()}
    numbers = dict(Notice.objects.filter(pk__in={row[1] for row in tasks.values()}).values_list("id", "number"))
    url = task_url_maker()
    items: dict[int, LateTask] = {}
    for task_id in wanted:
        path, notice_id, text = tasks[task_id]
        due = _as_date(since_of[task_id])
        agencies = [agency_id for _, agency_id in sorted(leads[task_id])]
        items[task_id] = LateTask(
            task_id=task_id, label=label_of(path, numbers.get(notice_id, ""), task_id), text=text,
            lead_agencies=[names.get(a, "") for a in agencies], lead_agency_ids=agencies, due=due,
            days_late=(today - due).days, url=url(task_id))
    result = []
    for agency_id, group in groups.items():
        group["items"] = sorted((items[task_id] for task_id in picked[agency_id]),
                                key=lambda item: (-item.days_late, item.label))
        if limit is not None:
            del group["items"][limit:]
        result.append(group)
    result.sort(key=lambda g: (-g["count"], -g["max_days_late"], g["agency"]))
    return result, len({task_id for _, task_id, _, _ in pairs})


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def escalation_list(*, today: dt.date, limit: int | None = ESCALATION_ITEMS) -> list[dict]:
    """Late tasks grouped by lead agency with days late — the list for the weekly briefing ("kiểm điểm nhiệm vụ chậm
    muộn"). Agencies with the most late tasks first; within one, the latest first. Each group has its ``count`` and
    ``max_days_late`` over all its late tasks, and ``items``: the first ``limit`` of them (all with ``None``).
    See ``escalation``."""
    return escalation(today=today, limit=limit)[0]


def escalation_total(*, today: dt.date) -> int:
    """How many different tasks the escalation list holds (a task led by two agencies is listed under both)."""
    return _late_roots(today).filter(
        Exists(TaskAssignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD))).count()


def escalation_send(*, today: dt.date) -> int:
    """Send this week's escalation list to the Standing Office (once per user per week)."""
    groups, total = escalation(today=today)
    sections = escalation_sections(today=today)
    if not groups and not sections:
        return 0
    period = week_start(today)
    sent = 0
    for user in office_members():
        dispatch = claim(kind=ESCALATION, due_on=period, recipient=user)
        if dispatch is None:
            continue
        context = {"groups": groups, "today": today, "total": total, "period": period, "sections": sections}
        if send_claimed(dispatch, lambda u=user, c=context, d=dispatch: notify(
                recipient=u, kind=ESCALATION, template="escalation", context=c, dispatch=d,
                url=reverse("monitoring:escalation"))):
            sent += 1
    return sent


def agency_digest(*, agency_id: int, today: dt.date, due_days: int = DIGEST_DUE_DAYS) -> dict:
    """What one agency's focal points read on Monday: its lead tasks that are overdue, due in the next two weeks,
    and those completed last week."""
    tasks = Task.objects.filter(assignments__agency_id=agency_id, assignments__role=AssignmentRole.LEAD)
    timed = tasks.with_timing(today=today)
    counts = timed.aggregate(
        open=Count("id", filter=~Q(status=TaskStatus.DONE)),
        overdue=Count("id", filter=Q(timing=Timing.OPEN_OVERDUE)),
        due_soon=Count("id", filter=~Q(status=TaskStatus.DONE) & Q(deadline_due__gte=today,
                                                                      deadline_due__lte=today + dt.timedelta(
                                                                          days=due_days))),
        done_last_week=Count("id", filter=Q(status=TaskStatus.DONE, completed_on__gte=today - dt.timedelta(days=7),
                                            completed_on__lt=today)),
    )
    overdue = sorted(late_task_rows(tasks, today=today), key=lambda item: (item.due, item.task_id))[:20]
    upcoming = list(tasks.exclude(status=TaskStatus.DONE).filter(
        deadline_due__gte=today, deadline_due__lte=today + dt.timedelta(days=due_days))
        .select_related("notice").order_by("deadline_due", "id")[:20])
    return {"counts": counts, "overdue": overdue, "upcoming": upcoming, "due_days": due_days,
            "list_url": task_list_url(agency=agency_id, role="lead")}


def weekly_digest(*, today: dt.date) -> int:
    """One digest per focal point for the week of ``today`` (meant for Mondays; idempotent per week)."""
    period = week_start(today)
    by_agency = all_focal_points()
    agencies = Agency.objects.in_bulk(by_agency)
    pairs = [(agency_id, user) for agency_id in sorted(by_agency) for user in by_agency[agency_id]]
    opted_out = set(NotificationPreference.objects.filter(weekly_digest=False).values_list("user_id", flat=True))
    already = set(Dispatch.objects.filter(settled_q(), kind=DIGEST, due_on=period).values_list("recipient_id",
                                                                                              flat=True))
    digests: dict[int, dict] = {}
    sent = 0
    for agency_id, user in pairs:
        if user.pk in already or user.pk in opted_out:
            continue
        if agency_id not in digests:
            digests[agency_id] = agency_digest(agency_id=agency_id, today=today)
        digest = digests[agency_id]
        if not (digest["counts"]["open"] or digest["counts"]["done_last_week"]):
            continue
        dispatch = claim(kind=DIGEST, due_on=period, recipient=user)
        if dispatch is None:
            continue
        context = {**digest, "agency": agencies[agency_id], "today": today, "period": period}
        if send_claimed(dispatch, lambda u=user, c=context, d=dispatch: notify(
                recipient=u, kind=DIGEST, template="digest", context=c, url=c["list_url"], dispatch=d)):
            sent += 1
    return sent
