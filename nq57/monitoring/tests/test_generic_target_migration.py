"""The migration to generic targets moves the existing task notifications and claims, and renames their kinds."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from nq57.core.testing import build_cast

BEFORE = [("monitoring", "0002_report_snapshot_entries")]
AFTER = [("monitoring", "0005_drop_task_fields_unique_targets")]


@pytest.mark.django_db(transaction=True)
def test_task_notifications_and_claims_become_generic_targets():
    cast = build_cast()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    old.get_model("monitoring", "Notification").objects.create(
        recipient_id=cast.alice.pk, kind="reminder", task_id=cast.task_kh.pk, title="Nhắc hạn", created_at=now)
    old.get_model("monitoring", "Dispatch").objects.create(
        kind="reminder", task_id=cast.task_kh.pk, recipient_id=cast.alice.pk, due_on=dt.date(2025, 7, 30), step=7,
        claimed_at=now, sent_at=now)
    old.get_model("monitoring", "Dispatch").objects.create(
        kind="digest", recipient_id=cast.alice.pk, due_on=dt.date(2025, 7, 28), claimed_at=now, sent_at=now)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from nq57.monitoring.models import Dispatch, Notification

    note = Notification.objects.filter(title="Nhắc hạn").get()
    assert (note.kind, note.target, note.task_id) == ("task.reminder", cast.task_kh, cast.task_kh.pk)
    claim = Dispatch.objects.get(kind="task.reminder")
    assert (claim.target, claim.recipient_id, claim.step) == (cast.task_kh, cast.alice.pk, 7)
    assert Dispatch.objects.get(kind="monitoring.digest").target is None
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema for the next tests
