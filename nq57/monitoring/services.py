"""Monitoring: the overview numbers, dashboard series, consolidated reports and their snapshots.

Everything here reads through aggregate queries (a fixed number per call, never one per task) and counts the same
way as the task list at ``/tasks/``: top-level tasks only, an agency's tasks are those it leads, the timing class is
``Task.objects.with_timing`` (one rule, computed in the database).

The daily scan, reminders, digests and notifications live in ``nq57.monitoring.alerts``.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import cache

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from nq57.accounts.models import User
from nq57.agencies.models import Agency
from nq57.agencies.naming import display_name
from nq57.core import badges
from nq57.core.columns import defer_unshown
from nq57.core.compiled import compiled_query
from nq57.core.dbfunctions import IdIn, WeekIndex
from nq57.core.links import pk_url
from nq57.monitoring.models import ReportSnapshot, ReportSnapshotEntry
from nq57.notices.models import Notice
from nq57.reports.models import ExtensionRequest, ExtensionState, ProgressReport, ReportState
from nq57.tasks.models import (
    AssignmentRole,
    OnTimeRate,
    OverdueSpan,
    TallyKind,
    Task,
    TaskAssignment,
    TaskStatus,
    TaskTally,
    Timing,
    day_number,
)
from nq57.tasks.selectors import overdue_spans_follow_zone, tally_sums
from nq57.taxonomy.models import Theme

OVERVIEW_DUE_DAYS = 14
STATUS_ORDER = (TaskStatus.DONE, TaskStatus.PARTLY_DONE, TaskStatus.OPEN)
TIMING_ORDER = (Timing.DONE_ON_TIME, Timing.DONE_LATE, Timing.OPEN_IN_TIME, Timing.DUE_SOON, Timing.OPEN_OVERDUE)


# --- links to the task list ------------------------------------------------------------------------------------

def task_list_url(**params) -> str:
    """The task list filtered by ``params``: the tasks app's one rule (``tasks.pages.filter_link``)."""
    from nq57.tasks.pages import filter_link

    return filter_link(**params)


def task_url_maker():
    """A function id -> task page URL (``core.links.pk_url``: the pattern is reversed once)."""
    return lambda task_id: pk_url("tasks:task_detail", task_id)


def task_url(task_id: int) -> str:
    return pk_url("tasks:task_detail", task_id)


def percent_vi(part: int, whole: int) -> str:
    """47,7% — one decimal, Vietnamese decimal comma."""
    if not whole:
        return "0%"
    value = f"{100 * part / whole:.1f}".replace(".", ",")
    return f"{value.removesuffix(',0')}%"


# --- timing helpers --------------------------------------------------------------------------------------------
# The rule itself lives in ``nq57.tasks.models.Timing`` (conditions, CASE, late-since and days-late expressions) and
# ``Task.timing`` / ``Task.late_since`` / ``Task.days_late`` (in memory). These names stay for the callers.

def late_since(*, task: Task, today: dt.date) -> dt.date | None:
    """``Task.late_since``: the due date or periodic report an open task missed, ``None`` when not overdue."""
    return task.late_since(today=today)


def days_late(*, task: Task, today: dt.date) -> int:
    """``Task.days_late`` (from the missed deadline or periodic report; for a task done late, to completion)."""
    return task.days_late(today=today)


def overdue_q(*, today: dt.date, prefix: str = "") -> Q:
    """``Timing.condition(Timing.OPEN_OVERDUE, ...)``: answered from the (status, deadline_due) and
    (status, next_report_due) indexes. ``prefix`` reaches the task through a relation ("task__")."""
    return Timing.condition(Timing.OPEN_OVERDUE, today=today, prefix=prefix)


def late_since_expr(*, today: dt.date, prefix: str = "") -> Case:
    """``Timing.late_since_expr``: the missed date of rows already known to be overdue (``overdue_q``)."""
    return Timing.late_since_expr(today=today, prefix=prefix)


def late_since_lte_q(*, today: dt.date, cutoff: dt.date, prefix: str = "") -> Q:
    """``late_since_expr(...) <= cutoff`` (with ``cutoff < today``) as plain, index-friendly conditions."""
    return Q(**{f"{prefix}deadline_due__lte": cutoff}) | (
        Q(**{f"{prefix}next_report_due__lte": cutoff})
        & (Q(**{f"{prefix}deadline_due__gte": today}) | Q(**{f"{prefix}deadline_due__isnull": True})))


