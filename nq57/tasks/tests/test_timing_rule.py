"""The timing classification (QĐ 42/2014/QĐ-TTg) and days late: ONE table of cases, run through the database
conditions (``Timing.conditions`` / ``with_timing`` / ``filter_timing`` / ``Timing.days_late_expr``) and through the
in-memory rule (``Task.timing`` / ``Task.days_late``)."""

import datetime as dt

import pytest

from nq57.core.testing import NoticeFactory
from nq57.tasks.models import Task, TaskStatus, Timing

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 10, 15)
WINDOW = 7


def d(month: int, day: int) -> dt.date:
    return dt.date(2025, month, day)


OPEN, PARTLY, DONE = TaskStatus.OPEN, TaskStatus.PARTLY_DONE, TaskStatus.DONE

# (status, deadline_due, completed_on, next_report_due) -> (timing class, days late), at TODAY with a 7-day window
CASES = {
    "done, no deadline": ((DONE, None, d(10, 1), None), (Timing.DONE_ON_TIME, 0)),
    "done on the due day": ((DONE, d(10, 10), d(10, 10), None), (Timing.DONE_ON_TIME, 0)),
    "done before the due day": ((DONE, d(10, 10), d(10, 9), None), (Timing.DONE_ON_TIME, 0)),
    "done three days late": ((DONE, d(10, 10), d(10, 13), None), (Timing.DONE_LATE, 3)),
    "done early, due in the future": ((DONE, d(10, 20), d(10, 14), None), (Timing.DONE_ON_TIME, 0)),
    "done late, a missed report does not matter": ((DONE, d(10, 1), d(10, 5), d(9, 1)), (Timing.DONE_LATE, 4)),
    "done on time, a missed report does not matter": ((DONE, d(10, 1), d(9, 30), d(9, 1)),
                                                      (Timing.DONE_ON_TIME, 0)),
    "open, no deadline": ((OPEN, None, None, None), (Timing.OPEN_IN_TIME, 0)),
    "partly done, no deadline": ((PARTLY, None, None, None), (Timing.OPEN_IN_TIME, 0)),
    "open, due yesterday": ((OPEN, d(10, 14), None, None), (Timing.OPEN_OVERDUE, 1)),
    "open, due today (not late yet)": ((OPEN, TODAY, None, None), (Timing.DUE_SOON, 0)),
    "open, due at the end of the window": ((OPEN, d(10, 22), None, None), (Timing.DUE_SOON, 0)),
    "open, due the day after the window": ((OPEN, d(10, 23), None, None), (Timing.OPEN_IN_TIME, 0)),
    "partly done, two weeks late": ((PARTLY, d(10, 1), None, None), (Timing.OPEN_OVERDUE, 14)),
    "partly done, due soon": ((PARTLY, d(10, 20), None, None), (Timing.DUE_SOON, 0)),
    "recurring, periodic report missed yesterday": ((OPEN, None, None, d(10, 14)), (Timing.OPEN_OVERDUE, 1)),
    "recurring, periodic report due today": ((OPEN, None, None, TODAY), (Timing.OPEN_IN_TIME, 0)),
    "due soon but the periodic report is missed": ((OPEN, d(10, 20), None, d(10, 10)), (Timing.OPEN_OVERDUE, 5)),
    "deadline and report both missed: the deadline counts": ((OPEN, d(10, 1), None, d(10, 10)),
                                                             (Timing.OPEN_OVERDUE, 14)),
    "in time but the periodic report is missed": ((OPEN, d(11, 30), None, d(10, 1)), (Timing.OPEN_OVERDUE, 14)),
    "due soon, next report later": ((OPEN, d(10, 16), None, d(10, 20)), (Timing.DUE_SOON, 0)),
    "in time, next report later": ((PARTLY, d(12, 31), None, d(10, 31)), (Timing.OPEN_IN_TIME, 0)),
}


@pytest.mark.parametrize(("row", "expected"), list(CASES.values()), ids=list(CASES))
def test_the_database_and_the_task_classify_alike(row, expected, settings):
    settings.DUE_SOON_DAYS = WINDOW
    status, due, completed_on, next_report_due = row
    timing, late = expected
    notice = NoticeFactory(number="99-TB/TIMING")
    task = Task.objects.create(notice=notice, text="Nhiệm vụ của bảng phân loại", status=status, deadline_due=due,
                               completed_on=completed_on, next_report_due=next_report_due)

    # in memory
    assert task.timing(today=TODAY) == timing
    assert task.days_late(today=TODAY) == late
    # in the database: the CASE annotation, the filter, and each plain condition (exactly one holds)
    annotated = Task.objects.with_timing(today=TODAY).annotate(late=Timing.days_late_expr(today=TODAY)).get(pk=task.pk)
    assert annotated.timing == timing
    assert annotated.late.days == late
    assert Task.objects.filter_timing(timing, today=TODAY).filter(pk=task.pk).exists()
    holding = [str(t) for t, condition in Timing.conditions(today=TODAY).items()
               if Task.objects.filter(condition, pk=task.pk).exists()]
    assert holding == [timing]
    # the aggregate counts are the same conditions
    counts = Task.objects.filter(pk=task.pk).aggregate(**Timing.counts(today=TODAY))
    assert {k: v for k, v in counts.items() if v} == {timing: 1}


def test_the_window_is_a_parameter():
    task = Task(status=OPEN, deadline_due=d(10, 20))
    assert task.timing(today=TODAY, due_soon_days=3) == Timing.OPEN_IN_TIME
    assert task.timing(today=TODAY, due_soon_days=5) == Timing.DUE_SOON
    assert Timing.conditions(today=TODAY, due_soon_days=5)[Timing.DUE_SOON] != \
        Timing.conditions(today=TODAY, due_soon_days=3)[Timing.DUE_SOON]
