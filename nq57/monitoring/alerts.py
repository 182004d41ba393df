"""Deadline alerts: the daily scan (overdue events, overdue notices, reminders), the weekly digest per agency, the
escalation list for the weekly briefing, and in-app notifications.

Idempotent by construction: every message is first CLAIMED by inserting a ``Dispatch`` row guarded by a unique
constraint (task, recipient, kind, due date, step), committed on its own, and only then sent. A second scan, a
restarted worker or two workers racing each other hit the constraint and skip: a message is sent at most once.

Huey jobs (``monitoring/tasks.py``) only call these functions; tests call them directly.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import Rank
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nq57.accounts import selectors as people
from nq57.accounts.models import User
from nq57.agencies.models import Agency
from nq57.core.events import publish
from nq57.monitoring.models import Dispatch, DispatchKind, Notification, NotificationKind
from nq57.monitoring.roles import FOCAL_POINT
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
from nq57.tasks.models import AssignmentRole, Task, TaskAssignment, TaskStatus, Timing

log = logging.getLogger(__name__)

OVERDUE_LOOKBACK_DAYS = 14  # a worker that was down this long still sends the overdue notices it missed
DIGEST_DUE_DAYS = 14


# --- notifications ---------------------------------------------------------------------------------------------

def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def notify(*, recipient: User, kind: str, template: str, context: dict, task: Task | None = None,
           url: str = "") -> Notification:
    """One message to one user: an in-app notification, and an email (subject, text and HTML templates) when the
    user has an address."""
    context = {**context, "recipient": recipient, "site_url": settings.SITE_URL.rstrip("/"), "url": absolute_url(url)}
    subject = " ".join(render_to_string(f"monitoring/emails/{template}-subject.txt", context).split())
    text = render_to_string(f"monitoring/emails/{template}-body.txt", context)
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, task=task, title=subject[:300], body=text.strip(), url=url,
        created_at=timezone.now(),
    )
    if recipient.email:
        html = render_to_string(f"monitoring/emails/{template}-body.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        message.attach_alternative(html, "text/html")
        message.send()
    return notification


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; another user's notification is simply not found."""
    return bool(Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- claims ----------------------------------------------------------------------------------------------------

def claim(*, kind: str, due_on: dt.date, task: Task | None = None, recipient: User | None = None,
          step: int = 0) -> Dispatch | None:
    """Insert the dispatch row, or return None when someone already did. Commits on its own (outside a surrounding
    transaction it is autocommit), so the claim is visible to other workers before anything is sent."""
    try:
        with transaction.atomic():
            return Dispatch.objects.create(kind=kind, due_on=due_on, task=task, recipient=recipient, step=step,
                                           claimed_at=timezone.now())
    except IntegrityError:
        return None


def _send_claimed(dispatch: Dispatch, send: Callable[[], object]) -> bool:
    """Send what was claimed; a failure is recorded on the claim and NOT retried (at most once)."""
    try:
        send()
    except Exception as exc:  # a broken mail server must not stop the scan
        log.exception("dispatch %s failed", dispatch.pk)
        Dispatch.objects.filter(pk=dispatch.pk).update(error=repr(exc)[:500])
        return False
    Dispatch.objects.filter(pk=dispatch.pk).update(sent_at=timezone.now())
    return True


def lead_focal_points(task_ids: Iterable[int]) -> dict[int, list[User]]:
    """The focal points (active members with role focal_point) of each task's lead agencies, in three queries."""
    leads: dict[int, set[int]] = {}
    for task_id, agency_id in TaskAssignment.objects.filter(task_id__in=list(task_ids), role=AssignmentRole.LEAD) \
            .values_list("task_id", "agency_id"):
        leads.setdefault(task_id, set()).add(agency_id)
    agency_ids = {a for ids in leads.values() for a in ids}
    by_agency = people.people_by_organisation(agency_ids, roles=(FOCAL_POINT,))
    return {task_id: [u for a in sorted(agencies) for u in by_agency.get(a, [])] for task_id, agencies in leads.items()}


def _existing(kind: str, task_ids: list[int]) -> set[tuple]:
    return set(Dispatch.objects.filter(kind=kind, task_id__in=task_ids)
               .values_list("task_id", "recipient_id", "due_on", "step"))


# --- daily scan ------------------------------------------------------------------------------------------------

@dataclass
class ScanResult:
    overdue_events: int = 0
    overdue_notices: int = 0
    reminders: int = 0
    sent: list[tuple[str, int, int | None, dt.date, int]] = field(default_factory=list)


def reminder_step(*, days_left: int, steps: Iterable[int]) -> int | None:
    """Which reminder is due: with steps 7, 3, 1 a task due in 5 days gets the 7-day one (caught up if the worker
    missed it), due in 2 days the 3-day one; nothing before 7 days or on/after the due date."""
    eligible = [s for s in steps if s >= days_left]
    if days_left < 1 or not eligible:
        return None
    return min(eligible)


def _open_tasks():
    return Task.objects.exclude(status=TaskStatus.DONE).select_related("notice")


def overdue_candidates(*, today: dt.date, lookback: int = OVERDUE_LOOKBACK_DAYS) -> list[tuple[Task, dt.date]]:
    """Open tasks whose deadline or periodic report fell due in the last ``lookback`` days and were not processed
    yet (no overdue event claimed for that due date). Each (task, missed date) is processed once."""
    start = today - dt.timedelta(days=lookback)
    found: dict[tuple[int, dt.date], Task] = {}
    for task in _open_tasks().filter(Q(deadline_due__gte=start, deadline_due__lt=today)
                                     | Q(next_report_due__gte=start, next_report_due__lt=today)):
        for due in (task.deadline_due, task.next_report_due):
            if due and start <= due < today:
                found.setdefault((task.pk, due), task)
    # one indexed range read of the claims in the window (kind, due_on), not a list of ids
    done = set(Dispatch.objects.filter(kind=DispatchKind.OVERDUE_EVENT, due_on__gte=start, due_on__lt=today)
               .values_list("task_id", "due_on"))
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
    sent_before = _existing(DispatchKind.OVERDUE, [t.pk for t, _ in candidates])
    for task, due in candidates:
        late = (today - due).days
        what = "deadline" if due == task.deadline_due else "report"
        for user in recipients.get(task.pk, []):
            if (task.pk, user.pk, due, 0) in sent_before:
                continue
            dispatch = claim(kind=DispatchKind.OVERDUE, due_on=due, task=task, recipient=user)
            if dispatch is None:
                continue
            context = {"task": task, "due": due, "days_late": late, "what": what}
            if _send_claimed(dispatch, lambda u=user, c=context, t=task: notify(
                    recipient=u, kind=NotificationKind.OVERDUE, template="overdue", context=c, task=t,
                    url=task_url(t.pk))):
                result.overdue_notices += 1
                result.sent.append((DispatchKind.OVERDUE, task.pk, user.pk, due, 0))
        event = claim(kind=DispatchKind.OVERDUE_EVENT, due_on=due, task=task)
        if event is not None and _send_claimed(event, lambda t=task, d=due, n=late, w=what: publish(
                "task.overdue", task_id=t.pk, due_on=d.isoformat(), days_late=n, missed=w)):
            result.overdue_events += 1


def reminders_process(*, today: dt.date, candidates: list[tuple[Task, dt.date, int]], result: ScanResult) -> None:
    recipients = lead_focal_points(t.pk for t, _, _ in candidates)
    sent_before = _existing(DispatchKind.REMINDER, [t.pk for t, _, _ in candidates])
    for task, due, step in candidates:
        what = "deadline" if due == task.deadline_due else "report"
        for user in recipients.get(task.pk, []):
            if (task.pk, user.pk, due, step) in sent_before:
                continue
            dispatch = claim(kind=DispatchKind.REMINDER, due_on=due, task=task, recipient=user, step=step)
            if dispatch is None:
                continue
            context = {"task": task, "due": due, "days_left": (due - today).days, "what": what}
            if _send_claimed(dispatch, lambda u=user, c=context, t=task: notify(
                    recipient=u, kind=NotificationKind.REMINDER, template="reminder", context=c, task=t,
                    url=task_url(t.pk))):
                result.reminders += 1
                result.sent.append((DispatchKind.REMINDER, task.pk, user.pk, due, step))


def daily_scan(*, today: dt.date | None = None) -> ScanResult:
    """The daily job: publish ``task.overdue`` and send overdue notices for tasks that became overdue, and send the
    7/3/1-day reminders (``REMINDER_DAYS_BEFORE``) to the lead agencies' focal points. Safe to run any number of
    times, concurrently too."""
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


def escalation_list(*, today: dt.date, limit: int | None = ESCALATION_ITEMS) -> list[dict]:
    """Late tasks grouped by lead agency with days late — the list for the weekly briefing ("kiểm điểm nhiệm vụ chậm
    muộn"). Agencies with the most late tasks first; within one, the latest first. Each group has its ``count`` and
    ``max_days_late`` over all its late tasks, and ``items``: the first ``limit`` of them (all with ``None``).

    Four queries whatever the number of late tasks: the counts per agency, the first ``limit`` tasks of each agency
    (a window function ranks them by missed date), their texts and their lead agencies."""
    late = _late_roots(today)
    since = late_since_expr(today=today, prefix="task__")
    lead_of_late = TaskAssignment.objects.filter(role=AssignmentRole.LEAD, task__in=late.values("pk"))
    groups: dict[int, dict] = {}
    for row in (lead_of_late.values("agency_id", "agency__name")
                .annotate(n=Count("task_id"), first_since=Min(since)).order_by()):
        groups[row["agency_id"]] = {
            "agency_id": row["agency_id"], "agency": row["agency__name"], "items": [], "count": row["n"],
            "max_days_late": (today - row["first_since"]).days,
            "url": task_list_url(agency=row["agency_id"], role="lead", timing=Timing.OPEN_OVERDUE)}
    if not groups:
        return []

    picked = lead_of_late
    if limit is not None:
        # RANK gives tied dates the same rank, so "rank <= limit" keeps every task tied with the limit-th one; the
        # exact order (days late, then label) is settled below. The window reads narrow rows only; the texts of
        # the picked tasks come next.
        picked = picked.annotate(since=since, rank=Window(Rank(), partition_by=[F("agency_id")],
                                                           order_by=[F("since").asc()])).filter(rank__lte=limit)
    pairs = list(picked.values_list("agency_id", "task_id").order_by())
    task_ids = {task_id for _, task_id in pairs}
    tasks = {row[0]: row[1:] for row in Task.objects.filter(pk__in=task_ids).values_list(
        "id", "path", "notice__number", "text", "deadline_due", "next_report_due")}
    rows = [(agency_id, task_id, *tasks[task_id]) for agency_id, task_id in pairs]
    leads: dict[int, list[tuple[int, str]]] = {}
    for task_id, agency_id, name in (TaskAssignment.objects.filter(role=AssignmentRole.LEAD, task_id__in=task_ids)
                                     .values_list("task_id", "agency_id", "agency__name").order_by("id")):
        leads.setdefault(task_id, []).append((agency_id, name))
    url = task_url_maker()
    items: dict[int, LateTask] = {}
    for agency_id, pk, path, number, text, deadline_due, next_report_due in rows:
        item = items.get(pk)
        if item is None:
            due = deadline_due if deadline_due and deadline_due < today else next_report_due
            agencies = leads.get(pk, [])
            item = items[pk] = LateTask(
                task_id=pk, label=label_of(path, number, pk), text=text, lead_agencies=[n for _, n in agencies],
                lead_agency_ids=[a for a, _ in agencies], due=due, days_late=(today - due).days, url=url(pk))
        groups[agency_id]["items"].append(item)
    result = []
    for group in groups.values():
        group["items"].sort(key=lambda item: (-item.days_late, item.label))
        if limit is not None:
            del group["items"][limit:]
        result.append(group)
    result.sort(key=lambda g: (-g["count"], -g["max_days_late"], g["agency"]))
    return result


def escalation_total(*, today: dt.date) -> int:
    """How many different tasks the escalation list holds (a task led by two agencies is listed under both)."""
    return _late_roots(today).filter(
        Exists(TaskAssignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD))).count()


