"""Progress reports, assessments and extension requests over the API (mounted by ``nq57.api.api``). Handlers parse
and call ``nq57.reports.services``; every answer goes through its declared schema."""

import pydantic
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import ValidationError

from nq57.api.http import idempotent, paginate, parse_json_body
from nq57.api.schemas import error_responses
from nq57.core.errors import ServiceError
from nq57.core.uploads import ATTACHMENT, upload_problems
from nq57.reports.models import ExtensionRequest, ProgressReport
from nq57.reports.schemas import (
    AssessmentIn,
    AssessmentOut,
    ExtensionDecisionIn,
    ExtensionIn,
    ExtensionOut,
    ReportIn,
    ReportOut,
    ReportPage,
    assessment_out,
    extension_out,
    report_etag,
    report_out,
    report_queryset,
    reports_out,
    task_reports_first,
)
from nq57.reports.services import extension_decide, extension_request, report_assess, report_submit
from nq57.tasks.models import Task

router = Router()

ERRORS = error_responses(400, 401, 403, 404, 409, 422, 429)
REPORTS = ["Báo cáo tiến độ"]
EXTENSIONS = ["Gia hạn"]


@router.get("/tasks/{task_id}/reports", response={200: ReportPage, **ERRORS}, tags=REPORTS,
            summary="Các báo cáo tiến độ của một nhiệm vụ", operation_id="nq57_api_endpoints_tasks_report_list")
def report_list(request, task_id: int, page: int | None = None, page_size: int | None = None,
                cursor: str | None = None):
    # ``task__pk``: an id past 64 bits matches nothing (``task_id=`` would reach the database and fail)
    answer = paginate(report_queryset().filter(task__pk=task_id), page=page, page_size=page_size, cursor=cursor,
                      serialize=reports_out,
                      first_rows=lambda limit: task_reports_first(limit)(task_id=task_id))
    # a report found proves its task exists; an empty list asks (the task's row itself is not needed)
    if not answer["results"] and not Task.objects.filter(pk=task_id).exists():
        raise Http404("Không tìm thấy nhiệm vụ.")
    return answer


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, tags=REPORTS,
            summary="Chi tiết báo cáo tiến độ (có ETag)", operation_id="nq57_api_endpoints_tasks_report_detail")
def report_detail(request, report_id: int, response: HttpResponse):
    report = get_object_or_404(report_queryset(), pk=report_id)
    answer = reports_out([report])[0]
    response["ETag"] = report_etag(report, assessments=len(answer["assessments"]))
    return answer


_REPORT_JSON_SCHEMA = ReportIn.model_json_schema()
_REPORT_FORM_SCHEMA = {
    "type": "object",
    "required": _REPORT_JSON_SCHEMA["required"],
    "properties": {
        **_REPORT_JSON_SCHEMA["properties"],
        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}


def _parse_report(request) -> tuple[ReportIn, list]:
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        data = {name: request.POST.get(name) for name in _REPORT_JSON_SCHEMA["properties"] if name in request.POST}
        files = request.FILES.getlist("attachments")
    else:
        data, files = parse_json_body(request), []
    try:
        return ReportIn.model_validate(data), files
    except pydantic.ValidationError as exc:
        # the files' problems too, so that every problem of the request is answered at once
        refused = [{"type": "refused_file", "loc": ("body", "attachments"), "msg": message,
                    "ctx": {"error": ServiceError(message)}} for message in upload_problems(files, ATTACHMENT)]
        raise ValidationError([dict(e, loc=("body", *e["loc"])) for e in exc.errors(include_url=False)]
                              + refused) from exc


@router.post("/tasks/{task_id}/reports", response={201: ReportOut, **ERRORS}, tags=REPORTS,
             summary="Gửi báo cáo tiến độ (JSON, hoặc multipart kèm tệp)",
             operation_id="nq57_api_endpoints_tasks_report_create",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": _REPORT_JSON_SCHEMA},
                 "multipart/form-data": {"schema": _REPORT_FORM_SCHEMA},
             }}})
