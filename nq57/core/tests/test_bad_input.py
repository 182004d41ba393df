"""Bad input answers a 4xx with a Vietnamese page or JSON body, never a 500; error pages are in Vietnamese."""

import pytest
from django.test import Client, RequestFactory

from nq57.api.services import token_create


@pytest.fixture
def office(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.office)
    return client


@pytest.mark.parametrize("url", [
    "/consolidated/?as_of=9999-12-31", "/consolidated/?due_to=9999-12-31", "/consolidated/?as_of=0001-01-01",
])
def test_out_of_range_dates_are_a_400(office, url):
    response = office.get(url)
    assert response.status_code == 400
    assert "năm 1900 đến năm 2200" in response.content.decode()


@pytest.mark.parametrize("url", [
    "/tasks/?agency=99999999999999999999", "/tasks/99999999999999999999/", "/tasks/?q=a%00b",
    "/tasks/export.xlsx?agency=99999999999999999999", "/?as_of=9999-12-31", "/dashboard/?as_of=9999-12-31",
])
def test_huge_numbers_and_nul_bytes_in_web_queries_are_not_a_500(office, url):
    assert office.get(url).status_code < 500


@pytest.mark.parametrize("url", ["tasks/99999999999999999999", "tasks?agency=99999999999999999999"])
def test_huge_numbers_in_api_paths_and_filters_are_a_4xx_json(cast, url):
    _, raw = token_create(user=cast.office, name="bad-input")
    response = Client(raise_request_exception=False).get(f"/api/v1/{url}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "errors"}


def test_the_not_found_page_is_in_vietnamese(office):
    response = office.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_the_server_error_page_is_in_vietnamese():
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in response.content.decode()


def test_the_bad_request_page_is_in_vietnamese():
    from django.views.defaults import bad_request

    response = bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_the_vietnamese_page(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@pytest.fixture
def api_patch(cast):
    _, raw = token_create(user=cast.office, name="bad-input-patch")
    client = Client(raise_request_exception=False)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/tasks/{cast.task_kh.pk}"

    def send(body: bytes, *, content_type="application/json", if_match=None, auth=True):
        extra = dict(headers) if auth else {}
        extra["HTTP_IF_MATCH"] = if_match or client.get(url, **headers)["ETag"]
        return client.patch(url, body, content_type=content_type, **extra)

    return send


def test_an_api_body_over_the_limit_is_a_413(api_patch, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = api_patch(b'{"text":"' + b"a" * (2 * 1024 * 1024) + b'"}')
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.parametrize("body, content_type", [
    (b"[" * 100000 + b"]" * 100000, "application/json"),
    (b"text=x", "application/x-www-form-urlencoded"),
])
def test_unreadable_api_bodies_are_a_400(api_patch, body, content_type):
    response = api_patch(body, content_type=content_type)
    assert response.status_code == 400 and set(response.json()) == {"code", "message", "errors"}


def test_multipart_without_a_boundary_is_a_400(cast):
    _, raw = token_create(user=cast.office, name="bad-multipart")
    response = Client(raise_request_exception=False).generic(
        "POST", f"/api/v1/tasks/{cast.task_kh.pk}/reports", b"xx", content_type="multipart/form-data",
        HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400 and "boundary" in response.json()["message"]


def test_if_match_star_matches_the_current_task(api_patch):
    assert api_patch(b'{"text":"Ban h\\u00e0nh quy ch\\u1ebf"}', if_match="*").status_code == 200


def test_an_unsafe_api_request_without_credentials_is_a_401(api_patch):
    response = api_patch(b'{"text":"x"}', auth=False, if_match='"x"')
    assert response.status_code == 401


def test_a_nul_character_in_an_api_body_is_a_400(api_patch, cast):
    from nq57.tasks.models import Task

    response = api_patch(b'{"text":"a\\u0000b"}')
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    assert "\x00" not in Task.objects.get(pk=cast.task_kh.pk).text


def test_an_attachment_with_a_600_byte_name_is_stored_under_a_short_name(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nq57.reports.models import ReportAttachment

    name = "Báo cáo tiến độ " * 30 + ".pdf"
    assert len(name.encode("utf-8")) > 600
    client.force_login(cast.alice)
    response = client.post(_report_url(cast), {
        "period_start": "2025-06-01", "period_end": "2025-06-30", "text": "Đã xây dựng dự thảo.", "percent": "40",
        "claimed_status": "partly_done",
        "attachments": SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:500]
    attachment = ReportAttachment.objects.get()
    assert attachment.original_name.startswith("Báo cáo tiến độ") and attachment.original_name.endswith(".pdf")
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".pdf") and len(stored.encode("utf-8")) <= 120
    assert attachment.file.read() == b"%PDF-1.4\n%%EOF\n"


def _report_url(cast):
    from django.urls import reverse

    return reverse("reports:report_submit", args=[cast.task_kh.pk])


def test_an_unknown_field_in_an_api_body_is_refused_not_ignored(api_patch, cast):
    from nq57.tasks.models import Task

    response = api_patch(b'{"text":"N\\u1ed9i dung m\\u1edbi","texte":"sai ch\\u00ednh t\\u1ea3"}')
    assert response.status_code == 422 and "texte" in str(response.json()["errors"])
    assert Task.objects.get(pk=cast.task_kh.pk).text != "Nội dung mới"
