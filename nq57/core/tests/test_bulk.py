"""``core.bulk.insert_rows`` writes what ``bulk_create`` writes: the same rows read back through the ORM (aware
times, JSON with Vietnamese text, dates, nulls, model defaults), on SQLite and on PostgreSQL; and it refuses rows it
cannot place rather than writing half of them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from nq57.core.bulk import insert_rows
from nq57.core.testing import build_cast
from nq57.reports.models import ProgressReport
from nq57.tasks.models import TaskEvent

pytestmark = pytest.mark.django_db

FIELDS = ("task_id", "kind", "actor_id", "at", "summary", "details")


def _events(task):
    return [(e.task_id, e.kind, e.actor_id, e.at, e.summary, e.details)
            for e in TaskEvent.objects.filter(task=task).order_by("summary")]


def test_rows_read_back_as_bulk_create_writes_them():
    cast = build_cast()
    one, two = cast.task_kh, cast.task_tc
    TaskEvent.objects.filter(task__in=[one, two]).delete()
    at = dt.datetime(2026, 3, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC)
    rows = [
        (None, "created", cast.office.pk, at, "Nhiệm vụ được tạo từ thông báo 30-TB/TGV",
         {"từ": "mở", "đến": "hoàn thành", "progress": [0, 100], "ghi chú": None}),
        (None, "status_changed", None, at - dt.timedelta(days=400), "Tình trạng: Đang thực hiện", {}),
    ]
    TaskEvent.objects.bulk_create([TaskEvent(**dict(zip(FIELDS, (one.pk, *row[1:]), strict=True))) for row in rows])
    assert insert_rows(TaskEvent, FIELDS, [(two.pk, *row[1:]) for row in rows]) == 2
    written = _events(two)
    assert [row[1:] for row in written] == [row[1:] for row in _events(one)]
    assert written[0][3] == at and written[0][5]["từ"] == "mở"


def test_fields_left_out_get_the_model_default_and_dates_are_kept():
    cast = build_cast()
    insert_rows(TaskEvent, ("task_id", "kind", "at", "summary"),
                [(cast.task_kh.pk, "note", dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "Không có chi tiết")])
    event = TaskEvent.objects.get(summary="Không có chi tiết")
    assert event.details == {} and event.actor_id is None
    ProgressReport.objects.filter(task=cast.task_kh).delete()
    insert_rows(ProgressReport, ("task_id", "agency_id", "author_id", "period_start", "period_end", "text",
                                 "percent", "claimed_status", "state", "submitted_at"),
                [(cast.task_kh.pk, cast.kh.pk, cast.alice.pk, dt.date(2025, 12, 1), dt.date(2025, 12, 31),
                  "Báo cáo tháng 12", 40, "partly_done", "submitted", dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC))])
    report = ProgressReport.objects.get(task=cast.task_kh)
    assert (report.period_start, report.period_end, report.percent) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31), 40)


def test_rows_it_cannot_place_are_refused_and_a_failing_batch_writes_nothing():
    cast = build_cast()
    with pytest.raises(ValueError, match="no column for nonsense"):
        insert_rows(TaskEvent, ("task_id", "nonsense"), [(cast.task_kh.pk, 1)])
    with pytest.raises(ValueError, match="a row of 2 values for 4 columns"):
        insert_rows(TaskEvent, ("task_id", "kind", "at", "summary"), [(cast.task_kh.pk, "note")])
    before = TaskEvent.objects.count()
    good = (cast.task_kh.pk, "note", dt.datetime(2026, 1, 2, tzinfo=dt.UTC), "Hợp lệ")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(TaskEvent, ("task_id", "kind", "at", "summary"),
                    [good, (cast.task_kh.pk, "note", None, "Thiếu giờ")])
    assert TaskEvent.objects.count() == before
    from nq57.core.bulk import create_instances
    from nq57.reports.models import ReportAttachment

    with pytest.raises(ValueError, match="has files"):
        create_instances(ReportAttachment, [ReportAttachment()])


def test_instances_get_their_keys_in_order_and_read_back_as_bulk_create_writes_them():
    from nq57.core.bulk import create_instances
    from nq57.tasks.models import Task

    cast = build_cast()
    due = dt.date(2026, 7, 30)

    def tasks(tag):
        return [Task(notice=cast.task_kh.notice, path=f"{tag}.{i}", position=i, text=f"Nhiệm vụ {tag} số {i}",
                     deadline_kind="date", deadline_due=due, deadline_text="trước ngày 30/7/2026",
                     search_key=f" nhiem vu {i} ") for i in range(45)]  # more than one SQLite batch

    made = create_instances(Task, tasks("a"))
    Task.objects.bulk_create(tasks("b"))
    assert [t.path for t in made] == [Task.objects.get(pk=t.pk).path for t in made]
    assert not made[0]._state.adding and made[0].created_at is not None

    def read(tag):
        return list(Task.objects.filter(path__startswith=f"{tag}.").order_by("position")
                    .values_list("position", "text", "deadline_due", "status", "progress", "parent_id"))

    assert [row[1].replace(" a ", " b ") for row in read("a")] == [row[1] for row in read("b")]
    assert [row[2:] for row in read("a")] == [row[2:] for row in read("b")] and read("a")[0][2] == due
