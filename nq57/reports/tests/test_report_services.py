import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nq57.core.errors import ConflictError, PermissionDeniedError, ServiceError
from nq57.reports.models import ExtensionState, ProgressReport, ReportAttachment, ReportState
from nq57.reports.services import extension_decide, extension_request, report_assess, report_submit
from nq57.tasks.models import Task, TaskEventKind, TaskStatus

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def submit(cast, actor, task=None, **overrides):
    values = dict(
        task=task or cast.task_kh, actor=actor, period_start=dt.date(2025, 6, 15), period_end=dt.date(2025, 7, 15),
        text="Đã hoàn thành dự thảo cơ chế vận hành.", percent=100, claimed_status=TaskStatus.DONE,
        submitted_at=timezone.make_aware(dt.datetime(2025, 7, 16, 9)),
    )
    values.update(overrides)
    return report_submit(**values)


def test_a_partner_focal_point_reports_for_their_own_agency(cast):
    report = submit(cast, cast.bob, attachments=[SimpleUploadedFile("ket-qua.pdf", PDF, "application/pdf")])
    assert report.agency == cast.tc
    assert report.attachments.get().original_name == "ket-qua.pdf"
    assert cast.task_kh.events.filter(kind=TaskEventKind.REPORT_SUBMITTED).count() == 1


def test_a_focal_point_cannot_report_on_another_agencys_task(cast):
    with pytest.raises(PermissionDeniedError, match="chủ trì hoặc phối hợp"):
        submit(cast, cast.carol)
    with pytest.raises(PermissionDeniedError):
        submit(cast, cast.leader)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "chỉ nhận các định dạng"),
        ("gia-mao.pdf", b"MZ\x90\x00" + b"\x00" * 100, "tệp chương trình"),
        ("sai-dinh-dang.docx", b"%PDF-1.4 not a docx", "không đúng định dạng"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_written(cast, name, content, message):
    with pytest.raises(ServiceError, match=message):
        submit(cast, cast.alice, attachments=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile(name, content)])
    assert not ProgressReport.objects.exists()
    assert not ReportAttachment.objects.exists()


def test_an_attachment_over_the_limit_is_refused(cast, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ServiceError, match="vượt quá giới hạn"):
        submit(cast, cast.alice, attachments=[SimpleUploadedFile("lon.pdf", PDF + b" " * 2048)])


def test_invalid_fields_are_all_reported_in_vietnamese(cast):
    with pytest.raises(ServiceError) as caught:
        submit(cast, cast.alice, text=" ", percent=150, period_start=dt.date(2025, 7, 10),
               period_end=dt.date(2025, 7, 1))
    assert set(caught.value.errors) == {"text", "percent", "period_end"}


def test_accepting_a_report_applies_its_status(cast):
    report = submit(cast, cast.alice)
    report_assess(report=report, actor=cast.office, verdict="accept", comment="Đạt yêu cầu")
    task = Task.objects.get(pk=cast.task_kh.pk)
    assert (task.status, task.progress, task.completed_on) == (TaskStatus.DONE, 100, dt.date(2025, 7, 16))
    assert task.timing(today=dt.date(2025, 8, 1)) == "done_on_time"
    kinds = list(task.events.values_list("kind", flat=True))
    assert kinds[-2:] == [TaskEventKind.REPORT_ASSESSED, TaskEventKind.STATUS_CHANGED]


def test_asking_for_more_needs_a_comment_and_keeps_the_task(cast):
    report = submit(cast, cast.alice)
    with pytest.raises(ServiceError, match="bổ sung"):
        report_assess(report=report, actor=cast.office, verdict="ask_for_more")
    report_assess(report=report, actor=cast.office, verdict="ask_for_more", comment="Thiếu văn bản kèm theo")
    report.refresh_from_db()
    assert report.state == ReportState.NEEDS_MORE
    assert Task.objects.get(pk=cast.task_kh.pk).status == TaskStatus.OPEN


def test_a_report_is_assessed_once(cast):
    report = submit(cast, cast.alice)
    report_assess(report=report, actor=cast.office, verdict="accept")
    with pytest.raises(ConflictError, match="đã được đánh giá"):
        report_assess(report=report, actor=cast.office, verdict="accept")


def test_only_the_office_assesses(cast):
    report = submit(cast, cast.alice)
    for user in (cast.alice, cast.bob, cast.leader):
        with pytest.raises(PermissionDeniedError):
            report_assess(report=report, actor=user, verdict="accept")


def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(cast):
    asked = timezone.make_aware(dt.datetime(2025, 7, 20, 9))
    request = extension_request(task=cast.task_kh, actor=cast.alice, requested_due=dt.date(2025, 9, 30),
                                reason="Cần lấy thêm ý kiến", requested_at=asked)
    with pytest.raises(ServiceError, match="chờ quyết định"):
        extension_request(task=cast.task_kh, actor=cast.alice, requested_due=dt.date(2025, 10, 30),
                          reason="Lần hai", requested_at=asked)
    extension_decide(request=request, actor=cast.office, approve=True, note="Đồng ý")
    task = Task.objects.get(pk=cast.task_kh.pk)
    assert (task.deadline_due, task.original_deadline_due) == (dt.date(2025, 9, 30), dt.date(2025, 7, 30))
    assert request.state == ExtensionState.APPROVED
    with pytest.raises(ConflictError):
        extension_decide(request=request, actor=cast.office, approve=False)


def test_extension_requests_are_validated(cast):
    asked = timezone.make_aware(dt.datetime(2025, 7, 20, 9))
    with pytest.raises(ServiceError, match="sau thời hạn hiện tại"):
        extension_request(task=cast.task_kh, actor=cast.alice, requested_due=dt.date(2025, 7, 25), reason="x",
                          requested_at=asked)
    with pytest.raises(ServiceError, match="lý do"):
        extension_request(task=cast.task_kh, actor=cast.alice, requested_due=dt.date(2025, 9, 25), reason=" ",
                          requested_at=asked)
    with pytest.raises(PermissionDeniedError):
        extension_request(task=cast.task_kh, actor=cast.carol, requested_due=dt.date(2025, 9, 25), reason="x",
                          requested_at=asked)
