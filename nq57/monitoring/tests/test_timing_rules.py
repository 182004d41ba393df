"""A task's life in simulated time: each timing state, computed the same in the database and in memory."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from nq57.core.testing import make_task
from nq57.monitoring.services import days_late
from nq57.reports.services import extension_decide, extension_request, report_submit
from nq57.tasks.models import DeadlineKind, ReportCadence, Task, TaskEventKind, Timing
from nq57.tasks.services import task_create, task_set_status

pytestmark = pytest.mark.django_db

DUE = dt.date(2025, 10, 15)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)).replace(tzinfo=timezone.get_current_timezone()),
                               tick=False)


def timing_now(task: Task) -> str:
    today = timezone.localdate()
    in_db = Task.objects.with_timing(today=today).get(pk=task.pk).timing
    task.refresh_from_db()
    assert task.timing(today=today) == in_db, "with_timing and Task.timing must be the same rule"
    return in_db


def test_a_task_goes_from_in_time_to_due_soon_to_overdue_then_is_extended_and_done_on_time(cast, settings):
    settings.DUE_SOON_DAYS = 7
    task = make_task(notice=cast.notice, lead=[cast.kh], due=DUE)
    with at(DUE - dt.timedelta(days=8)):
        assert timing_now(task) == Timing.OPEN_IN_TIME
    with at(DUE - dt.timedelta(days=7)):
        assert timing_now(task) == Timing.DUE_SOON
    with at(DUE):
        assert timing_now(task) == Timing.DUE_SOON  # due today is not late yet
    with at(DUE + dt.timedelta(days=1)):
        assert timing_now(task) == Timing.OPEN_OVERDUE
        assert days_late(task=task, today=timezone.localdate()) == 1
    with at(DUE + dt.timedelta(days=3)):
        request = extension_request(task=task, actor=cast.alice, requested_due=dt.date(2025, 11, 30),
                                    reason="Chờ ý kiến thẩm định của Bộ Tư pháp.")
        assert timing_now(task) == Timing.OPEN_OVERDUE  # a request alone moves nothing
        extension_decide(request=request, actor=cast.office, approve=True, note="Đồng ý.")
        assert timing_now(task) == Timing.OPEN_IN_TIME
        assert (task.deadline_due, task.original_deadline_due) == (dt.date(2025, 11, 30), DUE)
    with at(dt.date(2025, 11, 25)):
        assert timing_now(task) == Timing.DUE_SOON
        task_set_status(task=task, actor=cast.office, status="done")
        assert timing_now(task) == Timing.DONE_ON_TIME  # on time against the extended deadline

    # the extension kept its history: the timeline, the request, and the task's audit records
    kinds = list(task.events.values_list("kind", flat=True))
    assert TaskEventKind.EXTENSION_DECIDED in kinds
    assert task.history.filter(deadline_due=DUE).exists()
    assert task.history.filter(deadline_due=dt.date(2025, 11, 30), original_deadline_due=DUE).exists()


def test_a_rejected_extension_leaves_the_deadline_and_completion_after_it_is_late(cast):
    task = make_task(notice=cast.notice, lead=[cast.kh], due=DUE)
    with at(DUE - dt.timedelta(days=2)):
        request = extension_request(task=task, actor=cast.alice, requested_due=dt.date(2025, 12, 31), reason="Lý do.")
        extension_decide(request=request, actor=cast.office, approve=False, note="Không đồng ý.")
        task.refresh_from_db()
        assert task.deadline_due == DUE
    with at(DUE + dt.timedelta(days=5)):
        task_set_status(task=task, actor=cast.office, status="done")
        assert timing_now(task) == Timing.DONE_LATE
        assert task.days_late(today=timezone.localdate()) == 5


def test_a_recurring_task_is_never_closed_and_is_overdue_when_its_periodic_report_is_missing(cast):
    with at(dt.date(2025, 7, 2)):
        task = task_create(notice=cast.notice, text="Nhiệm vụ thường xuyên; hằng tháng có báo cáo", lead=[cast.kh],
                           deadline_kind=DeadlineKind.RECURRING, report_cadence=ReportCadence.MONTHLY,
                           actor=cast.office)
        assert task.next_report_due == dt.date(2025, 6, 30)  # the notice's own month (issued 13/06/2025)
        assert timing_now(task) == Timing.OPEN_OVERDUE
        report_submit(task=task, actor=cast.alice, period_start=dt.date(2025, 6, 1), period_end=dt.date(2025, 6, 30),
                      text="Báo cáo tháng 6.", percent=40, claimed_status="partly_done")
        task.refresh_from_db()
        assert task.next_report_due == dt.date(2025, 8, 31)  # July is covered by a report received in July
        assert timing_now(task) == Timing.OPEN_IN_TIME
    with at(dt.date(2025, 8, 31)):
        assert timing_now(task) == Timing.OPEN_IN_TIME
    with at(dt.date(2025, 9, 3)):
        assert timing_now(task) == Timing.OPEN_OVERDUE
        assert days_late(task=task, today=timezone.localdate()) == 3
        assert task.days_late(today=timezone.localdate()) == 3  # one rule: from the missed report
    from nq57.core.errors import ServiceError

    with pytest.raises(ServiceError):
        task_set_status(task=task, actor=cast.office, status="done")


def test_a_dated_task_with_a_report_cadence_is_overdue_when_its_report_is_missing(cast):
    with at(dt.date(2025, 7, 10)):
        task = make_task(notice=cast.notice, lead=[cast.kh], due=dt.date(2025, 12, 31),
                         report_cadence=ReportCadence.MONTHLY)
        assert timing_now(task) == Timing.OPEN_OVERDUE  # June's report is missing although the deadline is far
        report_submit(task=task, actor=cast.alice, period_start=dt.date(2025, 6, 13), period_end=dt.date(2025, 7, 10),
                      text="Báo cáo.", percent=20, claimed_status="open")
        assert timing_now(task) == Timing.OPEN_IN_TIME
