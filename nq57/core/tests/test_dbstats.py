"""The planner's statistics: ``ANALYZE`` on SQLite (which keeps none by itself) after a large import and once a day;
PostgreSQL's autovacuum does its own."""

import pytest
from django.db import connection

from nq57.core import dbstats
from nq57.core.tasks import statistics_refresh_periodic
from nq57.exchange.batches import batch_run
from nq57.exchange.tests.test_batches import json_batch, many_records

pytestmark = pytest.mark.django_db


def task_statistics() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return []
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'tasks_task'")
        return cursor.fetchall()


def forget_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchall():
            cursor.execute("DELETE FROM sqlite_stat1")


def test_the_daily_job_writes_the_statistics_of_sqlite_and_leaves_postgresql_to_autovacuum(cast):
    if connection.vendor != "sqlite":
        assert statistics_refresh_periodic.call_local() is False
        return
    forget_statistics()
    assert task_statistics() == []
    assert statistics_refresh_periodic.call_local() is True
    stats = dict(task_statistics())
    assert stats and all(int(stat.split()[0]) >= 2 for stat in stats.values())  # the cast's tasks, counted


def test_a_large_import_refreshes_them_when_it_finishes_and_a_small_one_does_not(cast, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL analyses by itself (autovacuum)")
    forget_statistics()
    monkeypatch.setattr(dbstats, "AFTER_IMPORT_ROWS", 4)
    batch_run(batch_id=json_batch(cast, many_records(cast, 3)).pk, actor=cast.office)
    assert task_statistics() == []
    batch_run(batch_id=json_batch(cast, many_records(cast, 4)).pk, actor=cast.office)
    assert task_statistics()
