"""ETag / If-Match on task writes (428 without, 412 when stale) and idempotency keys on POST."""

import datetime as dt

from django.utils import timezone

from nq57.api.tests.helpers import assert_error
from nq57.reports.models import ProgressReport
from nq57.tasks.models import Task

TODAY = timezone.localdate()
REPORT = {"period_start": (TODAY - dt.timedelta(days=10)).isoformat(), "period_end": TODAY.isoformat(),
          "text": "Đã trình dự thảo.", "percent": 60, "claimed_status": "partly_done"}


def test_a_patch_without_if_match_is_refused_with_428(cast, api_as):
    body = assert_error(api_as(cast.office).patch(f"tasks/{cast.task_kh.pk}", {"text": "Nội dung mới"}), 428,
                        "precondition_required")
    assert "If-Match" in body["message"]
    assert Task.objects.get(pk=cast.task_kh.pk).text != "Nội dung mới"


def test_a_stale_if_match_is_refused_with_412_and_nothing_is_overwritten(cast, api_as):
    first, second = api_as(cast.office), api_as(cast.office)
    url = f"tasks/{cast.task_kh.pk}"
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag
    updated = first.patch(url, {"text": "Bản của người thứ nhất", "deadline_kind": "date",
                                "deadline_due": "2025-09-30"}, headers={"If-Match": etag})
    assert updated.status_code == 200, updated.content
    assert updated["ETag"] != etag and updated.json()["deadline_due"] == "2025-09-30"
    body = assert_error(second.patch(url, {"text": "Bản của người thứ hai"}, headers={"If-Match": etag}), 412,
                        "precondition_failed")
    assert "người khác" in body["message"]
    task = Task.objects.get(pk=cast.task_kh.pk)
    assert task.text == "Bản của người thứ nhất"
    again = second.patch(url, {"text": "Bản của người thứ hai"}, headers={"If-Match": second.get(url)["ETag"]})
    assert again.status_code == 200 and again.json()["text"] == "Bản của người thứ hai"


def test_if_none_match_answers_304_while_the_task_is_unchanged(cast, api_as):
    client = api_as(cast.alice)
    url = f"tasks/{cast.task_kh.pk}"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_the_office_changes_status_through_patch(cast, api_as):
    client = api_as(cast.office)
    url = f"tasks/{cast.task_tc.pk}"
    response = client.patch(url, {"status": "done", "completed_on": "2025-11-30"},
                            headers={"If-Match": client.get(url)["ETag"]})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["progress"], response.json()["timing"]) == (
        "done", 100, "done_on_time")


def test_a_retry_with_the_same_idempotency_key_returns_the_same_response_and_creates_once(cast, api_as):
    client = api_as(cast.alice)
    url = f"tasks/{cast.task_kh.pk}/reports"
    first = client.post(url, REPORT, headers={"Idempotency-Key": "bao-cao-thang-7"})
    retry = client.post(url, REPORT, headers={"Idempotency-Key": "bao-cao-thang-7"})
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert retry["Idempotent-Replayed"] == "true" and retry["Location"] == first["Location"]
    assert ProgressReport.objects.filter(task=cast.task_kh).count() == 1
    other = client.post(url, REPORT, headers={"Idempotency-Key": "bao-cao-thang-8"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert ProgressReport.objects.filter(task=cast.task_kh).count() == 2


def test_the_same_key_with_another_body_is_refused(cast, api_as):
    client = api_as(cast.alice)
    url = f"tasks/{cast.task_kh.pk}/reports"
    assert client.post(url, REPORT, headers={"Idempotency-Key": "k1"}).status_code == 201
    body = assert_error(client.post(url, {**REPORT, "percent": 70}, headers={"Idempotency-Key": "k1"}), 422,
                        "idempotency_key_reused")
    assert "Idempotency-Key" in body["message"]
    assert ProgressReport.objects.filter(task=cast.task_kh).count() == 1


def test_keys_are_per_user(cast, api_as):
    url = f"tasks/{cast.task_kh.pk}/reports"
    assert api_as(cast.alice).post(url, REPORT, headers={"Idempotency-Key": "same"}).status_code == 201
    assert api_as(cast.bob).post(url, REPORT, headers={"Idempotency-Key": "same"}).status_code == 201
    assert ProgressReport.objects.filter(task=cast.task_kh).count() == 2


def test_a_failed_request_is_not_remembered(cast, api_as):
    client = api_as(cast.alice)
    url = f"tasks/{cast.task_kh.pk}/reports"
    assert_error(client.post(url, {**REPORT, "text": "   "}, headers={"Idempotency-Key": "k"}), 400)
    assert client.post(url, {**REPORT, "text": "   "}, headers={"Idempotency-Key": "k"}).status_code == 400
    assert ProgressReport.objects.count() == 0


def test_a_multipart_report_with_an_attachment(cast, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(cast.alice)
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test report", content_type="application/pdf")
    response = client.client.post(f"/api/v1/tasks/{cast.task_kh.pk}/reports", {**REPORT, "attachments": [upload]},
                                  HTTP_AUTHORIZATION=f"Bearer {client.token}", HTTP_IDEMPOTENCY_KEY="mp-1")
    assert response.status_code == 201, response.content
    assert [a["original_name"] for a in response.json()["attachments"]] == ["bao-cao.pdf"]
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.client.post(f"/api/v1/tasks/{cast.task_kh.pk}/reports", {**REPORT, "attachments": [bad]},
                                  HTTP_AUTHORIZATION=f"Bearer {client.token}")
    body = assert_error(response, 400)
    assert "attachments" in body["errors"]
    assert ProgressReport.objects.count() == 1