def scoped_tasks(
    *, notice: Notice | None = None, agency: Agency | None = None, theme: Theme | None = None,
    date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet:
    """Top-level tasks in a report's scope, with the task list's semantics (agency = lead agency; dates bound the
    deadline, like ``due_from``/``due_to``)."""
    qs = Task.objects.filter(parent__isnull=True)
    if notice is not None:
        qs = qs.filter(notice=notice)
    if agency is not None:
        # "id IN (...)" rather than a correlated EXISTS: the agency's (theme's) task ids from their index, then the
        # tasks by primary key
        qs = qs.filter(id__in=TaskAssignment.objects.filter(agency=agency, role=AssignmentRole.LEAD).values("task_id"))
    if theme is not None:
        qs = qs.filter(id__in=Task.themes.through.objects.filter(theme_id=theme.pk).values("task_id"))
    if date_from is not None:
        qs = qs.filter(deadline_due__gte=date_from)
    if date_to is not None:
        qs = qs.filter(deadline_due__lte=date_to)
    return qs


def _scope_params(*, notice=None, agency=None, theme=None, date_from=None, date_to=None) -> dict:
    """The task-list parameters of a scope, to build links that show the same tasks."""
    return {
        "notice": notice.pk if notice else None,
        "agency": agency.pk if agency else None,
        "role": AssignmentRole.LEAD.value if agency else None,
        "theme": theme.code if theme else None,
        "due_from": date_from,
        "due_to": date_to,
    }


def _status_timing_counts(qs: QuerySet, *, today: dt.date) -> tuple[dict, dict, int]:
    """One grouped query: counts by status, by timing, and the number of not-done overdue tasks per status."""
    # COUNT(*), not COUNT(id): the timing index holds every column of the CASE but not the id, so PostgreSQL can
    # answer from the index alone (an index-only scan) instead of reading every wide task row
    rows = qs.with_timing(today=today).values("status", "timing").annotate(n=Count("*")).order_by()
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    by_timing = dict.fromkeys(TIMING_ORDER, 0)
    overdue_by_status = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_timing[row["timing"]] = by_timing.get(row["timing"], 0) + row["n"]
        if row["timing"] == Timing.OPEN_OVERDUE:
            overdue_by_status[row["status"]] += row["n"]
    return by_status, by_timing, overdue_by_status


def _all_status_timing_counts(*, today: dt.date) -> tuple[dict, dict, dict]:
    """``_status_timing_counts`` of every top-level task, from the tally (one query over a few thousand rows)."""
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    by_timing = dict.fromkeys(TIMING_ORDER, 0)
    overdue_by_status = dict.fromkeys(STATUS_ORDER, 0)
    for row in tally_sums(TallyKind.ALL, today=today, group=("status",)):
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["total"]
        for timing in TIMING_ORDER:
            by_timing[timing] += row[f"t_{timing}"]
        overdue_by_status[row["status"]] += row[f"t_{Timing.OPEN_OVERDUE}"]
    return by_status, by_timing, overdue_by_status


# --- overview --------------------------------------------------------------------------------------------------

@dataclass
class LinkedCount:
    label: str
    count: int
    url: str
    badge: str = ""


def overview(*, today: dt.date, due_days: int = OVERVIEW_DUE_DAYS, limit: int = 10) -> dict:
    """The numbers of the home page, each with the task-list link that shows exactly those tasks."""
    by_status, by_timing, _ = _all_status_timing_counts(today=today)
    statuses = [LinkedCount(TaskStatus(s).label, by_status[s], task_list_url(status=s), badges.css(s))
                for s in STATUS_ORDER]
    timings = [LinkedCount(Timing(t).label, by_timing[t], task_list_url(timing=t), badges.css(t))
               for t in TIMING_ORDER]

    due_to = today + dt.timedelta(days=due_days)
    due_counts = {status: n for status, n in _due_counts(today=today, due_to=due_to) if n}
    due_by_status = [
        LinkedCount(TaskStatus(s).label, due_counts.get(s, 0), task_list_url(status=s, due_from=today, due_to=due_to),
                    badges.css(s))
        for s in STATUS_ORDER
    ]
    due_tasks = _due_tasks(limit)(today=today, due_to=due_to)
    _attach_leads(due_tasks)

    # the lead agencies' tally rows of open tasks (the overdue condition on their dates), one agency name query
    overdue_counts = dict(_lead_overdue_counts(today=today))
    agencies = _agency_labels(ids=list(overdue_counts)) if overdue_counts else []
    overdue_by_agency = sorted((  # most overdue first, then by name (the database's collation, as before)
        {
            "agency_id": pk,
            "name": name,
            "short_name": display_name(name, short_name),
            "count": overdue_counts[pk],
            "url": task_list_url(agency=pk, role="lead", timing=Timing.OPEN_OVERDUE),
        }
        for pk, name, short_name in agencies
    ), key=lambda row: -row["count"])
    return {
        "today": today,
        "total": sum(by_status.values()),
        "total_url": task_list_url(),
        "statuses": statuses,
        "timings": timings,
        "due_days": due_days,
        "due_from": today,
        "due_to": due_to,
        "due_total": sum(due_counts.values()),
        "due_total_url": task_list_url(due_from=today, due_to=due_to),
        "due_by_status": due_by_status,
        "due_tasks": due_tasks,
        "overdue_by_agency": overdue_by_agency,
        "awaiting_count": next(iter(_awaiting_count()), 0),
        "awaiting": _awaiting(limit)(),
    }


# the overview's queries, compiled once per process (``core.compiled``): the same shape on every request


@compiled_query
def _due_counts(*, today: dt.date, due_to: dt.date):
    """Top-level tasks due from ``today`` to ``due_to``, per status, from the tally."""
    return (TaskTally.objects.filter(kind=TallyKind.ALL, deadline_due__gte=today, deadline_due__lte=due_to)
            .values_list("status").annotate(count=Sum("n")).order_by())


@cache
def _due_tasks(limit: int):
    @compiled_query
    def query(*, today: dt.date, due_to: dt.date):
        """The first ``limit`` not-done top-level tasks due from ``today`` to ``due_to``, soonest first."""
        return (Task.objects.filter(parent__isnull=True, deadline_due__gte=today, deadline_due__lte=due_to)
                .exclude(status=TaskStatus.DONE).select_related("notice").defer(*defer_unshown("notice", Notice))
                .order_by("deadline_due", "id")[:limit])
    return query


@compiled_query
def _lead_overdue_counts(*, today: dt.date):
    """(agency id, open overdue top-level tasks it leads), for the agencies that have some."""
    return (TaskTally.objects.filter(Timing.tally_conditions(today=today)[Timing.OPEN_OVERDUE], kind=TallyKind.LEAD)
            .values_list("agency_id").annotate(count=Sum("n")).filter(count__gt=0).order_by())


@compiled_query
def _awaiting_count():
    """How many reports wait for assessment (no row when none): counted from the (state, submitted) index."""
    return (ProgressReport.objects.filter(state=ReportState.SUBMITTED).values("state").annotate(n=Count("*"))
            .values_list("n", flat=True).order_by())


@cache
def _awaiting(limit: int):
    @compiled_query
    def query():
        """The ``limit`` reports last submitted that wait for assessment."""
        return (ProgressReport.objects.filter(state=ReportState.SUBMITTED)
                .select_related("task__notice", "agency", "author")
                .defer(*defer_unshown("task__notice", Notice), *defer_unshown("agency", Agency),
                       *defer_unshown("author", User))
                .order_by("-submitted_at")[:limit])
    return query


def _attach_leads(tasks: list[Task]) -> None:
    """Set ``task.lead_names`` for a page of tasks with one query."""
    leads: dict[int, list[str]] = {}
    for assignment in _lead_assignments(task_ids=[t.pk for t in tasks]) if tasks else ():
        leads.setdefault(assignment.task_id, []).append(assignment.agency.display_name)
    for task in tasks:
        task.lead_names = leads.get(task.pk, [])


@compiled_query
def _lead_assignments(*, task_ids: list[int]):
    return (TaskAssignment.objects.filter(IdIn("task_id", task_ids), role=AssignmentRole.LEAD)
            .select_related("agency").defer(*defer_unshown("agency", Agency)).order_by("id"))


@compiled_query
def _agency_labels(*, ids: list[int]):
    """(id, name, short name) of the agencies ``ids``, by name (the database's collation)."""
    return Agency.objects.filter(IdIn("pk", ids)).order_by("name").values_list("id", "name", "short_name")


# --- dashboard series (plotted in charts.py) --------------------------------------------------------------------


def agency_stats(*, today: dt.date) -> list[dict]:
    """Per lead agency: tasks by status, and done on time / done late / open overdue (``Timing.conditions``), with
    the agency's ``OnTimeRate`` under "on_time_rate". One grouped query over the lead agencies' tally rows (kept
    by triggers in each write's transaction; a task with two lead agencies counts for each), one for the names."""
    rows = [r for r in tally_sums(TallyKind.LEAD, today=today, group=("agency_id",),
                                  classes=(Timing.DONE_ON_TIME, Timing.DONE_LATE, Timing.OPEN_OVERDUE)) if r["total"]]
    names = {pk: (name, short_name) for pk, name, short_name in
             (_agency_labels(ids=[r["agency_id"] for r in rows]) if rows else ())}
    result = []
    for r in rows:
        on_time, done_late, overdue = (r[f"t_{Timing.DONE_ON_TIME}"], r[f"t_{Timing.DONE_LATE}"],
                                       r[f"t_{Timing.OPEN_OVERDUE}"])
        name, short_name = names[r["agency_id"]]
        result.append({"agency_id": r["agency_id"], "label": display_name(name, short_name), "name": name,
                       "total": r["total"], **{s: r[f"s_{s}"] for s in STATUS_ORDER},
                       "on_time": on_time, "done_late": done_late, "overdue": overdue,
                       "on_time_rate": OnTimeRate.of(done_on_time=on_time, done_late=done_late,
                                                     open_overdue=overdue)})
    return result


def status_by_agency(*, today: dt.date | None = None, stats: list[dict] | None = None, limit: int = 15) -> list[dict]:
    """Lead agencies with the most tasks, and their tasks by status."""
    stats = agency_stats(today=today or timezone.localdate()) if stats is None else stats
    return sorted(stats, key=lambda r: (-r["total"], r["name"]))[:limit]


def overdue_by_week(*, today: dt.date, weeks: int = 26) -> list[dict]:
    """Open overdue tasks at the end of each of the last ``weeks`` weeks (Sunday; the current week ends today), in
    one query, by ``Timing.overdue_on``: the condition the task list's ``overdue_on`` filter applies, so each bar
    links (``url``) to exactly the tasks it counts.

    (An extension moves ``deadline_due``, so past weeks are counted against today's deadline.)"""
    last_sunday = today + dt.timedelta(days=6 - today.weekday())
    ends = [min(last_sunday - dt.timedelta(weeks=i), today) for i in range(weeks - 1, -1, -1)]
    points = [{"week_end": end, "url": task_list_url(overdue_on=end)} for end in ends]
    # ``Timing.overdue_on(ends[i])`` holds from the first week end the task is due before and was created by to the
    # last one before its completion: two week indexes per task (or per span of tasks), the rows grouped by them (a
    # few hundred groups at 100,000 tasks) and every week's count summed here
    if overdue_spans_follow_zone():
        grouped = _overdue_span_weeks(ends)
    else:
        grouped = _overdue_task_weeks(ends, today=today)
        if grouped is None:  # a daylight-saving change inside the window: the conditions one by one
            counted = _overdue_candidates(ends).aggregate(**{f"w{i}": Count("id", filter=Timing.overdue_on(end))
                                                             for i, end in enumerate(ends)})
            return [{**point, "count": counted[f"w{i}"]} for i, point in enumerate(points)]
    changes = [0] * (len(ends) + 1)
    for from_week, until_week, n in grouped:
        if from_week < until_week:
            changes[from_week] += n
            changes[until_week] -= n
    running = 0
    for i, point in enumerate(points):
        running += changes[i]
        point["count"] = running
    return points


def _midnights(ends: list[dt.date]) -> list[dt.datetime]:
    """Each week end's "end of day": the next midnight (``Timing.overdue_on``)."""
    zone = timezone.get_current_timezone()
    return [dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone) for end in ends]


