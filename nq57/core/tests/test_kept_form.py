"""Nothing typed is lost: a form posted after the session expired leads, after logging in again, back to the form's
page (not to a blank 405) with what was typed; a failed CSRF check says so in Vietnamese and keeps the input; a method
an address does not take answers the same Vietnamese refusal page."""

import json
import re

import pytest
from django.test import Client

from nq57.core.kept_form import EXPIRED_MESSAGE, SESSION_KEY
from nq57.reports.models import ProgressReport

REPORT = {"period_start": "2025-07-01", "period_end": "2025-07-31", "text": "Đã hoàn thành dự thảo đề án.",
          "percent": "40", "claimed_status": "partly_done", "csrfmiddlewaretoken": "x", "password": "bí mật"}


def _kept_json(body: str) -> dict:
    match = re.search(r'<script id="kept-form-data" type="application/json">(.*?)</script>', body, re.S)
    assert match, "the form page carries no kept input"
    return json.loads(match.group(1))


def test_a_post_after_the_session_expired_returns_to_the_form_with_the_text(client, cast):
    task_page = cast.task_kh.get_absolute_url()
    response = client.post(f"/reports/task/{cast.task_kh.pk}/new/", REPORT, HTTP_REFERER=f"http://testserver{task_page}")
    assert response.status_code == 302
    # next = the task page (answers GET), not the POST-only address that would answer 405
    assert response["Location"].startswith("/accounts/login/")
    assert f"next={task_page}" in response["Location"].replace("%2F", "/")
    kept = client.session[SESSION_KEY]
    assert kept["fields"]["text"] == ["Đã hoàn thành dự thảo đề án."]
    assert "password" not in kept["fields"] and "csrfmiddlewaretoken" not in kept["fields"]
    assert not ProgressReport.objects.exists()

    client.force_login(cast.alice)  # same browser: the anonymous session's data goes on into the new one
    page = client.get(task_page)
    body = page.content.decode()
    assert EXPIRED_MESSAGE in body
    data = _kept_json(body)
    assert data["action"] == f"/reports/task/{cast.task_kh.pk}/new/"
    assert data["fields"]["percent"] == ["40"]
    assert "kept_form.js" in body
    # handed out once
    assert "kept-form-data" not in client.get(task_page).content.decode()


def test_kept_input_waits_for_its_own_page(client, cast):
    task_page = cast.task_kh.get_absolute_url()
    client.post(f"/reports/task/{cast.task_kh.pk}/new/", REPORT, HTTP_REFERER=f"http://testserver{task_page}")
    client.force_login(cast.alice)
    assert "kept-form-data" not in client.get("/tasks/").content.decode()
    assert "kept-form-data" in client.get(task_page).content.decode()


def test_a_form_that_posts_to_its_own_page_comes_back_to_it(client, cast):
    response = client.post("/notifications/preferences/", {"x": "1"})
    assert response.status_code == 302
    assert "next=/notifications/preferences/" in response["Location"].replace("%2F", "/")


def test_a_foreign_referer_is_not_followed(client, cast):
    response = client.post(f"/reports/task/{cast.task_kh.pk}/new/", REPORT, HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert SESSION_KEY not in client.session


def test_method_not_allowed_is_the_vietnamese_refusal_page(client, cast):
    client.force_login(cast.alice)
    response = client.get(f"/reports/task/{cast.task_kh.pk}/new/")
    assert response.status_code == 405
    body = response.content.decode()
    assert "không được chấp nhận" in body and 'id="forbidden"' in body
    assert response["Allow"] == "POST"


def test_a_failed_csrf_check_says_so_in_vietnamese_and_keeps_the_input(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice)
    task_page = cast.task_kh.get_absolute_url()
    response = browser.post(f"/reports/task/{cast.task_kh.pk}/new/", REPORT,
                            HTTP_REFERER=f"http://testserver{task_page}")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Phiên làm việc đã hết hạn" in body and "CSRF" in body
    assert f'href="{task_page}"' in body and "nội dung đã nhập được giữ lại" in body
    assert "Forbidden" not in body
    data = _kept_json(browser.get(task_page).content.decode())
    assert data["fields"]["text"] == ["Đã hoàn thành dự thảo đề án."]


@pytest.mark.parametrize("url", ["/accounts/logout/"])
def test_no_english_refusal_left(client, cast, url):
    client.force_login(cast.alice)
    response = client.get(url)
    assert response.status_code == 405
    assert "không được chấp nhận" in response.content.decode()


def test_kept_input_for_a_form_fetched_when_opened_is_filled_into_that_form_on_the_page(client, cast):
    """The task edit form is fetched when its box opens (``tasks.pages.FETCHED_FORMS``); input kept for it is given
    back on a page that carries the form itself, where ``kept_form.js`` fills it in and opens its box."""
    task = cast.task_kh
    task_page = task.get_absolute_url()
    client.force_login(cast.office)
    assert 'id="form-edit"' not in client.get(task_page).content.decode()  # only its box, fetched when opened
    client.logout()
    client.post(f"/tasks/{task.pk}/edit/", {"version": task.version, "text": "Nội dung đã sửa dở."},
                HTTP_REFERER=f"http://testserver{task_page}")
    client.force_login(cast.office)
    body = client.get(task_page).content.decode()
    assert 'id="form-edit"' in body and "data-form-src" not in body[body.index('id="form-edit-box"'):][:300]
    assert _kept_json(body)["fields"]["text"] == ["Nội dung đã sửa dở."]
    assert 'id="form-edit"' not in client.get(task_page).content.decode()  # handed out once: fetched again
