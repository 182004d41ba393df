"""A focal point reports on her task with a PDF, cannot report on another agency's task; the office accepts the
report and the task's status and progress change — in a real Chromium against the live server."""

import re

import pytest
from django.utils import timezone

from nq57.core.testing import PASSWORD, build_cast, make_task
from nq57.core.tests.browser import login
from nq57.reports.models import ProgressReport
from nq57.tasks.models import Task


def write_pdf(path) -> None:
    """A small, valid one-page PDF (header, objects, cross-reference table, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 770 Td (Bao cao tien do) Tj ET\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.browser
def test_focal_point_reports_and_office_accepts(page, transactional_db, tmp_path):  # noqa: F811
    cast = build_cast()
    other = make_task(notice=cast.notice, lead=[cast.xd], text="Trình Nghị định về đô thị thông minh", path="2")
    pdf = tmp_path / "bao-cao-tien-do.pdf"
    write_pdf(pdf)
    today = timezone.localdate()

    # alice (Bộ KH&CN) reports on her task, with an attachment
    login(page, "alice", PASSWORD)
    page.goto(cast.task_kh.get_absolute_url())
    form = page.locator("#form-report")
    form.locator("#id_period_start").fill(today.replace(day=1).isoformat())
    form.locator("#id_period_end").fill(today.isoformat())
    form.locator("#id_text").fill("Đã xây dựng xong dự thảo quy chế vận hành, đang lấy ý kiến các đơn vị.")
    form.locator("#id_percent").fill("60")
    form.locator("#id_claimed_status").select_option("partly_done")
    form.locator("#id_attachments").set_input_files(str(pdf))
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/tasks/{cast.task_kh.pk}/"))
    assert "Đã gửi báo cáo tiến độ" in page.locator(".messages").inner_text()
    assert "Bộ Khoa học và Công nghệ gửi báo cáo (60%" in page.locator("#timeline").inner_text()
    assert page.locator("#reports a", has_text="bao-cao-tien-do.pdf").count() == 1
    report = ProgressReport.objects.get(task=cast.task_kh)
    assert report.attachments.get().file.read().startswith(b"%PDF-1.4")

    # another agency's task: no report form, and a direct POST is refused
    page.goto(other.get_absolute_url())
    assert page.locator("#form-report").count() == 0
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/reports/task/{other.pk}/new/", headers={"X-CSRFToken": token, "Referer": page.url},
        form={"period_start": today.isoformat(), "period_end": today.isoformat(), "text": "Không được phép",
              "percent": "10", "claimed_status": "open"},
    )
    assert response.status == 403
    assert "Bạn chỉ được báo cáo về nhiệm vụ mà cơ quan của bạn chủ trì hoặc phối hợp." in response.text()
    assert not ProgressReport.objects.filter(task=other).exists()

    # the office sees the report in the timeline and accepts it
    page.click("header button:has-text('Đăng xuất')")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    login(page, "office", PASSWORD)
    page.goto(cast.task_kh.get_absolute_url())
    assert "gửi báo cáo (60%" in page.locator("#timeline").inner_text()
    assert page.locator("#status-badge").inner_text() == "Chưa hoàn thành"
    assessment = page.locator(f"#assess-{report.pk}")
    assessment.locator("input[value=accept]").check()
    assessment.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/tasks/{cast.task_kh.pk}/"))
    assert "Đã chấp nhận báo cáo." in page.locator(".messages").inner_text()
    assert page.locator("#status-badge").inner_text() == "Hoàn thành một phần"
    assert page.locator("#task-progress").inner_text().strip() == "60%"
    assert "Chấp nhận báo cáo của Bộ Khoa học và Công nghệ" in page.locator("#timeline").inner_text()
    task = Task.objects.get(pk=cast.task_kh.pk)
    assert (task.status, task.progress) == ("partly_done", 60)
