"""Progress reports, assessments and extensions, posted from the task page; attachment downloads."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.reports import services
from nq57.reports.forms import AssessmentForm, ExtensionDecisionForm, ExtensionRequestForm, ReportForm
from nq57.reports.models import ExtensionRequest, ProgressReport, ReportAttachment, Verdict
from nq57.tasks.pages import done, failed, parsed, task_or_404


@require_POST
def report_submit(request, task_id: int):
    task = task_or_404(task_id)
    access.check_task(request.user, task, "report")
    form = ReportForm(request.POST, request.FILES)
    chosen = request.FILES.getlist("attachments")
    if not form.is_valid():
        rules = services.report_problems(task=task, **parsed(form, "period_start", "period_end", "text", "percent",
                                                                   "claimed_status"))
        return failed(request, task, "report", form, rules=rules, lost_files=chosen)
    data = form.cleaned_data
    try:
        services.report_submit(
            task=task, actor=request.user, period_start=data["period_start"], period_end=data["period_end"],
            text=data["text"], percent=data["percent"], claimed_status=data["claimed_status"],
            attachments=data["attachments"],
        )
    except ServiceError as exc:
        return failed(request, task, "report", form, exc, lost_files=chosen)
    return done(request, task, "Đã gửi báo cáo tiến độ. Cơ quan Thường trực sẽ xem xét, đánh giá.")


@require_POST
def report_assess(request, pk: int):
    report = get_object_or_404(ProgressReport.objects.select_related("task"), pk=pk)
    task = task_or_404(report.task_id)
    access.check_task(request.user, task, "assess")
    form = AssessmentForm(request.POST, prefix=f"a{report.pk}")
    if not form.is_valid():
        rules = services.assessment_problems(**parsed(form, "verdict", "comment"))
        return failed(request, task, "assess", form, rules=rules, report_form_for=report.pk)
    data = form.cleaned_data
    try:
        services.report_assess(report=report, actor=request.user, verdict=data["verdict"], comment=data["comment"])
    except ServiceError as exc:
        return failed(request, task, "assess", form, exc, report_form_for=report.pk)
    verdict = "Đã chấp nhận báo cáo." if data["verdict"] == Verdict.ACCEPT else "Đã yêu cầu cơ quan bổ sung báo cáo."
    return done(request, task, verdict)


@require_POST
def extension_request(request, task_id: int):
    task = task_or_404(task_id)
    access.check_task(request.user, task, "extend")
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        rules = services.extension_problems(task=task, **parsed(form, "requested_due", "reason"))
        return failed(request, task, "extension", form, rules=rules)
    data = form.cleaned_data
    try:
        services.extension_request(task=task, actor=request.user, requested_due=data["requested_due"],
                                   reason=data["reason"])
    except ServiceError as exc:
        return failed(request, task, "extension", form, exc)
    return done(request, task, f"Đã gửi đề xuất gia hạn đến ngày {data['requested_due']:%d/%m/%Y}.")


@require_POST
def extension_decide(request, pk: int):
    extension = get_object_or_404(ExtensionRequest, pk=pk)
    task = task_or_404(extension.task_id)
    access.check_task(request.user, task, "decide_extension")
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        return failed(request, task, "decide", form, decision_form_for=extension.pk)
    data = form.cleaned_data
    try:
        services.extension_decide(request=extension, actor=request.user, approve=data["approve"], note=data["note"])
    except ServiceError as exc:
        return failed(request, task, "decide", form, exc, decision_form_for=extension.pk)
    return done(request, task, "Đã đồng ý gia hạn." if data["approve"] else "Đã không đồng ý gia hạn.")


@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(ReportAttachment, pk=pk)
    access.require(access.can_view(request.user), access.STAFF_ONLY)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type or "application/octet-stream")