def escalation_send(*, today: dt.date) -> int:
    """Send this week's escalation list to the Standing Office (once per user per week)."""
    groups = escalation_list(today=today)
    if not groups:
        return 0
    period = week_start(today)
    total = escalation_total(today=today)
    sent = 0
    for user in people.office_staff():
        dispatch = claim(kind=DispatchKind.ESCALATION, due_on=period, recipient=user)
        if dispatch is None:
            continue
        context = {"groups": groups, "today": today, "total": total, "period": period}
        if _send_claimed(dispatch, lambda u=user, c=context: notify(
                recipient=u, kind=NotificationKind.ESCALATION, template="escalation", context=c,
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
    by_agency = people.people_by_organisation(roles=(FOCAL_POINT,))
    agencies = Agency.objects.in_bulk(by_agency)
    pairs = [(agency_id, user) for agency_id in sorted(by_agency) for user in by_agency[agency_id]]
    already = set(Dispatch.objects.filter(kind=DispatchKind.DIGEST, due_on=period).values_list("recipient_id",
                                                                                                flat=True))
    digests: dict[int, dict] = {}
    sent = 0
    for agency_id, user in pairs:
        if user.pk in already:
            continue
        if agency_id not in digests:
            digests[agency_id] = agency_digest(agency_id=agency_id, today=today)
        digest = digests[agency_id]
        if not (digest["counts"]["open"] or digest["counts"]["done_last_week"]):
            continue
        dispatch = claim(kind=DispatchKind.DIGEST, due_on=period, recipient=user)
        if dispatch is None:
            continue
        context = {**digest, "agency": agencies[agency_id], "today": today, "period": period}
        if _send_claimed(dispatch, lambda u=user, c=context: notify(
                recipient=u, kind=NotificationKind.DIGEST, template="digest", context=c, url=c["list_url"])):
            sent += 1
    return sent
