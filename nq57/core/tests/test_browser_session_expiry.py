"""A focal point's session expires while she types a progress report: she submits, logs in again, lands back on the
task page with her text filled in, and sends it — in a real Chromium against the live server."""

import re

import pytest
from django.utils import timezone

from nq57.core.kept_form import EXPIRED_MESSAGE
from nq57.core.testing import PASSWORD, build_cast
from nq57.core.tests.browser import login
from nq57.reports.models import ProgressReport

TEXT = "Đã lấy ý kiến 12 bộ, ngành về dự thảo quy chế; đang tổng hợp, dự kiến trình trong tháng tới."


@pytest.mark.browser
def test_typed_report_survives_an_expired_session(page, transactional_db):
    cast = build_cast()
    today = timezone.localdate()
    login(page, "alice", PASSWORD)
    page.goto(cast.task_kh.get_absolute_url())
    form = page.locator("#form-report")
    form.locator("#id_period_start").fill(today.replace(day=1).isoformat())
    form.locator("#id_period_end").fill(today.isoformat())
    form.locator("#id_text").fill(TEXT)
    form.locator("#id_percent").fill("55")
    form.locator("#id_claimed_status").select_option("partly_done")

    # the session ends while the form is open
    others = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(others)  # the CSRF cookie stays, as it does when only the session ends
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert "Phiên đăng nhập đã hết hạn" in page.locator(".messages").inner_text()
    assert not ProgressReport.objects.exists()

    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/tasks/{cast.task_kh.pk}/"))
    assert page.locator("#kept-form-note").inner_text() == EXPIRED_MESSAGE
    form = page.locator("#form-report")
    assert form.locator("#id_text").input_value() == TEXT
    assert form.locator("#id_percent").input_value() == "55"
    assert form.locator("#id_claimed_status").input_value() == "partly_done"
    assert form.locator("#id_period_end").input_value() == today.isoformat()

    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/tasks/{cast.task_kh.pk}/"))
    assert "Đã gửi báo cáo tiến độ" in page.locator(".messages").inner_text()
    report = ProgressReport.objects.get(task=cast.task_kh)
    assert report.text == TEXT and report.percent == 55
    # handed out once: reloading shows a blank form again
    page.reload()
    assert page.locator("#kept-form-note").count() == 0

