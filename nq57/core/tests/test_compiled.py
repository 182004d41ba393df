"""``core.compiled``: a query compiled once answers every call as the same QuerySet would, with the call's values;
a builder that breaks the contract is refused at its first call; ``core.dbfunctions.IdIn`` and the PostgreSQL
connection settings the compiled queries run on."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from nq57.core.compiled import attach_prefetched, compiled_query
from nq57.core.dbfunctions import IdIn
from nq57.tasks.models import Task, TaskAssignment, TaskEvent


@compiled_query
def _tasks_due(*, notice_id: int, due_from: dt.date, path: str):
    return (Task.objects.filter(notice_id=notice_id, deadline_due__gte=due_from, path__gt=path)
            .select_related("notice").order_by("deadline_due", "id"))


@compiled_query
def _events_since(*, task_id: int, since: dt.datetime):
    return TaskEvent.objects.filter(task_id=task_id, at__gte=since).order_by("at", "id").values_list("id", flat=True)


@compiled_query
def _tasks_by_id(*, ids: list[int]):
    return Task.objects.filter(IdIn("pk", ids)).order_by("id").values_list("id", flat=True)


def test_each_call_runs_the_sql_compiled_once_with_its_own_values(cast, django_assert_num_queries):
    notice = cast.notice
    cases = [(notice.pk, dt.date(2025, 1, 1), "1"), (notice.pk, dt.date(2025, 8, 1), "1"),
             (notice.pk, dt.date(2025, 1, 1), "1.a.9"), (notice.pk + 1000, dt.date(2025, 1, 1), "1")]
    _tasks_due(notice_id=notice.pk, due_from=dt.date(2025, 1, 1), path="1")  # compiled here, if not before
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiles:
        for notice_id, due_from, path in cases:
            expected = list(Task.objects.filter(notice_id=notice_id, deadline_due__gte=due_from,
                                                path__gt=path).order_by("deadline_due", "id"))
            numbers = [t.notice.number for t in expected]
            compiles.reset_mock()
            with django_assert_num_queries(1):
                found = _tasks_due(notice_id=notice_id, due_from=due_from, path=path)
                assert [t.notice.number for t in found] == numbers  # joined: no query of its own
            assert compiles.call_count == 0
            assert found == expected
    assert [t.pk for t in _tasks_due(notice_id=notice.pk, due_from=dt.date(2025, 8, 1), path="1")] == [cast.task_tc.pk]


def test_dates_and_times_are_passed_as_django_would_pass_them(cast):
    from nq57.tasks.services import task_set_status

    before = timezone.now() - dt.timedelta(minutes=1)
    task_set_status(task=cast.task_kh, actor=cast.office, status="partly_done", progress=50)
    events = list(TaskEvent.objects.filter(task=cast.task_kh).order_by("at", "id").values_list("id", "at"))
    assert events
    assert _events_since(task_id=cast.task_kh.pk, since=before) == [pk for pk, at in events if at >= before]
    assert _events_since(task_id=cast.task_kh.pk, since=events[-1][1]) == [events[-1][0]]
    assert _events_since(task_id=cast.task_kh.pk, since=timezone.now() + dt.timedelta(days=1)) == []


def test_ids_are_one_parameter_whatever_their_number(cast):
    kh, tc = cast.task_kh.pk, cast.task_tc.pk
    assert _tasks_by_id(ids=[kh]) == [kh]
    assert _tasks_by_id(ids=[tc, kh, kh]) == sorted([kh, tc])
    assert _tasks_by_id(ids=[]) == []
    assert _tasks_by_id(ids=[kh, 2**70]) == [kh]  # an id past 64 bits matches nothing
    # IdIn in a plain QuerySet too
    assert list(Task.objects.filter(IdIn("pk", [tc])).values_list("pk", flat=True)) == [tc]


def test_values_that_match_nothing_or_are_not_what_the_builder_takes(cast, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert _tasks_due(notice_id=2**64, due_from=dt.date(2025, 1, 1), path="1") == []
    with pytest.raises(TypeError):
        _tasks_due(notice_id="1", due_from=dt.date(2025, 1, 1), path="1")
    with pytest.raises(TypeError):
        _tasks_due(notice_id=True, due_from=dt.date(2025, 1, 1), path="1")
    with pytest.raises(TypeError):  # a date-time is not a date
        _tasks_due(notice_id=1, due_from=timezone.now(), path="1")
    with pytest.raises(TypeError):
        _tasks_due(notice_id=1, due_from=dt.date(2025, 1, 1))
    with pytest.raises(TypeError):
        _events_since(task_id=1, since=dt.datetime(2025, 1, 1))  # naive
    with pytest.raises(TypeError):
        _tasks_by_id(ids=[1, "2"])


def test_a_builder_that_breaks_the_contract_is_refused(db):
    with pytest.raises(ImproperlyConfigured):
        @compiled_query
        def positional(pk: int):
            return Task.objects.filter(pk=pk)

    with pytest.raises(ImproperlyConfigured):
        @compiled_query
        def untyped(*, pk):
            return Task.objects.filter(pk=pk)

    @compiled_query
    def changed(*, pk: int):
        return Task.objects.filter(pk=pk + 1)

    @compiled_query
    def wrapped(*, words: str):
        return Task.objects.filter(text__icontains=words)

    @compiled_query
    def unused(*, pk: int, path: str):
        return Task.objects.filter(pk=pk)

    for query, values in ((changed, {"pk": 1}), (wrapped, {"words": "số"}), (unused, {"pk": 1, "path": "1"})):
        with pytest.raises(ImproperlyConfigured, match="did not reach the SQL"):
            query(**values)


def test_rows_attached_as_a_relation_read_without_a_query(cast, django_assert_num_queries):
    task = Task.objects.get(pk=cast.task_kh.pk)
    rows = list(TaskAssignment.objects.filter(task=task).order_by("role", "id"))
    attach_prefetched(task, "assignments", rows)
    with django_assert_num_queries(0):
        assert list(task.assignments.all()) == rows
        assert all(row.task is task for row in rows)
    with django_assert_num_queries(1):  # a refinement still asks the database, for this task only
        assert list(task.assignments.filter(agency=cast.tc)) == [r for r in rows if r.agency_id == cast.tc.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connection settings")
def test_postgresql_keeps_statements_prepared_and_plans_each_run(cast):
    connection.ensure_connection()
    assert type(connection.connection.cursor()).__name__ == "ServerBindingCursor"
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"
    for _ in range(6):  # past the threshold (5)
        _tasks_by_id(ids=[cast.task_kh.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%ANY($1)%"])
        assert cursor.fetchone()[0] >= 1
