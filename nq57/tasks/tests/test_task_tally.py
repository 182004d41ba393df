"""The task tally (``TaskTally``, kept by database triggers) always equals a fresh recount of the tasks, after every
kind of write: creation (one by one and in bulk), status, completion, deadline and report-date changes, a parent
set or cleared, lead assignments added, moved, re-roled and removed, theme links added and removed, deletion — made
through the services, the ORM, ``bulk_create``, ``QuerySet.update`` and raw deletes alike (SQLite and PostgreSQL).
The assignments' copies of their task's status, parent and due date (``TaskAssignment.task_status``, kept by
triggers too) are checked after each write as well."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.core.testing import AgencyFactory, NoticeFactory, make_office, make_task
from nq57.tasks import services
from nq57.tasks.models import (
    AssignmentRole,
    OverdueSpan,
    Task,
    TaskAssignment,
    TaskStatus,
    TaskTally,
    Timing,
    day_number,
)
from nq57.taxonomy.models import Theme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def recount() -> Counter:
    """The tally's keys and counts, recomputed from the tasks, their lead assignments and their theme links."""
    expected = Counter()
    tasks = {t.pk: t for t in Task.objects.filter(parent__isnull=True)}

    def late(t):
        return t.status == TaskStatus.DONE and t.deadline_due is not None and (
            t.completed_on is None or t.completed_on > t.deadline_due)

    for t in tasks.values():
        expected[("all", None, None, t.status, late(t), t.deadline_due, t.next_report_due)] += 1
    for task_id, agency_id in TaskAssignment.objects.filter(role=AssignmentRole.LEAD).values_list("task_id",
                                                                                                   "agency_id"):
        t = tasks.get(task_id)
        if t is not None:
            done = t.status == TaskStatus.DONE
            expected[("lead", agency_id, None, t.status, late(t), None if done else t.deadline_due,
                      None if done else t.next_report_due)] += 1
    for task_id, theme_id in Task.themes.through.objects.values_list("task_id", "theme_id"):
        t = tasks.get(task_id)
        if t is not None:
            expected[("theme", None, theme_id, t.status, late(t), None, None)] += 1
    return expected


def tally() -> Counter:
    kept = Counter()
    for row in TaskTally.objects.values_list("kind", "agency_id", "theme_id", "status", "late", "deadline_due",
                                             "next_report_due", "n"):
        kept[row[:7]] += row[7]
    return +kept  # rows counted down to zero are dropped


def span_recount() -> Counter:
    """``OverdueSpan``'s keys, recomputed from the tasks: from the later of the day after the deadline and the
    (local) creation day, to the completion day."""
    from django.utils import timezone

    expected = Counter()
    for t in Task.objects.filter(parent__isnull=True, deadline_due__isnull=False):
        starts = max(day_number(t.deadline_due) + 1, day_number(timezone.localdate(t.created_at)))
        ends = day_number(t.completed_on) if t.completed_on else None
        if ends is None or ends > starts:
            expected[(starts, ends)] += 1
    return expected


def spans() -> Counter:
    kept = Counter()
    for starts, ends, n in OverdueSpan.objects.values_list("starts_on", "ends_on", "n"):
        kept[(starts, ends)] += n
    return +kept


def assignments_with_stale_copies() -> list[int]:
    """Assignments whose copies of their task's status, parent and due date (``TaskAssignment.task_status``, kept by
    triggers) differ from the task's columns."""
    return [a.pk for a in TaskAssignment.objects.select_related("task")
            if (a.task_status, a.task_parent_id, a.task_deadline_due) != (a.task.status, a.task.parent_id,
                                                                         a.task.deadline_due)]


def assert_tally_matches():
    assert tally() == recount()
    assert spans() == span_recount()
    assert assignments_with_stale_copies() == []


@pytest.fixture
def world(db):
    agencies = [AgencyFactory(name=f"Bộ thử {i}") for i in range(3)]
    themes = [Theme.objects.create(code=f"tally-{i}", name=f"Chủ đề đếm {i}") for i in range(2)]
    notice = NoticeFactory()
    return {"agencies": agencies, "themes": themes, "notice": notice}


