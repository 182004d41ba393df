import datetime as dt

import pytest

from nq57.core.errors import ConflictError, PermissionDeniedError, ServiceError
from nq57.core.testing import make_task
from nq57.tasks.models import DeadlineKind, ReportCadence, Task, TaskEventKind, TaskStatus, Timing
from nq57.tasks.services import (
    next_report_due_after,
    period_end,
    subtask_create,
    task_schedule_event,
    task_set_status,
    task_update,
)

TODAY = dt.date(2025, 7, 20)


def test_it_records_creation_on_the_timeline(cast):
    events = list(cast.task_kh.events.values_list("kind", flat=True))
    assert events == [TaskEventKind.CREATED]
    assert cast.task_kh.original_deadline_due == dt.date(2025, 7, 30)


def test_it_refuses_a_task_without_lead_or_text(cast):
    with pytest.raises(ServiceError, match="chủ trì"):
        make_task(notice=cast.notice, lead=[], text="Nội dung")
    with pytest.raises(ServiceError, match="trống"):
        make_task(notice=cast.notice, lead=[cast.kh], text="   ")


def test_it_refuses_a_dated_kind_without_date(cast):
    with pytest.raises(ServiceError, match="ngày hoàn thành"):
        make_task(notice=cast.notice, lead=[cast.kh], kind=DeadlineKind.MONTH)


@pytest.mark.parametrize(
    ("status", "due", "completed", "today", "expected"),
    [
        ("open", dt.date(2025, 8, 30), None, TODAY, Timing.OPEN_IN_TIME),
        ("open", dt.date(2025, 7, 25), None, TODAY, Timing.DUE_SOON),
        ("open", dt.date(2025, 7, 27), None, TODAY, Timing.DUE_SOON),
        ("open", dt.date(2025, 7, 28), None, TODAY, Timing.OPEN_IN_TIME),
        ("open", dt.date(2025, 7, 19), None, TODAY, Timing.OPEN_OVERDUE),
        ("open", dt.date(2025, 7, 20), None, TODAY, Timing.DUE_SOON),
        ("partly_done", dt.date(2025, 7, 1), None, TODAY, Timing.OPEN_OVERDUE),
        ("done", dt.date(2025, 7, 30), dt.date(2025, 7, 30), TODAY, Timing.DONE_ON_TIME),
        ("done", dt.date(2025, 7, 30), dt.date(2025, 7, 31), TODAY, Timing.DONE_LATE),
        ("done", None, dt.date(2025, 7, 31), TODAY, Timing.DONE_ON_TIME),
        ("open", None, None, TODAY, Timing.OPEN_IN_TIME),
    ],
)
def test_the_database_and_memory_timing_rules_agree(cast, status, due, completed, today, expected):
    Task.objects.filter(pk=cast.task_kh.pk).update(status=status, deadline_due=due, completed_on=completed)
    task = Task.objects.with_timing(today=today, due_soon_days=7).get(pk=cast.task_kh.pk)
    assert task.timing == expected
    assert Task.timing(task, today=today, due_soon_days=7) == expected


def test_a_recurring_task_is_overdue_when_its_periodic_report_is_missing(cast):
    task = make_task(notice=cast.notice, lead=[cast.kh], kind=DeadlineKind.RECURRING,
                     report_cadence=ReportCadence.MONTHLY)
    assert task.next_report_due == dt.date(2025, 6, 30)  # the notice was issued on 13/6/2025
    annotated = Task.objects.with_timing(today=dt.date(2025, 6, 30))
    assert annotated.get(pk=task.pk).timing == Timing.OPEN_IN_TIME
    assert Task.objects.with_timing(today=dt.date(2025, 7, 1)).get(pk=task.pk).timing == Timing.OPEN_OVERDUE


