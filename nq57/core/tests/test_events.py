import pytest
from django.db import transaction

from nq57.core import events


def test_listeners_run_only_after_commit(db, django_capture_on_commit_callbacks):
    seen = []

    @events.listener("task.created")
    def remember(event):
        seen.append(event.payload["task_id"])

    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.publish("task.created", task_id=7)
            assert seen == []
        assert seen == [7]
    finally:
        events._listeners["task.created"].remove(remember)


def test_a_rolled_back_write_publishes_nothing(transactional_db):
    seen = []

    @events.listener("report.submitted")
    def remember(event):
        seen.append(event)

    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish("report.submitted", task_id=1, report_id=1, agency_id=1)
            raise RuntimeError("rollback")
        assert seen == []
    finally:
        events._listeners["report.submitted"].remove(remember)


def test_unknown_event_names_are_refused():
    with pytest.raises(ValueError):
        events.publish("task.exploded")