def report_create(request, task_id: int):
    """The same rules as the web form (``reports.services.report_submit``): a focal point reports only on tasks
    their agency leads or coordinates. Send an ``Idempotency-Key`` header so a retry never files the report twice."""
    task = get_object_or_404(Task, pk=task_id)
    payload, files = _parse_report(request)

    def perform():
        report = report_submit(task=task, actor=request.auth, period_start=payload.period_start,
                               period_end=payload.period_end, text=payload.text, percent=payload.percent,
                               claimed_status=payload.claimed_status, attachments=files)
        # answered from the report in hand (agency, author and task are loaded; a new report has no assessment)
        attachments = list(report.attachments.order_by("id")) if files else []
        return (201, ReportOut.model_validate(report_out(report, attachments=attachments, assessments=[])),
                {"Location": f"/api/v1/reports/{report.pk}", "ETag": report_etag(report, assessments=0)})

    return idempotent(request, perform)


@router.post("/reports/{report_id}/assessments", response={201: AssessmentOut, **ERRORS}, tags=REPORTS,
             summary="Đánh giá báo cáo (Cơ quan Thường trực)",
             operation_id="nq57_api_endpoints_tasks_assessment_create")
def assessment_create(request, report_id: int, payload: AssessmentIn):
    report = get_object_or_404(ProgressReport.objects.select_related("task", "agency"), pk=report_id)

    def perform():
        assessment = report_assess(report=report, actor=request.auth, verdict=payload.verdict,
                                   comment=payload.comment)
        return 201, AssessmentOut.model_validate(assessment_out(assessment)), {}

    return idempotent(request, perform)


def _extension(pk: int) -> ExtensionRequest:
    return get_object_or_404(ExtensionRequest.objects.select_related("agency", "requested_by", "decided_by", "task"),
                             pk=pk)


@router.get("/tasks/{task_id}/extensions", response={200: list[ExtensionOut], **ERRORS}, tags=EXTENSIONS,
            summary="Các đề xuất gia hạn của một nhiệm vụ", operation_id="nq57_api_endpoints_tasks_extension_list")
def extension_list(request, task_id: int):
    task = get_object_or_404(Task, pk=task_id)
    rows = task.extension_requests.select_related("agency", "requested_by", "decided_by")
    return [extension_out(e) for e in rows]


@router.post("/tasks/{task_id}/extensions", response={201: ExtensionOut, **ERRORS}, tags=EXTENSIONS,
             summary="Đề xuất gia hạn", operation_id="nq57_api_endpoints_tasks_extension_create")
def extension_create(request, task_id: int, payload: ExtensionIn):
    task = get_object_or_404(Task, pk=task_id)

    def perform():
        created = extension_request(task=task, actor=request.auth, requested_due=payload.requested_due,
                                    reason=payload.reason)
        return (201, ExtensionOut.model_validate(extension_out(_extension(created.pk))),
                {"Location": f"/api/v1/extensions/{created.pk}"})

    return idempotent(request, perform)


@router.get("/extensions/{extension_id}", response={200: ExtensionOut, **ERRORS}, tags=EXTENSIONS,
            summary="Chi tiết đề xuất gia hạn", operation_id="nq57_api_endpoints_tasks_extension_detail")
def extension_detail(request, extension_id: int):
    return extension_out(_extension(extension_id))


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionOut, **ERRORS}, tags=EXTENSIONS,
             summary="Quyết định gia hạn (Cơ quan Thường trực)",
             operation_id="nq57_api_endpoints_tasks_extension_decision")
def extension_decision(request, extension_id: int, payload: ExtensionDecisionIn):
    pending = _extension(extension_id)

    def perform():
        decided = extension_decide(request=pending, actor=request.auth, approve=payload.approve, note=payload.note)
        return 200, ExtensionOut.model_validate(extension_out(_extension(decided.pk))), {}

    return idempotent(request, perform)
