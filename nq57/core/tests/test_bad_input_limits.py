"""More bad input, on SQLite and PostgreSQL alike: bodies over the limit are a 413 (a Vietnamese page on the web,
JSON in the API), NUL characters in web forms and API bodies are refused in Vietnamese, and huge ids in paths and
filters are a 404/400 — never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from nq57.api.services import token_create


@pytest.fixture
def alice(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.alice)
    return client


def _report_form(**over):
    data = {"period_start": "2025-06-01", "period_end": "2025-06-30", "text": "Đã xây dựng dự thảo.",
            "percent": "40", "claimed_status": "partly_done"}
    data.update(over)
    return data


def test_a_web_form_over_the_limit_is_a_vietnamese_413_page(cast, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = alice.post(reverse("reports:report_submit", args=[cast.task_kh.pk]),
                          _report_form(text="a" * (2 * 1024 * 1024)))
    body = response.content.decode()
    assert response.status_code == 413 and "Nội dung gửi lên quá lớn" in body and "tối đa 1 MB" in body


def test_a_json_body_over_25_megabytes_is_a_413_json(cast):
    _, raw = token_create(user=cast.office, name="big-body")
    body = b'{"text":"' + b"a" * (26 * 1024 * 1024) + b'"}'
    response = Client(raise_request_exception=False).patch(
        f"/api/v1/tasks/{cast.task_kh.pk}", body, content_type="application/json", HTTP_IF_MATCH="*",
        HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "quá lớn" in response.json()["message"]


def test_a_nul_character_in_a_web_form_is_refused_in_vietnamese(cast, alice):
    from nq57.reports.models import ProgressReport

    response = alice.post(reverse("reports:report_submit", args=[cast.task_kh.pk]), _report_form(text="Đã\x00làm"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không được chứa ký tự NUL" in body and "Null characters" not in body
    assert not ProgressReport.objects.exists()


def test_a_nul_character_in_an_api_body_keeps_its_vietnamese_message(cast):
    _, raw = token_create(user=cast.office, name="nul")
    response = Client(raise_request_exception=False).post(
        f"/api/v1/tasks/{cast.task_kh.pk}/reports",
        b'{"text":"a\\u0000b","period_start":"2025-06-01","period_end":"2025-06-30","percent":4,"claimed_status":"open"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400
    assert response.json()["message"].startswith("Nội dung gửi lên chứa ký tự NUL")
    from nq57.reports.models import ProgressReport

    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("url", [
    "/tasks/9223372036854775808/", "/tasks/99999999999999999999999/edit/", "/notices/99999999999999999999/",
    "/agencies/99999999999999999999/", "/tasks/?notice=99999999999999999999", "/reports/99999999999999999999/",
    "/exchange/batches/99999999999999999999/status.json", "/exchange/export.json?notice=99999999999999999999",
])
def test_ids_bigger_than_64_bits_in_web_paths_and_filters_are_not_a_500(cast, url):
    client = Client(raise_request_exception=False)
    client.force_login(cast.office)
    assert client.get(url).status_code in {200, 400, 404, 405}


@pytest.mark.parametrize("url", [
    "tasks/9223372036854775808", "notices/99999999999999999999", "tasks?notice=99999999999999999999",
    "tasks/9223372036854775808/reports", "exchange/export?notice=99999999999999999999",
])
def test_ids_bigger_than_64_bits_in_api_paths_and_filters_are_a_4xx_json(cast, url):
    _, raw = token_create(user=cast.office, name="huge")
    response = Client(raise_request_exception=False).get(f"/api/v1/{url}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code in {400, 404, 422}, response.content[:300]
    assert set(response.json()) == {"code", "message", "errors"}
