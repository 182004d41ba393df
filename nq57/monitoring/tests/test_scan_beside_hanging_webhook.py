"""A webhook receiver that accepts the connection and never answers does not hold up the daily scan: the delivery
waits in its own bounded slot, the scan runs and sends its reminders; the delivery's row stays the truth (retried by
the sweep, taken over when its worker died)."""

import contextlib
import datetime as dt
import socket
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from nq57.api import webhooks
from nq57.api.models import DeliveryState, WebhookDelivery, WebhookSubscription
from nq57.api.tests.test_webhooks import Receiver
from nq57.core.testing import build_cast, make_task
from nq57.monitoring import alerts
from nq57.monitoring import tasks as jobs

DUE = dt.date(2025, 10, 15)
SECRET = "bi-mat-cua-he-thong-71-abcdef"


class HangingReceiver:
    """Accepts connections and reads the request, then answers nothing until released."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.connected = threading.Event()
        self.release = threading.Event()
        self.connections = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self.release.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.connected.set()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self.sock.close()


@pytest.mark.django_db(transaction=True)
def test_the_daily_scan_sends_its_reminders_while_a_webhook_receiver_hangs(settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    settings.WEBHOOK_TIMEOUT_SECONDS = 120  # the receiver is released by the test, never by the timeout
    cast = build_cast()
    cast.alice.email = "alice@most.gov.vn"
    cast.alice.save()
    today = DUE - dt.timedelta(days=7)
    make_task(notice=cast.notice, lead=[cast.kh], due=DUE, path="8")  # its 7-day reminder is due today
    late = make_task(notice=cast.notice, lead=[cast.kh], due=today - dt.timedelta(days=1), path="9")  # overdue
    with HangingReceiver() as receiver:
        hook = WebhookSubscription.objects.create(owner=cast.office, url=receiver.url, secret=SECRET,
                                                  events=["task.overdue", "task.created"])
        stuck = WebhookDelivery.objects.create(subscription=hook, event="task.created", payload={"event": "x"},
                                               next_attempt_at=timezone.now())
        outcome = {}
        def sweep():  # another job thread, with its own database connection
            try:
                outcome.update(webhooks.deliveries_sweep())
            finally:
                connection.close()

        worker = threading.Thread(target=sweep)
        worker.start()
        try:
            assert receiver.connected.wait(60), "the webhook worker never reached the receiver"
            mail.outbox.clear()
            # the daily scan, as the job queue runs it, while the delivery hangs on the other worker thread
            result = jobs.daily_scan_job(today.isoformat())()
            assert result == {"today": today.isoformat(), "overdue_events": 1, "overdue_notices": 1, "reminders": 1}
            assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["[nq57] Nhắc hạn", "[nq57] Quá hạn"]
            assert worker.is_alive()  # still waiting for an answer that never came
            # the scan's task.overdue went to the same hanging receiver: queued, not posted (no free slot)
            overdue = WebhookDelivery.objects.get(event="task.overdue")
            assert (overdue.attempts, overdue.state) == (0, DeliveryState.PENDING)
            assert overdue.payload["data"]["task_id"] == late.pk
            assert webhooks.delivery_run(overdue.pk) == "busy"
        finally:
            receiver.release.set()
            for conn in receiver.connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            worker.join(180)
    stuck.refresh_from_db()
    assert (stuck.attempts, stuck.state, stuck.status_code) == (1, DeliveryState.PENDING, None)
    assert stuck.error and stuck.next_attempt_at > stuck.last_attempt_at  # a retry is due later
    assert outcome["failed"] == 1


def test_a_receiver_that_never_answers_times_out(cast, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    with HangingReceiver() as receiver:
        hook = WebhookSubscription.objects.create(owner=cast.office, url=receiver.url, secret=SECRET,
                                                  events=["task.created"])
        delivery = WebhookDelivery.objects.create(subscription=hook, event="task.created", payload={},
                                                  next_attempt_at=timezone.now())
        assert webhooks.delivery_run(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.error == "Máy nhận không trả lời trong 1 giây."
    assert (delivery.attempts, delivery.state) == (1, DeliveryState.PENDING)


def test_a_delivery_whose_worker_died_is_posted_by_the_sweep_once_its_lease_ends(cast):
    with Receiver() as receiver:  # answers 500 first, then 200
        hook = WebhookSubscription.objects.create(owner=cast.office, url=receiver.url, secret=SECRET,
                                                  events=["task.created"])
        delivery = WebhookDelivery.objects.create(subscription=hook, event="task.created", payload={"a": 1},
                                                  next_attempt_at=timezone.now())
        assert webhooks.delivery_claim(delivery.pk) is not None  # a worker took it ... and died
        assert webhooks.delivery_claim(delivery.pk) is None  # nobody else takes the same attempt
        assert webhooks.deliveries_sweep() == {"sent": 0, "failed": 0, "skipped": 0, "busy": 0}
        after_lease = timezone.now() + dt.timedelta(seconds=webhooks.LEASE_SECONDS + 60)
        with time_machine.travel(after_lease, tick=False):
            assert webhooks.deliveries_sweep() == {"sent": 0, "failed": 1, "skipped": 0, "busy": 0}
        with time_machine.travel(after_lease + dt.timedelta(seconds=webhooks.backoff_seconds(1) + 1), tick=False):
            assert webhooks.deliveries_sweep()["sent"] == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.state) == (2, DeliveryState.SUCCEEDED)
    assert len(receiver.received) == 2
    assert alerts.TASK_REMINDER  # the alerts' kinds are registered alongside