def test_services_keep_the_tally(world):
    a, b, c = world["agencies"]
    notice = world["notice"]
    office = make_office("office-tally")
    task = make_task(notice=notice, lead=[a], coordinating=[b], due=TODAY + dt.timedelta(days=3))
    other = make_task(notice=notice, lead=[a, c], due=TODAY - dt.timedelta(days=3))
    assert_tally_matches()
    services.task_set_status(task=task, actor=office, status=TaskStatus.DONE, completed_on=TODAY + dt.timedelta(days=9))
    assert_tally_matches()
    services.tasks_bulk_create(specs=[
        {"notice": notice, "text": f"Nhiệm vụ hàng loạt {i}", "lead": [world["agencies"][i % 3]],
         "deadline_kind": "date", "deadline_due": TODAY + dt.timedelta(days=i), "status": TaskStatus.DONE if i % 2
         else TaskStatus.OPEN, "completed_on": TODAY if i % 2 else None}
        for i in range(6)], actor=office)
    assert_tally_matches()
    services.task_update(task=other, actor=office, expected_version=None, deadline_due=TODAY + dt.timedelta(days=30))
    assert_tally_matches()
    other.delete()
    assert_tally_matches()


DATES = st.one_of(st.none(), st.integers(-20, 20).map(lambda d: TODAY + dt.timedelta(days=d)))
OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["create", "bulk", "status", "deadline", "report", "parent", "lead_add", "lead_move", "lead_role",
                     "lead_del", "theme_add", "theme_del", "delete", "update_all", "created", "stale_save"]),
    st.integers(0, 50), st.integers(0, 50), DATES, DATES), min_size=1, max_size=12)


@given(operations=OPERATIONS)
@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_write_keeps_the_tally_equal_to_a_recount(world, operations):
    agencies, themes, notice = world["agencies"], world["themes"], world["notice"]

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for op, i, j, day, other_day in operations:
                tasks = list(Task.objects.order_by("id"))
                task = tasks[i % len(tasks)] if tasks else None
                agency = agencies[j % len(agencies)]
                if op == "create" or task is None:
                    status = [TaskStatus.OPEN, TaskStatus.PARTLY_DONE, TaskStatus.DONE][j % 3]
                    t = Task.objects.create(notice=notice, text="Nhiệm vụ", deadline_due=day, status=status,
                                            completed_on=other_day or TODAY if status == TaskStatus.DONE else None)
                    TaskAssignment.objects.create(task=t, agency=agency, role=AssignmentRole.LEAD)
                elif op == "bulk":
                    created = Task.objects.bulk_create([Task(notice=notice, text="Hàng loạt", deadline_due=day,
                                                             next_report_due=other_day) for _ in range(2)])
                    TaskAssignment.objects.bulk_create([TaskAssignment(task=t, agency=agency, role=AssignmentRole.LEAD)
                                                        for t in created])
                    Task.themes.through.objects.bulk_create([Task.themes.through(task=t, theme=themes[j % 2])
                                                             for t in created])
                elif op == "status":
                    status = [TaskStatus.OPEN, TaskStatus.PARTLY_DONE, TaskStatus.DONE][j % 3]
                    task.status = status
                    task.completed_on = (other_day or TODAY) if status == TaskStatus.DONE else None
                    task.save()
                elif op == "deadline":
                    Task.objects.filter(pk=task.pk).update(deadline_due=day)
                elif op == "report":
                    task.next_report_due = day
                    task.save(update_fields=["next_report_due"])
                elif op == "parent":
                    parent = tasks[j % len(tasks)]
                    if parent.pk != task.pk and parent.parent_id is None and not task.subtasks.exists():
                        Task.objects.filter(pk=task.pk).update(parent=None if task.parent_id else parent)
                elif op == "lead_add":
                    TaskAssignment.objects.get_or_create(task=task, agency=agency, role=AssignmentRole.LEAD)
                elif op == "lead_move":
                    assignment = task.assignments.first()
                    if assignment and not TaskAssignment.objects.filter(task=task, agency=agency,
                                                                        role=assignment.role).exists():
                        TaskAssignment.objects.filter(pk=assignment.pk).update(agency=agency)
                elif op == "lead_role":
                    assignment = task.assignments.first()
                    if assignment:
                        role = (AssignmentRole.COORDINATING if assignment.role == AssignmentRole.LEAD
                                else AssignmentRole.LEAD)
                        if not TaskAssignment.objects.filter(task=task, agency=assignment.agency, role=role).exists():
                            assignment.role = role
                            assignment.save()
                elif op == "lead_del":
                    TaskAssignment.objects.filter(task=task, agency=agency).delete()
                elif op == "theme_add":
                    task.themes.add(themes[j % 2])
                elif op == "theme_del":
                    task.themes.remove(themes[j % 2])
                elif op == "delete":
                    task.delete()
                elif op == "created" and day is not None:  # at the last moment of a local day (or its first)
                    from django.utils import timezone

                    moment = dt.datetime.combine(day, dt.time(23, 59, 59, 999999) if j % 2 else dt.time(),
                                                 tzinfo=timezone.get_current_timezone())
                    Task.objects.filter(pk=task.pk).update(created_at=moment)
                elif op == "stale_save":  # an assignment read, its task changed, then the assignment saved whole
                    assignment = task.assignments.first()
                    if assignment:
                        done = j % 2 == 1
                        Task.objects.filter(pk=task.pk).update(
                            status=TaskStatus.DONE if done else TaskStatus.OPEN, deadline_due=day,
                            completed_on=(other_day or TODAY) if done else None)
                        assignment.assigned_name = "Tên cũ"
                        assignment.save()
                elif op == "update_all":
                    Task.objects.filter(status=TaskStatus.OPEN).update(status=TaskStatus.PARTLY_DONE)
                assert_tally_matches()
            raise Rollback
    except Rollback:
        pass