def _overdue_candidates(ends: list[dt.date]) -> QuerySet:
    """The tasks that can count in any week: due before the last week end, created by then and not done before the
    first one (a task done on or before its due date is never overdue: skipped too); saying "any status" lets SQLite
    read the timing index (which holds every column used here) instead of fetching rows through the due date's."""
    return Task.objects.filter(
        Q(completed_on__isnull=True) | (Q(completed_on__gt=ends[0]) & Q(completed_on__gt=F("deadline_due"))),
        parent__isnull=True, deadline_due__lt=ends[-1], created_at__lt=_midnights(ends)[-1],
        status__in=STATUS_ORDER,
    )


def _overdue_span_weeks(ends: list[dt.date]):
    """(first week index counted, first not counted, tasks) from the ``OverdueSpan`` rows (kept by triggers; a few
    thousand at 100,000 tasks): a span counts at a week end E when ``starts_on <= E < ends_on``; week end i is
    ``ends[0]`` + 7i days, the last one today."""
    first = day_number(ends[0])
    return _overdue_span_groups(first=first, last_day=day_number(ends[-1]), origin=first - 6, after_last=len(ends))


@compiled_query
def _overdue_span_groups(*, first: int, last_day: int, origin: int, after_last: int):
    """``_overdue_span_weeks``'s query (compiled once per process): the day numbers of the first and the last week
    end, the day numbering's origin for week indexes (``first`` - 6) and the index past the last week."""
    def first_end_on_or_after(column: str) -> Case:
        return Case(When(**{f"{column}__isnull": True}, then=Value(after_last)),
                    When(**{f"{column}__gt": last_day}, then=Value(after_last)),
                    When(**{f"{column}__lte": first}, then=Value(0)),
                    default=(F(column) - Value(origin)) / Value(7), output_field=IntegerField())

    return (OverdueSpan.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first), starts_on__lte=last_day)
            .annotate(from_week=first_end_on_or_after("starts_on"), until_week=first_end_on_or_after("ends_on"))
            .values_list("from_week", "until_week").annotate(n=Sum("n")).order_by())


