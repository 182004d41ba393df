"""Progress reports, assessments and extensions through the task page: good input writes and redirects with a
message; bad input re-renders with a Vietnamese message beside the field, keeps what was typed, writes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils import timezone

from nq57.reports.models import Assessment, ExtensionRequest, ProgressReport, ReportAttachment
from nq57.reports.services import extension_request, report_submit
from nq57.tasks.models import Task, TaskEvent

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TYPED = "Đã hoàn thành dự thảo Nghị định, đang lấy ý kiến các bộ"


def counts() -> tuple:
    return (ProgressReport.objects.count(), ReportAttachment.objects.count(), Assessment.objects.count(),
            ExtensionRequest.objects.count(), TaskEvent.objects.count(), ProgressReport.history.count())


def report_data(**changes) -> dict:
    today = timezone.localdate()
    data = {"period_start": (today - dt.timedelta(days=30)).isoformat(), "period_end": today.isoformat(),
            "text": TYPED, "percent": "60", "claimed_status": "partly_done"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_report_with_attachments_is_saved_and_downloadable(cast, client_for):
    client = client_for(cast.alice)
    files = [SimpleUploadedFile("bao-cao.pdf", PDF, "application/pdf"),
             SimpleUploadedFile("so-lieu.csv", "Chỉ tiêu;Giá trị\n".encode(), "text/csv")]
    response = client.post(reverse("reports:report_submit", args=[cast.task_kh.pk]),
                           report_data(attachments=files))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã gửi báo cáo tiến độ" in page and TYPED in page and "Gửi báo cáo" in page
    report = ProgressReport.objects.get()
    assert report.agency == cast.kh and report.attachments.count() == 2
    attachment = report.attachments.get(original_name="bao-cao.pdf")
    download = client.get(reverse("reports:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;") and "bao-cao.pdf" in disposition
    assert b"".join(download.streaming_content) == PDF
    client.logout()
    assert client.get(reverse("reports:attachment_download", args=[attachment.pk])).status_code == 302


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"period_start": None, "percent": None}, "Hãy nhập ngày.", "period_start"),
        ({"text": ""}, "Nội dung báo cáo không được để trống.", "text"),
        ({"period_start": "2025-06-30", "period_end": "2025-06-01"}, "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.",
         "period_end"),
        ({"period_end": "31/02/2025"}, "Ngày không hợp lệ (ví dụ ngày 31/02 không tồn tại)", "period_end"),
        ({"percent": "150"}, "Tiến độ phải là số từ 0 đến 100.", "percent"),
        ({"claimed_status": "closed"}, "Tình trạng đề nghị không hợp lệ.", "claimed_status"),
    ],
)
def test_bad_report_input_keeps_the_typed_text_and_writes_nothing(cast, client_for, changes, message, field):
    client = client_for(cast.alice)
    before = counts()
    data = report_data(**changes)
    response = client.post(reverse("reports:report_submit", args=[cast.task_kh.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    errors = body[body.index(f'id="id_{field}_errors"'):]
    assert message in errors[:500]
    if data.get("text"):
        assert f"{TYPED}</textarea>" in body
    if changes.get("period_end") == "31/02/2025":
        assert 'value="31/02/2025"' in body
    assert counts() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream"),
         "Không chấp nhận tệp “chuong-trinh.exe”"),
        (SimpleUploadedFile("bao-cao-gia.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
         "Tệp “bao-cao-gia.pdf” là tệp chương trình"),
        (SimpleUploadedFile("trong.pdf", b"", "application/pdf"), "Tệp “trong.pdf” rỗng."),
    ],
    ids=["exe", "pdf-that-is-an-executable", "empty"],
)
def test_a_refused_attachment_says_why_and_asks_to_choose_the_files_again(cast, client_for, upload, message):
    client = client_for(cast.alice)
    before = counts()
    good = SimpleUploadedFile("phu-luc.pdf", PDF, "application/pdf")
    response = client.post(reverse("reports:report_submit", args=[cast.task_kh.pk]),
                           report_data(attachments=[good, upload]))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and f"{TYPED}</textarea>" in body
    # neither file is presented as still chosen: the refused one was not kept, the good one must be chosen again
    assert "Bạn đã chọn" not in body
    assert f"Tệp “{upload.name}” không được nhận nên không được giữ lại" in body
    assert "Tệp “phu-luc.pdf” chưa được gửi đi" in body and "hãy chọn lại tệp này" in body
    assert counts() == before


def test_a_50_megabyte_attachment_is_refused(cast, client_for, settings):
    client = client_for(cast.alice)
    before = counts()
    big = TemporaryUploadedFile("du-lieu-lon.pdf", "application/pdf", 50 * 1024 * 1024, None)
    big.write(PDF)
    big.seek(50 * 1024 * 1024 - 1)
    big.write(b"\n")
    big.seek(0)
    response = client.post(reverse("reports:report_submit", args=[cast.task_kh.pk]), report_data(attachments=[big]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tệp “du-lieu-lon.pdf” có dung lượng 50,0\xa0MB, vượt quá giới hạn 20,0\xa0MB." in body
    assert f"{TYPED}</textarea>" in body
    assert counts() == before


def test_a_report_on_a_task_that_is_not_yours_is_refused(cast, client_for):
    before = counts()
    response = client_for(cast.carol).post(reverse("reports:report_submit", args=[cast.task_kh.pk]), report_data())
    assert response.status_code == 403
    assert "Bạn chỉ được báo cáo về nhiệm vụ mà cơ quan của bạn chủ trì hoặc phối hợp." in response.content.decode()
    assert counts() == before


def test_the_office_accepts_a_report_and_the_task_takes_its_status(cast, client_for):
    today = timezone.localdate()
    report = report_submit(task=cast.task_kh, actor=cast.alice, period_start=today, period_end=today, text=TYPED,
                           percent=80, claimed_status="partly_done")
    client = client_for(cast.office)
    url = reverse("reports:report_assess", args=[report.pk])
    # asking for more needs a comment
    response = client.post(url, {f"a{report.pk}-verdict": "ask_for_more", f"a{report.pk}-comment": ""})
    assert response.status_code == 400 and "Hãy ghi rõ nội dung cần bổ sung." in response.content.decode()
    assert Assessment.objects.count() == 0
    assert client.post(url, {f"a{report.pk}-verdict": "accept"}).status_code == 302
    task = Task.objects.get(pk=cast.task_kh.pk)
    assert (task.status, task.progress) == ("partly_done", 80)
    # a second assessment of the same report is a conflict
    response = client.post(url, {f"a{report.pk}-verdict": "accept"})
    assert response.status_code == 409 and "Báo cáo này đã được đánh giá." in response.content.decode()
    assert Assessment.objects.count() == 1


def test_extension_request_and_decision(cast, client_for):
    alice = client_for(cast.alice)
    url = reverse("reports:extension_request", args=[cast.task_tc.pk])
    response = alice.post(url, {"requested_due": "2025-12-01", "reason": "Chờ số liệu thống kê"})
    assert response.status_code == 400  # before the current due date (31/12/2025) or today
    assert "Chờ số liệu thống kê</textarea>" in response.content.decode()
    assert ExtensionRequest.objects.count() == 0
    due = max(timezone.localdate(), dt.date(2025, 12, 31)) + dt.timedelta(days=60)
    assert alice.post(url, {"requested_due": due.isoformat(), "reason": "Chờ số liệu"}).status_code == 302
    extension = ExtensionRequest.objects.get()
    office = client_for(cast.office)
    page = office.get(cast.task_tc.get_absolute_url()).content.decode()
    assert 'id="form-decide"' in page
    assert office.post(reverse("reports:extension_decide", args=[extension.pk]), {"approve": "1"}).status_code == 302
    task = Task.objects.get(pk=cast.task_tc.pk)
    assert task.deadline_due == due and task.original_deadline_due == dt.date(2025, 12, 31)
    page = office.get(task.get_absolute_url()).content.decode()
    assert "hạn ban đầu: 31/12/2025" in page and "Đồng ý gia hạn" in page


def test_a_pending_extension_blocks_another(cast, client_for):
    due = max(timezone.localdate(), dt.date(2025, 12, 31)) + dt.timedelta(days=30)
    extension_request(task=cast.task_tc, actor=cast.bob, requested_due=due, reason="Lý do")
    response = client_for(cast.alice).post(reverse("reports:extension_request", args=[cast.task_tc.pk]),
                                           {"requested_due": due.isoformat(), "reason": "Đề xuất thứ hai"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nhiệm vụ đang có một đề xuất gia hạn chờ quyết định." in body and "Đề xuất thứ hai</textarea>" in body
    assert ExtensionRequest.objects.count() == 1
