"""In a real Chromium: a report refused for an empty text, a bad progress and a refused file shows all three at once,
keeps what was typed, and its file input holds no file (the refused file is not "still chosen"); a very long reason
is shown collapsed ("Xem thêm") so the page stays short, and opens on a click."""

import datetime as dt

import pytest
from django.utils import timezone

from nq57.core.testing import PASSWORD, build_cast, make_task
from nq57.core.tests.browser import login
from nq57.reports.models import ExtensionRequest, ProgressReport
from nq57.reports.services import extension_request


@pytest.mark.browser
def test_a_refused_report_shows_every_problem_and_no_chosen_file_and_long_texts_fold(page, transactional_db,
                                                                                   tmp_path):
    cast = build_cast()
    exe = tmp_path / "cong-cu.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    today = timezone.localdate()

    login(page, "alice", PASSWORD)
    page.goto(cast.task_kh.get_absolute_url())
    form = page.locator("#form-report")
    form.locator("#id_period_start").fill((today - dt.timedelta(days=10)).isoformat())
    form.locator("#id_period_end").fill(today.isoformat())
    form.locator("#id_text").fill("   ")
    form.locator("#id_percent").evaluate("el => { el.removeAttribute('max'); el.value = '150'; }")
    form.locator("#id_attachments").set_input_files(str(exe))
    form.locator("#id_text").evaluate("el => el.removeAttribute('required')")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#id_percent_errors")

    form = page.locator("#form-report")
    assert "Nội dung báo cáo không được để trống." in form.locator("#id_text_errors").inner_text()
    assert "Tiến độ phải là số từ 0 đến 100." in form.locator("#id_percent_errors").inner_text()
    assert "Không chấp nhận tệp “cong-cu.exe”" in form.locator("#id_attachments_errors").inner_text()
    assert "không được giữ lại" in form.locator("#lost-files").inner_text()
    assert form.locator("#id_attachments").evaluate("el => el.files.length") == 0
    assert form.locator("#id_percent").input_value() == "150"  # what was typed is kept
    assert ProgressReport.objects.count() == 0

    # a 160 KB reason stored before the limit existed: shown collapsed, the page stays short; a click opens it
    task = make_task(notice=cast.notice, lead=[cast.kh], due=today + dt.timedelta(days=20), path="9")
    reason = "Chờ ý kiến thẩm định của các bộ, ngành liên quan. " * 3200 + "CUỐI"
    extension = extension_request(task=task, actor=cast.alice, requested_due=today + dt.timedelta(days=200),
                                  reason="Chờ ý kiến thẩm định.")
    ExtensionRequest.objects.filter(pk=extension.pk).update(reason=reason)
    page.goto(task.get_absolute_url())
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000
    details = page.locator("#extensions details.long-text")
    assert details.count() == 1 and details.evaluate("el => el.open") is False
    details.locator("summary").click()
    assert details.evaluate("el => el.open") is True and "CUỐI" in details.inner_text()