def test_the_tally_classes_match_the_task_conditions(world):
    """``Timing.tally_conditions`` on the tally gives the counts ``Timing.conditions`` gives on the tasks."""
    from django.db.models import Count, Q, Sum

    a = world["agencies"][0]
    for offset in range(-10, 30, 3):
        for status in TaskStatus:
            due = TODAY + dt.timedelta(days=offset)
            completed = due + dt.timedelta(days=offset % 5 - 2) if status == TaskStatus.DONE else None
            t = Task.objects.create(notice=world["notice"], text="x", deadline_due=due if offset % 4 else None,
                                    next_report_due=TODAY + dt.timedelta(days=offset // 2) if offset % 3 else None,
                                    status=status, completed_on=completed)
            TaskAssignment.objects.create(task=t, agency=a, role=AssignmentRole.LEAD)
    for kind in ("all", "lead"):
        kept = TaskTally.objects.filter(kind=kind).aggregate(
            **{t: Sum("n", filter=c) for t, c in Timing.tally_conditions(today=TODAY).items()})
        counted = Task.objects.filter(parent__isnull=True).aggregate(**Timing.counts(today=TODAY))
        assert {k: v or 0 for k, v in kept.items()} == counted
    assert TaskTally.objects.filter(~Q(kind__in=["all", "lead", "theme"])).count() == 0
    assert Task.objects.aggregate(n=Count("id"))["n"] == sum(
        TaskTally.objects.filter(kind="all").values_list("n", flat=True))


def test_an_exchange_import_keeps_the_tally(cast):
    """Tasks, assignments, statuses and reports written by the exchange import (bulk paths) are counted too, and
    importing the same records again changes nothing."""
    import json

    from nq57.exchange.services import exchange_import
    from nq57.exchange.tests.test_batches import many_records
    from nq57.exchange.tests.test_exchange import r71_document

    document = r71_document(*many_records(cast, 4, reports=1))
    exchange_import(document=json.loads(json.dumps(document)), actor=cast.office)
    assert_tally_matches()
    before = tally()
    exchange_import(document=json.loads(json.dumps(document)), actor=cast.office)
    assert tally() == before == recount()


@pytest.mark.django_db(transaction=True)
def test_a_flush_that_empties_the_tally_before_the_tasks_leaves_no_count_behind(world):
    """A flush on SQLite deletes table by table in no fixed order: with the tally emptied first, the tasks' delete
    triggers count below zero for agencies that are then gone. The ``post_migrate`` that follows a flush clears
    such remnants, so the next user of the database (the next transactional test) starts from an empty tally."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    make_task(notice=world["notice"], lead=[world["agencies"][0]], due=TODAY)
    assert TaskTally.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tasks_tasktally")  # the tally first, then the tasks and what hangs on them
    Task.objects.all().delete()
    assert TaskTally.objects.filter(n__lt=0).exists()  # what the flush left behind before the fix
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not TaskTally.objects.exists()
