"""Tasks (list with the web list's filters, detail with ETag, PATCH with If-Match), progress reports, assessments
and extension requests. Handlers parse and call the services of ``nq57.tasks`` and ``nq57.reports``."""



import pydantic
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import ValidationError

from nq57.agencies.models import Agency
from nq57.api import schemas as s
from nq57.api.http import (
    ApiError,
    expected_version_from,
    idempotent,
    json_response,
    list_count,
    paginate,
    task_etag,
)
from nq57.api.serializers import (
    TASK_LIST_COLUMNS,
    assessment_dict,
    extension_dict,
    report_dict,
    report_etag,
    report_queryset,
    task_dict,
    task_queryset,
    task_rows,
)
from nq57.core import access
from nq57.core.errors import ConflictError, ServiceError
from nq57.reports.models import ExtensionRequest, ProgressReport
from nq57.reports.services import extension_decide, extension_request, report_assess, report_submit
from nq57.tasks.models import Task, Theme

router = Router(tags=["Nhiệm vụ"])

ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut,
          429: s.ErrorOut}


def _filter_errors(task_filter) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in task_filter.form.errors.items()}


@router.get("/tasks", response={200: s.TaskPage, **ERRORS}, summary="Danh sách nhiệm vụ (cùng bộ lọc với trang web)")
def task_list(request, agency: str | None = None, role: str | None = None, status: str | None = None,
              timing: str | None = None, theme: str | None = None, notice: str | None = None,
              programme: str | None = None, due_from: str | None = None, due_to: str | None = None,
              q: str | None = None, parent: str | None = None,
              page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    """Filters as on the web task list: ``agency`` (id) with ``role`` (lead | coordinating), ``status``, ``timing``,
    ``theme`` (code), ``notice`` (id), ``programme`` (id), ``due_from``/``due_to`` (YYYY-MM-DD), ``q`` (text, no
    diacritics needed) and ``parent`` (root — the default —, all, or a task id for its sub-tasks)."""
    from nq57.tasks.filters import TaskFilter

    today = timezone.localdate()
    data = {name: value for name, value in {
        "agency": agency, "role": role, "status": status, "timing": timing, "theme": theme, "notice": notice,
        "programme": programme, "due_from": due_from, "due_to": due_to, "q": q, "parent": parent,
    }.items() if value not in (None, "")}
    if data:
        # no timing annotation up front: TaskFilter adds it only when filtering by timing
        task_filter = TaskFilter(data, queryset=Task.objects.all(), today=today)
        if not task_filter.is_valid():
            raise ApiError(422, "invalid", "Bộ lọc không hợp lệ.", _filter_errors(task_filter))
        queryset = task_filter.qs
    else:  # TaskFilter's default (top-level tasks) without building its form: the hot path of list clients
        queryset = Task.objects.filter(parent__isnull=True)
    # rows as plain tuples (no model instances), timing computed per row by Task.timing's rule, answered directly
    # (no second validation pass over 50–200 rows)
    return json_response(paginate(queryset, page=page, page_size=page_size, cursor=cursor,
                                  columns=TASK_LIST_COLUMNS, serialize=lambda rows: task_rows(rows, today=today),
                                  count=list_count(("tasks", today, tuple(sorted(data.items()))))))


@router.get("/tasks/{task_id}", response={200: s.TaskOut, 304: None, **ERRORS}, summary="Chi tiết nhiệm vụ (có ETag)")
def task_detail(request, task_id: int):
    task = get_object_or_404(task_queryset(), pk=task_id)
    etag = task_etag(task)
    if etag in [p.strip().removeprefix("W/") for p in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return json_response(task_dict(task), headers={"ETag": etag})


def _agencies(ids: list[int], field: str) -> list[Agency]:
    found = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ServiceError(f"Không tìm thấy cơ quan có mã: {', '.join(missing)}.", field=field)
    return [found[i] for i in dict.fromkeys(ids)]


STRING_FIELDS = ("section", "deadline_text", "report_cadence", "report_text")
STATUS_FIELDS = ("status", "progress", "completed_on")


@router.patch("/tasks/{task_id}", response={200: s.TaskOut, 412: s.ErrorOut, 428: s.ErrorOut, **ERRORS},
              summary="Sửa nhiệm vụ (bắt buộc If-Match)")
def task_patch(request, task_id: int, payload: s.TaskPatch):
    """Send the ``ETag`` of your last GET in ``If-Match``: without it 428, if someone changed the task since 412
    (nothing is overwritten). Text/deadline/agencies: the office, or the lead agency for its own sub-tasks;
    ``status``/``progress``/``completed_on``: the office."""
    user = request.auth
    task = get_object_or_404(Task.objects.select_related("parent"), pk=task_id)
    changes = payload.dict(exclude_unset=True)
    status_changes = {k: changes.pop(k) for k in STATUS_FIELDS if k in changes}
    if changes:
        access.check_task(user, task, "edit")
    if status_changes:
        access.check_task(user, task, "status")
    if not changes and not status_changes:
        raise ServiceError("Không có trường nào để sửa.")
    version = expected_version_from(request, task)
    for name in STRING_FIELDS:
        if name in changes and changes[name] is None:
            changes[name] = ""
    for name in ("deadline_kind", "coordinating_others", "text"):
        if name in changes and changes[name] is None:
            raise ServiceError("Trường này không được để trống.", field=name)
    if "lead_agencies" in changes:
        changes["lead"] = _agencies(changes.pop("lead_agencies") or [], "lead_agencies")
    if "coordinating_agencies" in changes:
        changes["coordinating"] = _agencies(changes.pop("coordinating_agencies") or [], "coordinating_agencies")
    if "themes" in changes:
        codes = list(dict.fromkeys(changes["themes"] or []))
        themes = list(Theme.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {t.code for t in themes})
        if unknown:
            raise ServiceError(f"Không có chủ đề: {', '.join(unknown)}.", field="themes")
        changes["themes"] = themes
    try:
        with transaction.atomic():
            from nq57.tasks.services import task_set_status, task_update

            if changes:
                task = task_update(task=task, actor=user, expected_version=version, **changes)
                version = task.version
            if status_changes:
                task_set_status(task=task, actor=user, status=status_changes.get("status") or task.status,
                                progress=status_changes.get("progress"),
                                completed_on=status_changes.get("completed_on"), expected_version=version)
    except ConflictError as exc:
        raise ApiError(412, "precondition_failed", exc.message) from exc
    task = task_queryset().get(pk=task.pk)
    return json_response(task_dict(task), headers={"ETag": task_etag(task)})


# --- progress reports --------------------------------------------------------------------------------------------

@router.get("/tasks/{task_id}/reports", response={200: s.ReportPage, **ERRORS}, tags=["Báo cáo tiến độ"],
            summary="Các báo cáo tiến độ của một nhiệm vụ")
def report_list(request, task_id: int, page: int | None = None, page_size: int | None = None,
                cursor: str | None = None):
    task = get_object_or_404(Task, pk=task_id)
    return paginate(report_queryset().filter(task=task), page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [report_dict(r) for r in rows])


@router.get("/reports/{report_id}", response={200: s.ReportOut, **ERRORS}, tags=["Báo cáo tiến độ"],
            summary="Chi tiết báo cáo tiến độ (có ETag)")
def report_detail(request, report_id: int):
    report = get_object_or_404(report_queryset(), pk=report_id)
    return json_response(report_dict(report), headers={"ETag": report_etag(report)})


_REPORT_JSON_SCHEMA = s.ReportIn.model_json_schema()
_REPORT_FORM_SCHEMA = {
    "type": "object",
    "required": _REPORT_JSON_SCHEMA["required"],
    "properties": {
        **_REPORT_JSON_SCHEMA["properties"],
        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}


def _parse_report(request) -> tuple[s.ReportIn, list]:
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        data = {name: request.POST.get(name) for name in _REPORT_JSON_SCHEMA["properties"] if name in request.POST}
        files = request.FILES.getlist("attachments")
    else:
        from nq57.api.http import parse_json_body

        data, files = parse_json_body(request), []
    try:
        return s.ReportIn.model_validate(data), files
    except pydantic.ValidationError as exc:
        raise ValidationError([dict(e, loc=("body", *e["loc"])) for e in exc.errors(include_url=False)]) from exc


@router.post("/tasks/{task_id}/reports", response={201: s.ReportOut, **ERRORS}, tags=["Báo cáo tiến độ"],
             summary="Gửi báo cáo tiến độ (JSON, hoặc multipart kèm tệp)",
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
        report = report_queryset().get(pk=report.pk)
        return 201, report_dict(report), {"Location": f"/api/v1/reports/{report.pk}", "ETag": report_etag(report)}

    return idempotent(request, perform)


@router.post("/reports/{report_id}/assessments", response={201: s.AssessmentOut, **ERRORS},
             tags=["Báo cáo tiến độ"], summary="Đánh giá báo cáo (Cơ quan Thường trực)")
def assessment_create(request, report_id: int, payload: s.AssessmentIn):
    report = get_object_or_404(ProgressReport.objects.select_related("task", "agency"), pk=report_id)

    def perform():
        assessment = report_assess(report=report, actor=request.auth, verdict=payload.verdict,
                                   comment=payload.comment)
        return 201, assessment_dict(assessment), {}

    return idempotent(request, perform)


# --- extension requests ------------------------------------------------------------------------------------------

def _extension(pk: int) -> ExtensionRequest:
    return get_object_or_404(ExtensionRequest.objects.select_related("agency", "requested_by", "decided_by", "task"),
                             pk=pk)


@router.get("/tasks/{task_id}/extensions", response={200: list[s.ExtensionOut], **ERRORS}, tags=["Gia hạn"],
            summary="Các đề xuất gia hạn của một nhiệm vụ")
def extension_list(request, task_id: int):
    task = get_object_or_404(Task, pk=task_id)
    rows = task.extension_requests.select_related("agency", "requested_by", "decided_by")
    return [extension_dict(e) for e in rows]


@router.post("/tasks/{task_id}/extensions", response={201: s.ExtensionOut, **ERRORS}, tags=["Gia hạn"],
             summary="Đề xuất gia hạn")
def extension_create(request, task_id: int, payload: s.ExtensionIn):
    task = get_object_or_404(Task, pk=task_id)

    def perform():
        created = extension_request(task=task, actor=request.auth, requested_due=payload.requested_due,
                                    reason=payload.reason)
        return 201, extension_dict(_extension(created.pk)), {"Location": f"/api/v1/extensions/{created.pk}"}

    return idempotent(request, perform)


@router.get("/extensions/{extension_id}", response={200: s.ExtensionOut, **ERRORS}, tags=["Gia hạn"],
            summary="Chi tiết đề xuất gia hạn")
def extension_detail(request, extension_id: int):
    return extension_dict(_extension(extension_id))


@router.post("/extensions/{extension_id}/decision", response={200: s.ExtensionOut, **ERRORS}, tags=["Gia hạn"],
             summary="Quyết định gia hạn (Cơ quan Thường trực)")
def extension_decision(request, extension_id: int, payload: s.ExtensionDecisionIn):
    pending = _extension(extension_id)

    def perform():
        decided = extension_decide(request=pending, actor=request.auth, approve=payload.approve, note=payload.note)
        return 200, extension_dict(_extension(decided.pk)), {}

    return idempotent(request, perform)


