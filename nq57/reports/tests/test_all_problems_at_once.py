"""Issue 9, "nothing typed is lost": a refused form shows EVERY problem at once (its own checks and the service's
rules), a refused file is never presented as still chosen, long texts have a limit said in Vietnamese, and the
page shows long texts collapsed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nq57.core import limits
from nq57.core.testing import make_task
from nq57.core.uploads import ATTACHMENT
from nq57.reports.models import ExtensionRequest, ProgressReport
from nq57.reports.services import extension_request, report_submit
from nq57.tasks.models import DeadlineKind, Task

TYPED = "Đã hoàn thành dự thảo Nghị định, đang lấy ý kiến các bộ"


def errors_of(body: str, field: str) -> str:
    """The error list the page shows beside ``field`` (empty when none)."""
    marker = f'id="id_{field}_errors"'
    if marker not in body:
        return ""
    start = body.index(marker)
    return body[start:body.index("</ul>", start)]


def test_a_report_with_an_empty_text_a_refused_file_and_a_bad_progress_shows_all_three(cast, client_for):
    today = timezone.localdate()
    response = client_for(cast.alice).post(reverse("reports:report_submit", args=[cast.task_kh.pk]), {
        "period_start": (today - dt.timedelta(days=30)).isoformat(), "period_end": today.isoformat(),
        "text": "", "percent": "150", "claimed_status": "partly_done",
        "attachments": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)],
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nội dung báo cáo không được để trống." in errors_of(body, "text")
    assert "Tiến độ phải là số từ 0 đến 100." in errors_of(body, "percent")
    assert "Không chấp nhận tệp “virus.exe”" in errors_of(body, "attachments")
    assert "Có 3 điểm cần sửa" in body
    assert ProgressReport.objects.count() == 0


def test_the_form_and_the_service_rules_are_reported_together(cast, client_for):
    """Empty text (the form) and a period that ends before it starts (the service's rule) in one answer."""
    today = timezone.localdate()
    response = client_for(cast.alice).post(reverse("reports:report_submit", args=[cast.task_kh.pk]), {
        "period_start": today.isoformat(), "period_end": (today - dt.timedelta(days=5)).isoformat(),
        "text": "", "percent": "40", "claimed_status": "partly_done"})
    body = response.content.decode()
    assert "Nội dung báo cáo không được để trống." in errors_of(body, "text")
    assert "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu." in errors_of(body, "period_end")


def test_an_extension_without_reason_and_with_a_date_before_the_deadline_shows_both(cast, client_for):
    task = make_task(notice=cast.notice, lead=[cast.kh], due=timezone.localdate() + dt.timedelta(days=60))
    response = client_for(cast.alice).post(reverse("reports:extension_request", args=[task.pk]), {
        "requested_due": (timezone.localdate() + dt.timedelta(days=10)).isoformat(), "reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hãy nêu lý do đề xuất gia hạn." in errors_of(body, "reason")
    assert "Thời hạn đề xuất phải sau thời hạn hiện tại" in errors_of(body, "requested_due")
    assert not ExtensionRequest.objects.exists()


def test_an_extension_service_reports_every_problem(cast):
    task = make_task(notice=cast.notice, lead=[cast.kh], due=timezone.localdate() + dt.timedelta(days=60))
    with pytest.raises(Exception) as caught:
        extension_request(task=task, actor=cast.alice, requested_due=timezone.localdate(), reason="")
    assert set(caught.value.errors) == {"reason", "requested_due"}


def test_a_subtask_with_no_text_and_a_deadline_after_its_parent_shows_both(cast, client_for):
    parent = make_task(notice=cast.notice, lead=[cast.kh], due=timezone.localdate() + dt.timedelta(days=30))
    response = client_for(cast.alice).post(reverse("tasks:subtask_add", args=[parent.pk]), {
        "text": "", "lead": cast.kh.pk, "deadline_due": (timezone.localdate() + dt.timedelta(days=90)).isoformat()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nội dung nhiệm vụ con không được để trống." in errors_of(body, "text")
    assert "không được sau hạn của nhiệm vụ cha" in errors_of(body, "deadline_due")


def test_a_task_edit_with_no_text_and_a_dated_deadline_without_date_shows_both(cast, client_for):
    task = cast.task_kh
    data = {"text": "", "section": "", "deadline_kind": DeadlineKind.DATE, "deadline_due": "", "deadline_text": "",
            "report_cadence": "", "report_due": "", "report_text": "", "lead": [cast.kh.pk], "coordinating": [],
            "version": task.version}
    response = client_for(cast.office).post(reverse("tasks:task_edit", args=[task.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nội dung nhiệm vụ không được để trống." in errors_of(body, "text")
    assert "Thời hạn loại này cần có ngày hoàn thành." in errors_of(body, "deadline_due")


def test_an_assessment_asking_for_more_without_comment_says_so(cast, client_for):
    report = report_submit(task=cast.task_kh, actor=cast.alice, period_start=dt.date(2025, 6, 1),
                           period_end=dt.date(2025, 6, 30), text=TYPED, percent=30, claimed_status="partly_done")
    response = client_for(cast.office).post(reverse("reports:report_assess", args=[report.pk]), {
        f"a{report.pk}-verdict": "ask_for_more", f"a{report.pk}-comment": ""})
    assert response.status_code == 400
    assert "Hãy ghi rõ nội dung cần bổ sung." in response.content.decode()


# --- a refused file is not shown as chosen -----------------------------------------------------------------------

def test_a_refused_file_is_said_not_kept_and_the_file_input_is_empty(cast, client_for):
    today = timezone.localdate()
    response = client_for(cast.alice).post(reverse("reports:report_submit", args=[cast.task_kh.pk]), {
        "period_start": (today - dt.timedelta(days=3)).isoformat(), "period_end": today.isoformat(),
        "text": TYPED, "percent": "20", "claimed_status": "partly_done",
        "attachments": [SimpleUploadedFile("bang-gia.ppt", b"\xd0\xcf\x11\xe0" + b"\x00" * 64)]})
    body = response.content.decode()
    assert "Tệp “bang-gia.ppt” không được nhận nên không được giữ lại" in body
    assert "Bạn đã chọn" not in body  # it is not presented as still chosen
    start = body.rindex("<input", 0, body.index('name="attachments"'))
    file_input = body[start:body.index(">", start)]
    assert 'type="file"' in file_input and "value=" not in file_input
    assert f"{TYPED}</textarea>" in body  # what was typed is kept


# --- one constant per upload kind ------------------------------------------------------------------------------

def test_the_report_form_help_text_accept_and_refusal_name_the_same_types(cast, client_for):
    page = client_for(cast.alice).get(cast.task_kh.get_absolute_url()).content.decode()
    assert f'accept="{ATTACHMENT.accept}"' in page
    assert ATTACHMENT.help_text in page.replace("&nbsp;", "\xa0")
    assert "ppt(x)" not in page  # the old help text promised .ppt, which the check refused
    today = timezone.localdate()
    body = client_for(cast.alice).post(reverse("reports:report_submit", args=[cast.task_kh.pk]), {
        "period_start": today.isoformat(), "period_end": today.isoformat(), "text": TYPED, "percent": "20",
        "claimed_status": "partly_done", "attachments": [SimpleUploadedFile("a.ppt", b"\xd0\xcf\x11\xe0" + b"x" * 9)],
    }).content.decode()
    assert f"chỉ nhận các định dạng {ATTACHMENT.types_text}." in body
    assert f"Nhận tệp {ATTACHMENT.types_text};" in body


# --- length limits and long texts shown collapsed ----------------------------------------------------------------

def test_an_over_long_reason_is_refused_with_the_limit_and_the_typed_text_is_kept(cast, client_for):
    reason = "Chờ ý kiến thẩm định của các bộ, ngành. " * 400  # ~16,000 characters, the limit is 5,000
    response = client_for(cast.alice).post(reverse("reports:extension_request", args=[cast.task_kh.pk]), {
        "requested_due": (timezone.localdate() + dt.timedelta(days=90)).isoformat(), "reason": reason})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Lý do tối đa {limits.number(limits.REASON)} ký tự (đã nhập {len(reason.strip())} ký tự)" in body
    assert reason.strip()[:200] in body and "maxlength" not in errors_of(body, "reason")
    assert not ExtensionRequest.objects.exists()


def test_the_service_refuses_an_over_long_text_whoever_calls_it(cast):
    with pytest.raises(Exception) as caught:
        report_submit(task=cast.task_kh, actor=cast.alice, period_start=dt.date(2025, 6, 1),
                      period_end=dt.date(2025, 6, 30), text="x" * (limits.REPORT_TEXT + 1), percent=10,
                      claimed_status="partly_done")
    assert "tối đa 20.000 ký tự" in caught.value.errors["text"][0]


def test_the_api_refuses_an_over_long_reason_in_vietnamese(cast):
    from nq57.api.services import token_create
    from nq57.api.tests.helpers import ApiClient

    _, raw = token_create(user=cast.alice, name="test")
    response = ApiClient(raw).post(f"tasks/{cast.task_kh.pk}/extensions", {
        "requested_due": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        "reason": "x" * (limits.REASON + 1)})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"]["reason"][0].startswith(limits.too_long_message("Nội dung", limits.REASON)[:-30])


def test_long_texts_are_shown_collapsed_on_the_task_page(cast, client_for):
    long_reason = "Lý do dài: " + "chờ kết quả khảo sát các phòng thí nghiệm trọng điểm; " * 80 + "HẾT-LÝ-DO"
    long_report = "Báo cáo dài: " + "đã tổ chức hội thảo lấy ý kiến chuyên gia; " * 100 + "HẾT-BÁO-CÁO"
    task = make_task(notice=cast.notice, lead=[cast.kh], due=timezone.localdate() + dt.timedelta(days=10))
    extension_request(task=task, actor=cast.alice, requested_due=timezone.localdate() + dt.timedelta(days=200),
                      reason=long_reason)
    report_submit(task=task, actor=cast.alice, period_start=timezone.localdate(), period_end=timezone.localdate(),
                  text=long_report, percent=10, claimed_status="partly_done")
    page = client_for(cast.office).get(task.get_absolute_url()).content.decode()
    for text, where in ((long_reason, 'class="extension-reason"'), (long_report, 'class="report-text"')):
        section = page[page.index(where):]
        details = section[section.index('<details class="long-text">'):section.index("</details>")]
        tail = text.strip()[-12:]
        assert tail in details  # the end of the text is inside the collapsed element
        summary = details[:details.index("</summary>")]
        assert "Xem thêm" in summary and tail not in summary and len(summary) < limits.PREVIEW_CHARS + 400
    # a short text stays as it is
    assert '<details class="long-text">' not in page[page.index('id="task-text"'):page.index('id="task-text"') + 300]
    assert Task.objects.filter(pk=task.pk).exists()


def test_the_api_answers_every_problem_of_a_multipart_report_at_once(cast):
    from django.test import Client

    from nq57.api.services import token_create

    _, raw = token_create(user=cast.alice, name="test")
    today = timezone.localdate().isoformat()

    response = Client().post(f"/api/v1/tasks/{cast.task_kh.pk}/reports", {
        "period_start": today, "period_end": today, "text": "x" * (limits.REPORT_TEXT + 1), "percent": "150",
        "claimed_status": "partly_done", "attachments": [SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 40)],
    }, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"text", "percent", "attachments"} <= set(errors)
    assert "Không chấp nhận tệp “virus.exe”" in errors["attachments"][0]