def _overdue_task_weeks(ends: list[dt.date], *, today: dt.date):
    """The same groups read from the tasks, by week arithmetic on their dates (when the spans' triggers count days
    in another zone); None when the week ends' midnights are not whole weeks apart (daylight saving)."""
    midnights = _midnights(ends)
    if not _weekly(midnights):
        return None
    last = len(ends) - 1

    def clamped(index) -> Least:
        return Least(Greatest(index, Value(0)), Value(last))

    first_sunday = ends[0]
    return _overdue_candidates(ends).annotate(
        from_week=clamped(Greatest(WeekIndex("deadline_due", origin=first_sunday),
                                   WeekIndex("created_at", origin=midnights[0])) + 1),
        until_week=Case(  # the first week end on or after the completion (the task no longer counts from then)
            When(Q(completed_on__isnull=True) | Q(completed_on__gt=today), then=Value(last + 1)),
            default=clamped(WeekIndex("completed_on", origin=first_sunday - dt.timedelta(days=6))),
        ),
    ).values_list("from_week", "until_week").annotate(n=Count("*")).order_by()


def _weekly(midnights: list[dt.datetime]) -> bool:
    """The midnights are whole weeks apart in UTC (no daylight-saving change between them; Vietnam has none)."""
    # (in UTC: Python subtracts two datetimes of the same zone as wall-clock times)
    utc = [midnight.astimezone(dt.UTC) for midnight in midnights[:-1]]
    return all(b - a == dt.timedelta(weeks=1) for a, b in zip(utc, utc[1:], strict=False))


def _month_start(day: dt.date, offset: int) -> dt.date:
    index = day.month - 1 + offset
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


@compiled_query
def _due_day_tally(*, first: dt.date, last: dt.date):
    """The tally's rows of every top-level task due from ``first`` to ``last``, summed per due day and status."""
    return (TaskTally.objects.filter(kind=TallyKind.ALL, deadline_due__gte=first, deadline_due__lte=last)
            .values_list("deadline_due", "status").annotate(count=Sum("n")).order_by())


def deadlines_by_month(*, today: dt.date, months: int = 6) -> list[dict]:
    """Tasks due in the current and the coming months, by status (one query)."""
    spans = []
    for i in range(months):
        start = _month_start(today, i)
        spans.append((start, _month_start(today, i + 1) - dt.timedelta(days=1)))
    months_ = [{"start": a, "end": b, "label": f"{a.month:02d}/{a.year}", **dict.fromkeys(STATUS_ORDER, 0)}
               for a, b in spans]
    # the tally's rows of every top-level task, per due day and status (a few hundred), summed per month here
    for due, status, n in _due_day_tally(first=spans[0][0], last=spans[-1][1]):
        month = months_[(due.year - spans[0][0].year) * 12 + due.month - spans[0][0].month]
        month[status] = month.get(status, 0) + n
    return months_


@compiled_query
def _themes_by_name():
    return Theme.objects.order_by("name").values_list("id", "code", "name")


@compiled_query
def _theme_tally():
    """The themes' tally rows (kept by triggers on the theme links and the tasks), summed per theme and status."""
    return (TaskTally.objects.filter(kind=TallyKind.THEME).values_list("theme_id", "status")
            .annotate(count=Sum("n")).order_by())


def status_by_theme() -> list[dict]:
    """Every theme with its top-level tasks by status (one query)."""
    themes = [{"code": code, "label": name, "total": 0, **dict.fromkeys(STATUS_ORDER, 0), "_pk": pk}
              for pk, code, name in _themes_by_name()]
    by_pk = {t["_pk"]: t for t in themes}
    for theme_id, status, n in _theme_tally():
        theme = by_pk.get(theme_id)
        if theme is not None:
            theme[status] = theme.get(status, 0) + n
            theme["total"] += n
    for theme in themes:
        del theme["_pk"]
    return themes


def agency_ranking(*, today: dt.date, stats: list[dict] | None = None, limit: int = 20) -> list[dict]:
    """Lead agencies by ``OnTimeRate`` (done on time / tasks whose deadline has come). Agencies with nothing due yet
    are left out."""
    stats = agency_stats(today=today) if stats is None else stats
    ranking = []
    for r in stats:
        rate: OnTimeRate = r["on_time_rate"]
        if rate.due:
            ranking.append({"agency_id": r["agency_id"], "label": r["label"], "name": r["name"],
                            "on_time": rate.on_time, "due": rate.due, "rate": rate.rate})
    ranking.sort(key=lambda item: (-item["rate"], -item["due"], item["name"]))
    return ranking[:limit]


# --- consolidated report ---------------------------------------------------------------------------------------

@dataclass
class LateTask:
    task_id: int
    label: str
    text: str
    lead_agencies: list[str]
    lead_agency_ids: list[int]
    due: dt.date | None
    days_late: int
    url: str


