"""Webhooks against a real HTTP receiver on 127.0.0.1: signed, retried with backoff through Huey, logged."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from nq57.api.models import DeliveryState, WebhookDelivery
from nq57.api.tests.helpers import assert_error
from nq57.api.webhooks import backoff_seconds

SECRET = "bi-mat-cua-he-thong-71-abcdef"


class Receiver:
    """Answers 500 to the first POST and 200 afterwards; keeps what it received."""

    def __init__(self):
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": self.headers, "body": body})
                status = 500 if len(receiver.received) == 1 else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.end_headers()
                self.wfile.write(("lỗi tạm thời" if status == 500 else "đã nhận").encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/nq57-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def run_scheduled_huey_tasks() -> int:
    """Run what Huey scheduled for later (the retries), as the consumer would once their time comes."""
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=2)
    tasks = HUEY.read_schedule(later)
    for task in tasks:
        HUEY.execute(task, timestamp=later)
    return len(tasks)


def test_a_delivery_is_signed_retried_after_a_500_and_logged(cast, api_as, receiver,
                                                            django_capture_on_commit_callbacks):
    office, alice = api_as(cast.office), api_as(cast.alice)
    created = office.post("webhooks", {"url": receiver.url, "secret": SECRET, "events": ["report.submitted"],
                                       "name": "Hệ thống NQ71"})
    assert created.status_code == 201, created.content
    HUEY.storage.flush_all()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report = alice.post(f"tasks/{cast.task_kh.pk}/reports",
                            {"period_start": today.isoformat(), "period_end": today.isoformat(),
                             "text": "Báo cáo tháng", "percent": 20, "claimed_status": "open"})
    assert report.status_code == 201
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.status_code, delivery.state) == (1, 500, DeliveryState.PENDING)
    assert delivery.next_attempt_at > delivery.last_attempt_at

    assert run_scheduled_huey_tasks() == 1  # the retry Huey scheduled with backoff
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status_code, delivery.state) == (2, 200, DeliveryState.SUCCEEDED)
    assert [entry["status_code"] for entry in delivery.log] == [500, 200]
    assert delivery.log[0]["response_excerpt"].endswith(" byte") and delivery.response_excerpt.endswith(" byte")
    assert delivery.error == "" and "500" in delivery.log[0]["error"] and delivery.delivered_at

    assert len(receiver.received) == 2
    for hit in receiver.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), hit["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(hit["headers"]["X-NQ57-Signature"], expected)
        assert hit["headers"]["X-NQ57-Event"] == "report.submitted"
        assert hit["headers"]["X-NQ57-Delivery"] == str(delivery.uuid)
        assert int(hit["headers"]["X-NQ57-Timestamp"]) > 0
    payload = json.loads(receiver.received[1]["body"])
    assert payload["event"] == "report.submitted"
    assert payload["data"]["report_id"] == report.json()["id"]
    assert payload["task"]["id"] == cast.task_kh.pk
    tampered = "sha256=" + hmac.new(b"wrong", receiver.received[1]["body"], hashlib.sha256).hexdigest()
    assert tampered != receiver.received[1]["headers"]["X-NQ57-Signature"]

    log = office.get(f"webhooks/{created.json()['id']}/deliveries").json()["results"]
    assert [entry["status_code"] for entry in log[0]["log"]] == [500, 200]


def test_only_subscribed_events_are_sent(cast, api_as, receiver, django_capture_on_commit_callbacks):
    api_as(cast.office).post("webhooks", {"url": receiver.url, "secret": SECRET, "events": ["task.created"]})
    from nq57.core.testing import make_task

    with django_capture_on_commit_callbacks(execute=True):
        make_task(notice=cast.notice, lead=[cast.kh], text="Nhiệm vụ mới", path="8")
        cast.task_kh.refresh_from_db()
        from nq57.tasks.services import task_set_status

        task_set_status(task=cast.task_kh, actor=cast.office, status="partly_done", progress=10)
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["task.created"]


def test_backoff_grows_exponentially():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(30) == 6 * 3600


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd", "javascript:alert(1)", "127.0.0.1"])
def test_only_http_urls_are_accepted(cast, api_as, url):
    body = assert_error(api_as(cast.office).post("webhooks", {"url": url, "secret": SECRET,
                                                              "events": ["task.created"]}), 400)
    assert body["errors"]["url"] == ["Địa chỉ nhận phải bắt đầu bằng http:// hoặc https:// và có tên máy chủ."]


def test_unknown_events_and_short_secrets_are_refused(cast, api_as):
    office = api_as(cast.office)
    assert_error(office.post("webhooks", {"url": "https://r71.gov.vn/h", "secret": SECRET, "events": ["task.x"]}), 422)
    body = assert_error(office.post("webhooks", {"url": "https://r71.gov.vn/h", "secret": "ngan",
                                                 "events": ["task.created"]}), 400)
    assert "16 ký tự" in body["errors"]["secret"][0]


def test_a_paused_webhook_queues_nothing_new_holds_its_retries_and_sends_them_when_resumed(
        cast, api_as, receiver, django_capture_on_commit_callbacks):
    office, alice = api_as(cast.office), api_as(cast.alice)
    hook = office.post("webhooks", {"url": receiver.url, "secret": SECRET, "events": ["report.submitted"]}).json()
    HUEY.storage.flush_all()
    today = timezone.localdate().isoformat()
    report = {"period_start": today, "period_end": today, "text": "Báo cáo", "percent": 20, "claimed_status": "open"}
    with django_capture_on_commit_callbacks(execute=True):
        assert alice.post(f"tasks/{cast.task_kh.pk}/reports", report).status_code == 201
    first = WebhookDelivery.objects.get()
    assert (first.attempts, first.state) == (1, DeliveryState.PENDING)  # the receiver answered 500

    paused = office.patch(f"webhooks/{hook['id']}", {"is_active": False})
    assert paused.status_code == 200 and paused.json()["is_active"] is False
    assert run_scheduled_huey_tasks() == 1  # the retry comes due while paused: nothing is sent
    first.refresh_from_db()
    assert (first.attempts, first.state, len(receiver.received)) == (1, DeliveryState.PENDING, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert alice.post(f"tasks/{cast.task_kh.pk}/reports", report).status_code == 201
    assert WebhookDelivery.objects.count() == 1  # no new delivery for an event while paused

    with django_capture_on_commit_callbacks(execute=True):
        resumed = office.patch(f"webhooks/{hook['id']}", {"is_active": True})
    assert resumed.status_code == 200 and resumed.json()["is_active"] is True
    first.refresh_from_db()
    assert (first.attempts, first.state, first.status_code) == (2, DeliveryState.SUCCEEDED, 200)
    assert len(receiver.received) == 2


def test_only_the_office_pauses_a_webhook(cast, api_as):
    hook = api_as(cast.office).post("webhooks", {"url": "https://r71.gov.vn/h", "secret": SECRET,
                                                 "events": ["task.created"]}).json()
    assert_error(api_as(cast.alice).patch(f"webhooks/{hook['id']}", {"is_active": False}), 403)
    assert_error(api_as(cast.office).patch("webhooks/999999", {"is_active": False}), 404)
    assert_error(api_as(cast.office).patch(f"webhooks/{hook['id']}", {"is_active": "có lẽ"}), 422)
    from nq57.api.models import WebhookSubscription

    assert WebhookSubscription.objects.get(pk=hook["id"]).is_active is True
