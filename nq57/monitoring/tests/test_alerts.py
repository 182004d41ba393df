"""The daily scan in simulated time: reminders 7/3/1 days before, the overdue notice and ``task.overdue``, each
exactly once however often the scan runs; the weekly digest and the escalation list."""

import contextlib
import datetime as dt
import sqlite3
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from nq57.core import events
from nq57.core.testing import build_cast, make_task
from nq57.monitoring import alerts
from nq57.monitoring.models import Dispatch, Notification
from nq57.tasks.models import DeadlineKind, ReportCadence
from nq57.tasks.services import task_create, task_set_status

DUE = dt.date(2025, 10, 15)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(6)).replace(tzinfo=timezone.get_current_timezone()),
                               tick=False)


@pytest.fixture
def overdue_events():
    received = []

    def collect(event):
        received.append(event.payload)

    events.listener("task.overdue")(collect)
    yield received
    events._listeners["task.overdue"].remove(collect)


@pytest.fixture
def task(cast):
    cast.alice.email = "alice@most.gov.vn"
    cast.alice.save()
    return make_task(notice=cast.notice, lead=[cast.kh], coordinating=[cast.tc], due=DUE, path="2.a",
                     text="Ban hành quy chế quản lý phòng thí nghiệm trọng điểm dùng chung")


def scan_on(day: dt.date) -> alerts.ScanResult:
    with at(day):
        return alerts.daily_scan()


def test_reminders_go_out_7_3_and_1_days_before_once_each_then_the_overdue_notice_once(
        task, cast, overdue_events, settings, django_capture_on_commit_callbacks):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    sent = []
    with django_capture_on_commit_callbacks(execute=True):
        for offset in range(-9, 4):
            day = DUE + dt.timedelta(days=offset)
            for _ in range(2):  # a restart, a second worker: the scan runs twice a day
                result = scan_on(day)
                sent += [(offset, kind, step) for kind, task_id, _user, _due, step in result.sent if task_id == task.pk]

    assert sent == [(-7, "task.reminder", 7), (-3, "task.reminder", 3), (-1, "task.reminder", 1),
                    (1, "task.overdue", 0)]
    # only the lead agency's focal point (alice); bob's agency is a partner, carol's is not on the task
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"alice"}
    assert list(Notification.objects.order_by("created_at", "id").values_list("kind", flat=True)) == [
        alerts.TASK_REMINDER, alerts.TASK_REMINDER, alerts.TASK_REMINDER, alerts.TASK_OVERDUE]
    assert [m.to for m in mail.outbox] == [["alice@most.gov.vn"]] * 4
    first = mail.outbox[0]
    assert first.subject == (f"[nq57] Nhắc hạn: nhiệm vụ {task} đến hạn hoàn thành sau 7 ngày (15/10/2025)")
    assert "Ban hành quy chế quản lý phòng thí nghiệm" in first.body
    assert first.alternatives[0][1] == "text/html" and "<b>15/10/2025</b>" in first.alternatives[0][0]
    assert "Quá hạn" in mail.outbox[3].subject and "(1 ngày)" in mail.outbox[3].body
    assert overdue_events == [{"task_id": task.pk, "due_on": "2025-10-15", "days_late": 1, "missed": "deadline"}]
    assert Dispatch.objects.filter(sent_at__isnull=False).count() == 5  # 4 messages + the overdue event claim