@dataclass
class ExtensionItem:
    task_id: int
    label: str
    agency: str
    previous_due: dt.date | None
    new_due: dt.date
    decided_on: dt.date


@dataclass
class Change:
    task_id: int
    label: str
    change: str  # "new" | "done" | "overdue" | "status" | "back_in_time" | "removed"
    description: str


@dataclass
class TaskRow:
    task_id: int
    label: str
    text: str
    lead_agencies: list[str]
    coordinating_agencies: list[str]
    deadline_text: str
    due: dt.date | None
    status: str
    status_label: str
    timing: str
    timing_label: str
    days_late: int
    progress: int


@dataclass
class ConsolidatedReport:
    """A consolidated report ("báo cáo tổng hợp") for one scope at one date. ``to_dict()`` is JSON-ready."""

    as_of: dt.date
    scope: dict
    title: str
    total: int
    by_status: dict
    by_timing: dict
    overdue: int
    overdue_open: int
    overdue_partly_done: int
    summary: str
    late_tasks: list[LateTask]  # all of them, or the first ``late_limit`` (see ``late_total``)
    late_total: int  # how many late tasks there are in all (``late_tasks`` may list only the first ones)
    late_by_agency: list[dict]
    extensions: list[ExtensionItem]
    period_from: dt.date | None
    period_to: dt.date
    previous_as_of: dt.date | None = None
    changes: list[Change] = field(default_factory=list)
    links: dict = field(default_factory=dict)
    _filters: dict = field(default_factory=dict, repr=False)

    @property
    def by_status_rows(self) -> list[tuple[str, int, str, str]]:
        return [(TaskStatus(s).label, self.by_status[s], percent_vi(self.by_status[s], self.total),
                 self.links.get(f"status:{s}", "")) for s in STATUS_ORDER]

    @property
    def by_timing_rows(self) -> list[tuple[str, int, str, str]]:
        return [(Timing(t).label, self.by_timing[t], percent_vi(self.by_timing[t], self.total),
                 self.links.get(f"timing:{t}", "")) for t in TIMING_ORDER]

    @property
    def on_time_rate(self) -> OnTimeRate:
        """The scope's on-time rate, the same definition as the agency page and the dashboard (``OnTimeRate``)."""
        return OnTimeRate.from_counts(self.by_timing)

    @property
    def late_truncated(self) -> bool:
        """True when ``late_tasks`` lists only the first of ``late_total`` late tasks."""
        return len(self.late_tasks) < self.late_total

    @property
    def late_url(self) -> str:
        """The task list showing every late task of the report's scope."""
        return self.links.get(f"timing:{Timing.OPEN_OVERDUE}", "")

    def change_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.change] = counts.get(change.change, 0) + 1
        return counts

    def task_rows(self) -> list[TaskRow]:
        """Every task in scope (for the XLSX export); read on demand, in two queries."""
        return _task_rows(scoped_tasks(**self._filters), today=self.as_of)

    def states(self) -> dict[str, list[str]]:
        """Per-task ``[status, timing]`` — what a snapshot stores."""
        return _states(scoped_tasks(**self._filters), today=self.as_of)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("_filters", None)
        data["changes_count"] = self.change_counts()
        return _jsonable(data)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def label_of(task_path: str, notice_number: str, task_id: int) -> str:
    """How reports name a task: "<notice number> · <path>"."""
    if task_path:
        return f"{notice_number} · {task_path}" if notice_number else task_path
    return f"{notice_number} · #{task_id}" if notice_number else f"Nhiệm vụ #{task_id}"


def _states(qs: QuerySet, *, today: dt.date) -> dict[str, list[str]]:
    return {str(pk): [status, timing]
            for pk, status, timing in qs.with_timing(today=today).values_list("id", "status", "timing").iterator()}


def _agency_names(task_ids, role: str) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (TaskAssignment.objects.filter(task_id__in=task_ids, role=role)
            .values_list("task_id", "agency__name", "agency__short_name").order_by("id"))
    for task_id, name, short in rows:
        names.setdefault(task_id, []).append(display_name(name, short))
    return names


def _task_rows(qs: QuerySet, *, today: dt.date) -> list[TaskRow]:
    tasks = list(qs.with_timing(today=today).annotate(days_late_value=Timing.days_late_expr(today=today))
                 .select_related("notice").order_by("notice__issued_on", "notice_id",
                                                                               "position", "id"))
    ids = [t.pk for t in tasks]
    leads = _agency_names(ids, AssignmentRole.LEAD) if len(ids) < 5000 else _all_agency_names(AssignmentRole.LEAD)
    partners = (_agency_names(ids, AssignmentRole.COORDINATING) if len(ids) < 5000
                else _all_agency_names(AssignmentRole.COORDINATING))
    return [
        TaskRow(
            task_id=t.pk, label=label_of(t.path, t.notice.number, t.pk), text=t.text,
            lead_agencies=leads.get(t.pk, []), coordinating_agencies=partners.get(t.pk, []),
            deadline_text=t.deadline_text, due=t.deadline_due, status=t.status,
            status_label=TaskStatus(t.status).label, timing=t.timing, timing_label=Timing(t.timing).label,
            days_late=t.days_late_value.days,
            progress=t.progress,
        )
        for t in tasks
    ]


def _all_agency_names(role: str) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for task_id, name, short in (TaskAssignment.objects.filter(role=role, task__parent__isnull=True)
                                 .values_list("task_id", "agency__name", "agency__short_name").order_by("id")
                                 .iterator()):
        names.setdefault(task_id, []).append(display_name(name, short))
    return names