@pytest.mark.parametrize(
    ("cadence", "day", "end", "next_due"),
    [
        ("monthly", dt.date(2025, 1, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 28)),
        ("monthly", dt.date(2024, 1, 15), dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        ("quarterly", dt.date(2025, 8, 2), dt.date(2025, 9, 30), dt.date(2025, 12, 31)),
        ("quarterly", dt.date(2025, 12, 2), dt.date(2025, 12, 31), dt.date(2026, 3, 31)),
        ("semiannual", dt.date(2025, 3, 2), dt.date(2025, 6, 30), dt.date(2025, 12, 31)),
        ("yearly", dt.date(2025, 3, 2), dt.date(2025, 12, 31), dt.date(2026, 12, 31)),
        ("weekly", dt.date(2025, 7, 16), dt.date(2025, 7, 20), dt.date(2025, 7, 27)),
    ],
)
def test_report_periods(cadence, day, end, next_due):
    assert period_end(cadence=cadence, day=day) == end
    assert next_report_due_after(cadence=cadence, reported_on=day) == next_due


def test_a_concurrent_edit_is_refused_and_changes_nothing(cast):
    version = cast.task_kh.version
    first = Task.objects.get(pk=cast.task_kh.pk)
    second = Task.objects.get(pk=cast.task_kh.pk)
    task_update(task=first, actor=cast.office, expected_version=version, text="Nội dung mới của người thứ nhất")
    with pytest.raises(ConflictError, match="người khác cập nhật"):
        task_update(task=second, actor=cast.office, expected_version=version, text="Nội dung của người thứ hai")
    assert Task.objects.get(pk=cast.task_kh.pk).text == "Nội dung mới của người thứ nhất"


def test_an_edit_is_audited_with_before_and_after(cast):
    task_update(task=cast.task_kh, actor=cast.office, expected_version=cast.task_kh.version,
                deadline_due=dt.date(2025, 8, 15), deadline_text="trước ngày 15/8/2025")
    latest = cast.task_kh.history.first()
    delta = latest.diff_against(latest.prev_record)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    assert changed["deadline_due"] == (dt.date(2025, 7, 30), dt.date(2025, 8, 15))
    assert cast.task_kh.events.filter(kind=TaskEventKind.EDITED).exists()


def test_a_focal_point_cannot_edit_a_notice_task(cast):
    with pytest.raises(PermissionDeniedError):
        task_update(task=cast.task_kh, actor=cast.alice, expected_version=None, text="Sửa trái phép")


def test_subtasks_nest_to_any_depth_and_progress_rolls_up(cast):
    unit = cast.kh.children.create(name="Vụ Công nghệ cao", kind="unit")
    child = subtask_create(parent=cast.task_kh, actor=cast.alice, text="Dự thảo quy chế", lead=unit,
                           deadline_due=dt.date(2025, 7, 15))
    grandchild = subtask_create(parent=child, actor=cast.alice, text="Khảo sát hiện trạng", lead=unit,
                                deadline_due=dt.date(2025, 7, 10))
    sibling = subtask_create(parent=cast.task_kh, actor=cast.alice, text="Lấy ý kiến", lead=cast.kh,
                             deadline_due=None)
    assert grandchild.path == "1.a.1.1.1"
    task_set_status(task=grandchild, actor=cast.office, status=TaskStatus.DONE, completed_on=dt.date(2025, 7, 9))
    child.refresh_from_db()
    cast.task_kh.refresh_from_db()
    assert child.progress == 100
    assert cast.task_kh.progress == 50  # mean of child (100) and sibling (0)
    assert sibling.progress == 0


def test_a_subtask_cannot_outlive_its_parent_or_go_to_another_agency(cast):
    import time_machine
    from django.utils import timezone

    # while the parent's deadline (30/07/2025) is ahead and no extension is requested
    with time_machine.travel(dt.datetime(2025, 7, 1, 10, tzinfo=timezone.get_current_timezone()), tick=False), \
            pytest.raises(ServiceError, match="không được sau hạn"):
        subtask_create(parent=cast.task_kh, actor=cast.alice, text="X", lead=cast.kh, deadline_due=dt.date(2025, 9, 1))
    with pytest.raises(ServiceError, match="chính cơ quan mình"):
        subtask_create(parent=cast.task_kh, actor=cast.alice, text="X", lead=cast.tc, deadline_due=None)
    with pytest.raises(PermissionDeniedError):
        subtask_create(parent=cast.task_tc, actor=cast.alice, text="X", lead=cast.kh, deadline_due=None)


def test_a_recurring_task_is_never_closed(cast):
    task = make_task(notice=cast.notice, lead=[cast.kh], kind=DeadlineKind.RECURRING)
    with pytest.raises(ServiceError, match="thường xuyên"):
        task_set_status(task=task, actor=cast.office, status=TaskStatus.DONE)


def test_an_event_deadline_gets_its_date_once_scheduled(cast):
    task = make_task(notice=cast.notice, lead=[cast.kh], kind=DeadlineKind.EVENT)
    assert task.deadline_due is None
    task_schedule_event(task=task, actor=cast.office, due=dt.date(2025, 10, 20))
    task.refresh_from_db()
    assert task.deadline_due == dt.date(2025, 10, 20)
    assert task.events.filter(kind=TaskEventKind.DEADLINE_SCHEDULED).exists()
    with pytest.raises(ServiceError):
        task_schedule_event(task=cast.task_kh, actor=cast.office, due=dt.date(2025, 10, 20))


def test_themes_are_assigned_from_keywords_insensitive_to_tone_marks(cast):
    from nq57.taxonomy.models import Theme

    Theme.objects.update_or_create(code="ha-tang", defaults={"name": "Hạ tầng", "keywords": ["phòng thí nghiệm"]})
    Theme.objects.update_or_create(code="ai", defaults={"name": "Trí tuệ nhân tạo", "keywords": ["trí tuệ nhân tạo"]})
    task = make_task(notice=cast.notice, lead=[cast.kh], text="Đầu tư các PHÒNG THÍ NGHIỆM trọng điểm")
    assert [t.code for t in task.themes.all()] == ["ha-tang"]


def test_changes_made_outside_a_web_request_are_audited_with_their_actor(cast):
    task_update(task=cast.task_kh, actor=cast.office, expected_version=None, text="Nội dung đã sửa qua API")
    assert cast.task_kh.history.first().history_user == cast.office
    assert cast.task_kh.history.last().history_user is None  # created by the cast builder without an actor