def test_a_worker_that_was_down_catches_up_with_the_reminder_due_now_only(task, settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    assert [(k, s) for k, _t, _u, _d, s in scan_on(DUE - dt.timedelta(days=2)).sent] == [("task.reminder", 3)]
    assert [(k, s) for k, _t, _u, _d, s in scan_on(DUE - dt.timedelta(days=1)).sent] == [("task.reminder", 1)]
    assert alerts.reminder_step(days_left=5, steps=[7, 3, 1]) == 7
    assert alerts.reminder_step(days_left=8, steps=[7, 3, 1]) is None
    assert alerts.reminder_step(days_left=0, steps=[7, 3, 1]) is None


def test_a_done_task_gets_nothing(task, cast):
    task_set_status(task=task, actor=cast.office, status="done", completed_on=DUE - dt.timedelta(days=10))
    for offset in (-7, -3, -1, 1):
        assert scan_on(DUE + dt.timedelta(days=offset)).sent == []


def test_a_recurring_task_is_reminded_of_its_periodic_report_and_flagged_when_it_is_missing(
        cast, overdue_events, django_capture_on_commit_callbacks):
    recurring = task_create(notice=cast.notice, text="Hằng tháng báo cáo kết quả hợp tác 3 Nhà", lead=[cast.kh],
                            deadline_kind=DeadlineKind.RECURRING, report_cadence=ReportCadence.MONTHLY,
                            actor=cast.office)
    assert recurring.next_report_due == dt.date(2025, 6, 30)
    with django_capture_on_commit_callbacks(execute=True):
        assert [(k, d) for k, _t, _u, d, _s in scan_on(dt.date(2025, 6, 27)).sent] == [
            ("task.reminder", dt.date(2025, 6, 30))]
        assert [(k, d) for k, _t, _u, d, _s in scan_on(dt.date(2025, 7, 1)).sent] == [
            ("task.overdue", dt.date(2025, 6, 30))]
    assert "chưa có báo cáo định kỳ" in Notification.objects.get(kind=alerts.TASK_OVERDUE).title
    assert overdue_events[0]["missed"] == "report"


def test_two_scans_that_picked_the_same_work_send_it_once(task, cast, settings):
    """Scan B selected its candidates before scan A sent anything; only the claim stands between them."""
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    today = DUE - dt.timedelta(days=7)
    picked_by_a = alerts.reminder_candidates(today=today)
    picked_by_b = alerts.reminder_candidates(today=today)
    a, b = alerts.ScanResult(), alerts.ScanResult()
    alerts.reminders_process(today=today, candidates=picked_by_a, result=a)
    alerts.reminders_process(today=today, candidates=picked_by_b, result=b)
    assert (a.reminders, b.reminders) == (1, 0)
    # the claim itself is the lock: the same (task, recipient, kind, due date, step) cannot be claimed twice
    assert alerts.claim(kind=alerts.TASK_REMINDER, due_on=DUE, target=task, recipient=cast.alice, step=7) is None
    assert alerts.claim(kind=alerts.TASK_REMINDER, due_on=DUE, target=task, recipient=cast.alice, step=3) is not None
    assert Notification.objects.count() == 1
    assert Dispatch.objects.filter(object_id=task.pk, step=7).count() == 1


@contextlib.contextmanager
def own_connection(database_file):
    """This thread's ORM connection: the test database itself on PostgreSQL; on SQLite a file copy of it opened with
    the production options (WAL, IMMEDIATE transactions, busy timeout) — the in-memory test database cannot take
    two writers."""
    if database_file is None:
        try:
            yield
        finally:
            connection.close()
        return
    original = connections["default"]
    wrapper = original.__class__({**original.settings_dict, "NAME": str(database_file)}, alias="default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = original


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_on_two_connections_send_each_reminder_once(settings, tmp_path):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    cast = build_cast()
    tasks = [make_task(notice=cast.notice, lead=[cast.kh, cast.tc], due=DUE, path=f"9.{i}") for i in range(5)]
    database_file = None
    if connection.vendor == "sqlite":
        database_file = tmp_path / "race.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database_file)
        connection.connection.backup(target)
        target.close()
    today = DUE - dt.timedelta(days=3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        with own_connection(database_file):
            try:
                barrier.wait(timeout=10)
                results.append(alerts.daily_scan(today=today))
            except Exception as exc:  # surfaced below
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.reminders for r in results) == 10  # 5 tasks × (alice + bob), split between the two scans
    with own_connection(database_file) if database_file else contextlib.nullcontext():
        reminders = Notification.objects.filter(kind=alerts.TASK_REMINDER)  # not the "task assigned" notices
        assert reminders.count() == 10
        assert sorted(reminders.values_list("object_id", "recipient__username")) == sorted(
            (t.pk, name) for t in tasks for name in ("alice", "bob"))
        assert Dispatch.objects.filter(kind=alerts.TASK_REMINDER, step=3).count() == 10


def test_the_weekly_digest_goes_to_each_focal_point_once_a_week(task, cast):
    monday = dt.date(2025, 10, 20)
    assert monday.weekday() == 0
    with at(monday):
        assert alerts.weekly_digest(today=monday) == 2  # alice (Bộ KH&CN) and bob (Bộ Tài chính); carol leads nothing
        assert alerts.weekly_digest(today=monday) == 0
        assert alerts.weekly_digest(today=monday + dt.timedelta(days=2)) == 0  # same week
    digest = Notification.objects.get(recipient=cast.alice, kind=alerts.DIGEST)
    assert "Bộ Khoa học và Công nghệ — 2 nhiệm vụ quá hạn" in digest.title  # task (15/10) and task_kh (30/07)
    assert "chậm 5 ngày" in digest.body and "chậm 82 ngày" in digest.body
    assert digest.url == f"/tasks/?agency={cast.kh.pk}&role=lead"
    with at(monday + dt.timedelta(days=7)):
        assert alerts.weekly_digest(today=monday + dt.timedelta(days=7)) == 2


def test_the_escalation_list_groups_late_tasks_by_lead_agency_with_days_late(task, cast):
    late_tc = make_task(notice=cast.notice, lead=[cast.tc], due=dt.date(2025, 10, 1), path="3")
    groups = alerts.escalation_list(today=dt.date(2025, 10, 20))
    assert [(g["agency"], g["count"], [(i.task_id, i.days_late) for i in g["items"]]) for g in groups] == [
        ("Bộ KH&CN", 2, [(cast.task_kh.pk, 82), (task.pk, 5)]),
        ("Bộ Tài chính", 1, [(late_tc.pk, 19)]),
    ]
    assert groups[1]["url"] == f"/tasks/?agency={cast.tc.pk}&role=lead&timing=open_overdue"
    assert alerts.escalation_total(today=dt.date(2025, 10, 20)) == 3
    first = alerts.escalation_list(today=dt.date(2025, 10, 20), limit=1)
    assert [(g["agency"], g["count"], g["max_days_late"], [i.task_id for i in g["items"]]) for g in first] == [
        ("Bộ KH&CN", 2, 82, [cast.task_kh.pk]), ("Bộ Tài chính", 1, 19, [late_tc.pk])]
    assert alerts.escalation_list(today=dt.date(2025, 10, 20), limit=None) == groups
    assert alerts.escalation_send(today=dt.date(2025, 10, 20)) == 1  # the office
    assert alerts.escalation_send(today=dt.date(2025, 10, 21)) == 0
    note = Notification.objects.get(kind=alerts.ESCALATION)
    assert note.recipient == cast.office
    assert "3 nhiệm vụ, 2 cơ quan" in note.title
    assert "Bộ Tài chính: 1 nhiệm vụ" in note.body