def late_task_rows(qs: QuerySet, *, today: dt.date, limit: int | None = None) -> list[LateTask]:
    """The open overdue tasks of ``qs`` with lead agencies and days late, latest first (most days late, then label):
    three queries over value rows (no model instances), so tens of thousands of late tasks stay cheap.

    With ``limit``, only the first ``limit`` of that order: the database finds the missed date of the ``limit``-th
    task, only the tasks missed on or before it are read (a few more than ``limit`` when dates tie) and the exact
    order is settled here."""
    late_qs = qs.filter(overdue_q(today=today))
    if limit is not None:
        if limit <= 0:
            return []
        cutoff = list(late_qs.annotate(since=late_since_expr(today=today)).order_by("since")
                      .values_list("since", flat=True)[limit - 1:limit])
        if cutoff:  # fewer late tasks than the limit: read them all
            late_qs = late_qs.filter(late_since_lte_q(today=today, cutoff=cutoff[0]))
    # the notices' numbers apart: joined, SQLite drove the query from the notices and read every task of each
    rows = list(late_qs.values_list("id", "path", "notice_id", "text", "deadline_due", "next_report_due")
                .order_by())
    numbers = dict(Notice.objects.filter(pk__in={row[2] for row in rows}).values_list("id", "number"))
    leads: dict[int, list[tuple[int, str]]] = {}
    lead_rows = TaskAssignment.objects.filter(role=AssignmentRole.LEAD)
    lead_rows = (lead_rows.filter(task_id__in=[row[0] for row in rows]) if limit is not None
                 else lead_rows.filter(task__in=late_qs.values("pk")))
    for task_id, agency_id, name, short in (lead_rows.values_list("task_id", "agency_id", "agency__name",
                                                                  "agency__short_name").order_by("id")):
        leads.setdefault(task_id, []).append((agency_id, display_name(name, short)))
    url = task_url_maker()
    items = []
    for pk, path, notice_id, text, deadline_due, next_report_due in rows:
        since = deadline_due if deadline_due and deadline_due < today else next_report_due
        agencies = leads.get(pk, [])
        items.append(LateTask(task_id=pk, label=label_of(path, numbers.get(notice_id, ""), pk), text=text,
                              lead_agencies=[name for _, name in agencies],
                              lead_agency_ids=[agency_id for agency_id, _ in agencies],
                              due=since, days_late=(today - since).days if since else 0, url=url(pk)))
    items.sort(key=lambda item: (-item.days_late, item.label))
    return items if limit is None else items[:limit]


NO_LEAD = "(chưa xác định cơ quan chủ trì)"


def late_by_agency_rows(qs: QuerySet, *, today: dt.date) -> list[dict]:
    """The open overdue tasks of ``qs`` per lead agency (name): how many, and the most days late — one grouped
    query (and the agencies' names). A task with no lead agency counts under ``NO_LEAD``; one with two lead agencies
    under both."""
    rows = list(
        qs.filter(overdue_q(today=today))
        .annotate(lead=FilteredRelation("assignments", condition=Q(assignments__role=AssignmentRole.LEAD)))
        # grouped by the agency's id "+ 0" (the names come next): grouped by name, or by the bare column, SQLite
        # sorted the joined rows in a temporary tree three times slower
        .values(lead_agency=ExpressionWrapper(F("lead__agency_id") + Value(0), output_field=BigIntegerField()))
        .annotate(n=Count("id"), first_since=Min(late_since_expr(today=today)))
        .order_by()
    )
    names = {pk: display_name(name, short) for pk, name, short in
             Agency.objects.filter(pk__in=[row["lead_agency"] for row in rows if row["lead_agency"]])
             .values_list("id", "name", "short_name")}
    groups: dict[str, dict] = {}
    for row in rows:
        name = names.get(row["lead_agency"]) or NO_LEAD
        group = groups.setdefault(name, {"agency": name, "count": 0, "max_days_late": 0})
        group["count"] += row["n"]
        if row["first_since"]:
            group["max_days_late"] = max(group["max_days_late"], (today - row["first_since"]).days)
    return sorted(groups.values(), key=lambda g: (-g["count"], -g["max_days_late"], g["agency"]))


def scope_key(*, notice=None, agency=None, theme=None, date_from=None, date_to=None) -> str:
    return ";".join([
        f"notice={notice.pk if notice else ''}",
        f"agency={agency.pk if agency else ''}",
        f"theme={theme.code if theme else ''}",
        f"from={date_from.isoformat() if date_from else ''}",
        f"to={date_to.isoformat() if date_to else ''}",
    ])


def summary_sentence(*, total: int, done: int, partly_done: int, open_: int, overdue_open: int,
                     overdue_partly_done: int = 0) -> str:
    """The office's own words: "21/44 nhiệm vụ đã hoàn thành (47,7%), 9/44 hoàn thành một phần, 14/44 chưa hoàn
    thành, trong đó 11 nhiệm vụ quá hạn"."""
    if not total:
        return "Không có nhiệm vụ nào trong phạm vi báo cáo."
    text = (f"{done}/{total} nhiệm vụ đã hoàn thành ({percent_vi(done, total)}), "
            f"{partly_done}/{total} hoàn thành một phần, {open_}/{total} chưa hoàn thành")
    if open_:
        text += f", trong đó {overdue_open} nhiệm vụ quá hạn"
    if overdue_partly_done:
        text += f"; {overdue_partly_done} nhiệm vụ hoàn thành một phần đã quá hạn"
    return text


def _scope_title(*, notice, agency, theme, date_from, date_to) -> tuple[dict, str]:
    scope = {
        "notice": notice.number if notice else None,
        "notice_id": notice.pk if notice else None,
        "agency": agency.display_name if agency else None,
        "agency_id": agency.pk if agency else None,
        "theme": theme.name if theme else None,
        "theme_code": theme.code if theme else None,
        "date_from": date_from,
        "date_to": date_to,
    }
    parts = []
    if notice:
        parts.append(f"theo Thông báo số {notice.number}" if notice.number else f"theo {notice}")
    if theme:
        parts.append(f"thuộc chủ đề “{theme.name}”")
    if agency:
        parts.append(f"do {agency.display_name} chủ trì")
    if date_from and date_to:
        parts.append(f"có thời hạn từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}")
    elif date_from:
        parts.append(f"có thời hạn từ ngày {date_from:%d/%m/%Y}")
    elif date_to:
        parts.append(f"có thời hạn đến ngày {date_to:%d/%m/%Y}")
    subject = " ".join(parts) if parts else "được giao theo các thông báo kết luận của Ban Chỉ đạo"
    return scope, f"Tình hình thực hiện các nhiệm vụ {subject}"


