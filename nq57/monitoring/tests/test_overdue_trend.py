"""The dashboard's weekly overdue trend (``services.overdue_by_week``) groups tasks by week indexes computed in the
database; every bar must still equal the plain condition of the task list's ``overdue_on`` filter
(``Timing.overdue_on``), on the days where an off-by-one would show: due, created and completed on a week end, at
midnight, on the day itself, after today, and with "today" a Sunday or a weekday."""

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.test import override_settings
from django.utils import timezone

from nq57.core.testing import AgencyFactory, NoticeFactory, make_task
from nq57.monitoring import services
from nq57.tasks.models import OverdueSpan, Task, TaskStatus, Timing, day_number
from nq57.tasks.selectors import overdue_spans_follow_zone

pytestmark = pytest.mark.django_db

FIRST_SUNDAY = dt.date(2025, 3, 2)


def plain_counts(ends: list[dt.date]) -> list[int]:
    roots = Task.objects.filter(parent__isnull=True)
    return [roots.filter(Timing.overdue_on(end)).count() for end in ends]


def boundary_world(cast) -> None:
    """Tasks on every combination of due day, creation moment and completion day around a few week ends."""
    notice = NoticeFactory(number="46-TB/TGV")
    zone = timezone.get_current_timezone()
    sundays = [FIRST_SUNDAY + dt.timedelta(weeks=w) for w in (0, 1, 5, 9)]
    dues = [FIRST_SUNDAY - dt.timedelta(days=30)] + [s + dt.timedelta(days=d) for s in sundays for d in (-1, 0, 1)]
    created = [dt.datetime.combine(FIRST_SUNDAY - dt.timedelta(days=60), dt.time(9), tzinfo=zone)]
    for sunday in sundays[1:3]:
        midnight = dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        created += [midnight - dt.timedelta(microseconds=1), midnight, midnight + dt.timedelta(hours=23)]
    completions = [None, sundays[1], sundays[1] + dt.timedelta(days=1), sundays[2], sundays[3] + dt.timedelta(days=3),
                   dt.date(2025, 9, 1)]  # the last one after every "today" below
    rows = []
    for index, (due, created_at, completed_on) in enumerate(itertools.product(dues, created, completions)):
        if completed_on is not None and completed_on < created_at.astimezone(zone).date():
            continue
        task = make_task(notice=notice, lead=[cast.kh], due=due, path=f"9.{index}")
        rows.append((task.pk, created_at, completed_on))
    for pk, created_at, completed_on in rows:
        status = TaskStatus.OPEN if completed_on is None or completed_on.day % 2 else TaskStatus.DONE
        Task.objects.filter(pk=pk).update(created_at=created_at, completed_on=completed_on, status=status)


# the spans kept by triggers (the default), and the tasks read directly: what a zone other than the one the migration
# found gets (Bangkok: the same +7 offset, so the same answers are expected)
READERS = {"spans": "Asia/Ho_Chi_Minh", "tasks": "Asia/Bangkok"}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("today", [
    FIRST_SUNDAY + dt.timedelta(weeks=9),  # a Sunday: the last bar is a whole week
    FIRST_SUNDAY + dt.timedelta(weeks=9, days=3),  # a Wednesday: the last bar ends today
    FIRST_SUNDAY + dt.timedelta(weeks=5, days=1),  # the Monday after a week end with tasks on it
])
def test_every_weekly_bar_equals_the_lists_condition_on_the_boundary_days(cast, today, reader, settings):
    settings.TIME_ZONE = READERS[reader]
    assert overdue_spans_follow_zone() is (reader == "spans")
    boundary_world(cast)
    for weeks in (12, 6, 1):
        points = services.overdue_by_week(today=today, weeks=weeks)
        ends = [point["week_end"] for point in points]
        assert ends[-1] == today
        counts = [point["count"] for point in points]
        assert counts == plain_counts(ends), (today, weeks)
    assert len(set(counts)) >= 1
    # the world has something to tell apart: the 12-week trend moves
    assert len({p["count"] for p in services.overdue_by_week(today=today, weeks=12)}) > 3


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_daylight_saving_change_in_the_window_still_counts_exactly(cast):
    """Berlin moved its clocks on 30/03/2025: the week ends' midnights are not whole weeks apart in UTC, so the
    trend takes the per-week conditions instead of week arithmetic (same answer). (The spans' triggers count days
    in the zone the migration found, not Berlin's: the tasks are read.)"""
    assert timezone.get_current_timezone() == zoneinfo.ZoneInfo("Europe/Berlin")
    assert not overdue_spans_follow_zone()
    boundary_world(cast)
    today = FIRST_SUNDAY + dt.timedelta(weeks=9, days=3)
    points = services.overdue_by_week(today=today, weeks=12)
    assert [p["count"] for p in points] == plain_counts([p["week_end"] for p in points])
    assert len({p["count"] for p in points}) > 3


def test_the_spans_hold_only_tasks_that_can_be_overdue(db):
    """The trend reads a few thousand span rows, not the tasks: tasks that can never count (no deadline, done by
    their deadline, a sub-task) add no span, and a task's span moves with its deadline, creation and completion."""
    notice = NoticeFactory(number="47-TB/TGV")
    agency = AgencyFactory(name="Bộ thử khoảng quá hạn")
    due = dt.date(2025, 3, 10)
    make_task(notice=notice, lead=[agency], due=None, path="1")
    on_time = make_task(notice=notice, lead=[agency], due=due, path="2")
    Task.objects.filter(pk=on_time.pk).update(status=TaskStatus.DONE, completed_on=due)
    parent = make_task(notice=notice, lead=[agency], due=due, path="3")
    Task.objects.create(notice=notice, parent=parent, text="Nhiệm vụ con", deadline_due=due)
    assert spans() == [(day_number(timezone.localdate()), None)]  # the parent alone, overdue since it was created

    zone = timezone.get_current_timezone()
    Task.objects.filter(pk=parent.pk).update(created_at=dt.datetime(2025, 3, 1, 23, 59, 59, 999999, tzinfo=zone))
    assert spans() == [(day_number(due) + 1, None)]
    Task.objects.filter(pk=parent.pk).update(completed_on=due + dt.timedelta(days=4), status=TaskStatus.DONE)
    assert spans() == [(day_number(due) + 1, day_number(due) + 4)]
    Task.objects.filter(pk=parent.pk).update(created_at=dt.datetime(2025, 3, 12, 0, 0, tzinfo=zone))
    assert spans() == [(day_number(dt.date(2025, 3, 12)), day_number(due) + 4)]
    Task.objects.filter(pk=parent.pk).update(deadline_due=due + dt.timedelta(days=4))  # done on its new deadline
    assert spans() == []
    Task.objects.filter(pk=parent.pk).update(deadline_due=due)
    parent.delete()
    assert spans() == []


def spans() -> list[tuple[int, int | None]]:
    return [(s, e) for s, e, n in OverdueSpan.objects.values_list("starts_on", "ends_on", "n") for _ in range(n)]
