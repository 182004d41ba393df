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


def test_each_app_declares_its_events_and_webhooks_offer_every_registered_one(cast):
    from nq57.api.models import WEBHOOK_EVENTS
    from nq57.api.services import webhook_subscribe

    assert {"task.created", "task.assigned", "report.assessed", "extension.decided"} <= set(events.registered_events())
    assert events.event_label("report.assessed") == "Báo cáo tiến độ được đánh giá"
    # a later app (say, a feedback intake) declares its own event without editing core or api
    events.register_event("feedback.received", label="Có phản ánh mới của người dân")
    assert "feedback.received" in WEBHOOK_EVENTS
    hook = webhook_subscribe(actor=cast.office, url="https://r71.gov.vn/hook", secret="bi-mat-cua-he-thong-71-abcdef",
                             events=["feedback.received", "task.assigned"])
    assert hook.events == ["feedback.received", "task.assigned"]
    with pytest.raises(ValueError):
        events.register_event("feedback.received", label="Một nhãn khác")
    with pytest.raises(ValueError):
        events.listener("feedback.nobody_declared")(print)


def test_a_listener_of_any_event_hears_every_event(db, django_capture_on_commit_callbacks):
    seen = []

    def remember(event):
        seen.append(event.name)

    events.listener(events.ANY_EVENT)(remember)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.publish("extension.requested", task_id=1, extension_id=2)
            events.publish("task.assigned", task_id=1, agency_id=3, role="lead")
        assert seen == ["extension.requested", "task.assigned"]
    finally:
        events._listeners[events.ANY_EVENT].remove(remember)