def consolidated_report(
    *, as_of: dt.date, notice=None, agency=None, theme=None, date_from=None, date_to=None,
    late_limit: int | None = None,
) -> "ConsolidatedReport":
    """The consolidated report of a scope at ``as_of``: totals in the office's words, counts by timing class, the
    late tasks with their lead agencies and days late, extensions granted in the period and what changed since the
    previous snapshot of the same scope (see ``report_snapshot_save``). Reads only; a fixed number of queries, plus
    a per-task comparison only when an earlier snapshot exists.

    The period of "extensions granted" runs from ``date_from`` (else the day after the previous snapshot, else the
    beginning) to ``date_to`` (else ``as_of``).

    ``late_limit``: list only the first N late tasks (most days late first) in ``late_tasks`` — the web page shows a
    first screenful and links to the task list for the rest. ``late_total`` always counts them all, and
    ``late_by_agency`` covers them all. ``None`` (the default: exports, command line, API) lists every one."""
    filters = {"notice": notice, "agency": agency, "theme": theme, "date_from": date_from, "date_to": date_to}
    qs = scoped_tasks(**filters)
    if any(value is not None for value in filters.values()):
        by_status, by_timing, overdue_by_status = _status_timing_counts(qs, today=as_of)
    else:  # every top-level task: the tally
        by_status, by_timing, overdue_by_status = _all_status_timing_counts(today=as_of)
    total = sum(by_status.values())
    scope, title = _scope_title(**filters)
    key = scope_key(**filters)
    previous = ReportSnapshot.objects.filter(scope=key, as_of__lt=as_of).order_by("-as_of").first()

    late_tasks = late_task_rows(qs, today=as_of, limit=late_limit)
    late_by_agency = late_by_agency_rows(qs, today=as_of)

    period_from = date_from or (previous.as_of + dt.timedelta(days=1) if previous else None)
    period_to = date_to or as_of
    # the local days as instants (a __date lookup converts every row's time zone on SQLite), and the scope as a
    # correlated EXISTS: approved extensions are few, the scope may hold every task
    zone = timezone.get_current_timezone()
    ext_qs = ExtensionRequest.objects.filter(
        Exists(qs.filter(pk=OuterRef("task_id"))), state=ExtensionState.APPROVED,
        decided_at__lt=dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time(), tzinfo=zone))
    if period_from:
        ext_qs = ext_qs.filter(decided_at__gte=dt.datetime.combine(period_from, dt.time(), tzinfo=zone))
    extensions = [
        ExtensionItem(task_id=e.task_id, label=label_of(e.task.path, e.task.notice.number, e.task_id),
                      agency=e.agency.display_name, previous_due=e.current_due, new_due=e.requested_due,
                      decided_on=e.decided_at.date())
        for e in ext_qs.select_related("task__notice", "agency").order_by("decided_at", "id")
    ]

    params = _scope_params(**filters)
    links = {"all": task_list_url(**params)}
    links.update({f"status:{s}": task_list_url(**params, status=s) for s in STATUS_ORDER})
    links.update({f"timing:{t}": task_list_url(**params, timing=t) for t in TIMING_ORDER})

    report = ConsolidatedReport(
        as_of=as_of, scope=scope, title=title, total=total,
        by_status={str(k): v for k, v in by_status.items()}, by_timing={str(k): v for k, v in by_timing.items()},
        overdue=by_timing[Timing.OPEN_OVERDUE], overdue_open=overdue_by_status[TaskStatus.OPEN],
        overdue_partly_done=overdue_by_status[TaskStatus.PARTLY_DONE],
        summary=summary_sentence(total=total, done=by_status[TaskStatus.DONE],
                                 partly_done=by_status[TaskStatus.PARTLY_DONE], open_=by_status[TaskStatus.OPEN],
                                 overdue_open=overdue_by_status[TaskStatus.OPEN],
                                 overdue_partly_done=overdue_by_status[TaskStatus.PARTLY_DONE]),
        late_tasks=late_tasks, late_total=by_timing[Timing.OPEN_OVERDUE], late_by_agency=late_by_agency,
        extensions=extensions,
        period_from=period_from, period_to=period_to, links=links, _filters=filters,
    )
    if previous is not None:
        report.previous_as_of = previous.as_of
        report.changes = changes_since(previous, qs=qs, today=as_of)
    return report


def changes_since(previous: ReportSnapshot, *, qs: QuerySet, today: dt.date) -> list[Change]:
    """What changed since a snapshot, computed in the database: only tasks whose status or timing differs (or that
    are new, or left the scope) come back.

    One statement compares the narrow current states (id, status, timing: the timing index) with the snapshot's
    rows and, in the same read, counts the tasks in scope and the snapshot's rows: when every snapshot row is
    matched by a task still in scope (snapshot rows = tasks in scope - new tasks), nothing left the scope and the
    anti-join looking for removed tasks is skipped. The labels are read for the changed tasks only."""
    current = qs.with_timing(today=today).values_list("id", "status", "timing").order_by()
    sql, params = current.query.sql_with_params()
    # the tasks in scope counted from a constant column: no task column needed beyond the scope's own conditions
    count_sql, count_params = qs.order_by().values_list(Value(1, output_field=IntegerField())).query.sql_with_params()
    table = ReportSnapshotEntry._meta.db_table
    # a LEFT JOIN (hash join on PostgreSQL) rather than two correlated subqueries per task
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.status, c.timing, e.status, e.timing, NULL, NULL FROM ({sql}) c "
            f"LEFT JOIN {table} e ON e.snapshot_id = %s AND e.task_id = c.id "
            "WHERE e.id IS NULL OR e.status <> c.status OR e.timing <> c.timing "
            f"UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, (SELECT COUNT(*) FROM ({count_sql}) n), "
            f"(SELECT COUNT(*) FROM {table} s WHERE s.snapshot_id = %s)",
            (*params, previous.pk, *count_params, previous.pk),
        )
        fetched = cursor.fetchall()
    in_scope, in_snapshot = next(row[5:] for row in fetched if row[5] is not None)  # the counting row
    rows = [row[:5] for row in fetched if row[5] is None]
    new_count = sum(1 for row in rows if row[3] is None)
    labels = _labels({row[0] for row in rows})
    status_label, timing_label = dict(TaskStatus.choices), dict(Timing.choices)
    changes = []
    for pk, status, timing, old_status, old_timing in rows:
        label = labels.get(pk, f"Nhiệm vụ #{pk}")
        if old_status is None:
            kind, text = "new", f"Nhiệm vụ mới: {status_label[status]}, {timing_label[timing].lower()}"
        elif status == TaskStatus.DONE and old_status != TaskStatus.DONE:
            kind, text = "done", f"Đã hoàn thành ({timing_label[timing].lower()})"
        elif timing == Timing.OPEN_OVERDUE and old_timing != Timing.OPEN_OVERDUE:
            kind, text = "overdue", "Chuyển sang quá hạn"
        elif old_timing == Timing.OPEN_OVERDUE and timing in (Timing.OPEN_IN_TIME, Timing.DUE_SOON):
            kind, text = "back_in_time", "Không còn quá hạn (được gia hạn hoặc đã báo cáo định kỳ)"
        elif status != old_status:
            kind, text = "status", f"{status_label[old_status]} → {status_label[status]}"
        else:
            continue  # e.g. in time -> due soon: not news for a report
        changes.append(Change(task_id=pk, label=label, change=kind, description=text))
    removed = []
    if in_snapshot != in_scope - new_count:  # some snapshot rows match no task in scope: find them (an anti-join)
        removed = list(previous.entries.exclude(Exists(qs.filter(pk=OuterRef("task_id"))))
                       .values_list("task_id", flat=True))
    labels = _labels(removed)
    changes += [Change(task_id=pk, label=labels.get(pk, f"Nhiệm vụ #{pk}"), change="removed",
                       description="Không còn trong phạm vi báo cáo") for pk in removed]
    order = {"done": 0, "overdue": 1, "back_in_time": 2, "status": 3, "new": 4, "removed": 5}
    return sorted(changes, key=lambda c: (order[c.change], c.label))


def _labels(task_ids) -> dict[int, str]:
    """``label_of`` of each task (by primary key, in chunks; the notices' numbers apart, see ``late_task_rows``)."""
    ordered = sorted(task_ids)
    rows = [row for start in range(0, len(ordered), 5000)
            for row in Task.objects.filter(pk__in=ordered[start:start + 5000]).values_list("id", "path", "notice_id")
            .order_by()]
    numbers = dict(Notice.objects.filter(pk__in={row[2] for row in rows}).values_list("id", "number"))
    return {pk: label_of(path, numbers.get(notice_id, ""), pk) for pk, path, notice_id in rows}


@transaction.atomic
def report_issue(*, actor, as_of: dt.date, notice=None, agency=None, theme=None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, late_limit: int | None = None,
                 ) -> tuple[ConsolidatedReport, ReportSnapshot]:
    """The office issues ("ban hành") the consolidated report of a scope at ``as_of``: its per-task states become the
    baseline the next report of the same scope compares with. Reading or downloading a report never does this."""
    from nq57.core import access

    access.require(access.can_issue_reports(actor), "Chỉ Cơ quan Thường trực được ban hành báo cáo tổng hợp.")
    report = consolidated_report(as_of=as_of, notice=notice, agency=agency, theme=theme, date_from=date_from,
                                 date_to=date_to, late_limit=late_limit)
    return report, report_snapshot_save(report=report)


def report_snapshot_save(*, report: ConsolidatedReport) -> ReportSnapshot:
    """Record the per-task states of an issued report (``report_issue``), so the next report of the same scope
    can say what changed. One snapshot per scope and date: issuing again the same day brings it up to date. The rows
    are copied by one INSERT … SELECT in the database; issued again, only the rows that differ are rewritten (a
    DELETE of the changed and departed tasks' rows, then the INSERT of the rows missing)."""
    snapshot, created = ReportSnapshot.objects.update_or_create(scope=scope_key(**report._filters),
                                                                as_of=report.as_of)
    source = (scoped_tasks(**report._filters).with_timing(today=report.as_of)
              .annotate(snapshot_ref=Value(snapshot.pk, output_field=BigIntegerField()))
              .values_list("snapshot_ref", "id", "status", "timing").order_by())
    sql, params = source.query.sql_with_params()
    table = ReportSnapshotEntry._meta.db_table
    insert = (f"INSERT INTO {table} (snapshot_id, task_id, status, timing) "
              f"SELECT s.snapshot_ref, s.id, s.status, s.timing FROM ({sql}) s")
    with connection.cursor() as cursor:
        if created:
            cursor.execute(insert, params)
            snapshot.task_count = cursor.rowcount
        else:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT e.id FROM {table} e LEFT JOIN ({sql}) c ON c.id = e.task_id "
                "WHERE e.snapshot_id = %s AND (c.id IS NULL OR e.status <> c.status OR e.timing <> c.timing))",
                (*params, snapshot.pk))
            deleted = cursor.rowcount
            cursor.execute(f"{insert} LEFT JOIN {table} e ON e.snapshot_id = s.snapshot_ref AND e.task_id = s.id "
                           "WHERE e.id IS NULL", params)
            snapshot.task_count = snapshot.task_count - deleted + cursor.rowcount
    snapshot.save(update_fields=["task_count"])
    return snapshot
