"""Tasks over the API: the list with the web list's filters, detail with ETag, PATCH with If-Match (mounted by
``nq57.api.api``). Handlers parse and call ``nq57.tasks.services``."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router

from nq57.agencies.models import Agency
from nq57.api.http import ApiError, expected_version_from, not_modified, paginate, schema_response, task_etag
from nq57.api.schemas import error_responses
from nq57.core import access
from nq57.core.errors import ConflictError, ServiceError
from nq57.tasks.models import Task, Theme
from nq57.tasks.schemas import TASK_LIST_COLUMNS, TaskOut, TaskPage, TaskPatch, task_dict, task_loaded, task_rows

router = Router(tags=["Nhiệm vụ"])

ERRORS = error_responses(400, 401, 403, 404, 409, 422, 429)


def _filter_errors(task_filter) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in task_filter.form.errors.items()}


@router.get("/tasks", response={200: TaskPage, **ERRORS}, summary="Danh sách nhiệm vụ (cùng bộ lọc với trang web)",
            operation_id="nq57_api_endpoints_tasks_task_list")
def task_list(request, agency: str | None = None, role: str | None = None, status: str | None = None,
              timing: str | None = None, theme: str | None = None, notice: str | None = None,
              programme: str | None = None, due_from: str | None = None, due_to: str | None = None,
              q: str | None = None, parent: str | None = None, sort: str | None = None,
              page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    """Filters as on the web task list: ``agency`` (id) with ``role`` (lead | coordinating), ``status``, ``timing``,
    ``theme`` (code), ``notice`` (id), ``programme`` (id), ``due_from``/``due_to`` (YYYY-MM-DD), ``q`` (text, no
    diacritics needed) and ``parent`` (root — the default —, all, or a task id for its sub-tasks). ``sort``: ``due``
    / ``-due`` (due date; none last), ``notice`` (newest notice first, then position), ``agency`` (lead agency's
    name), ``-updated`` / ``updated`` (update time); default: id. ``?cursor=`` walks any of these orders."""
    from nq57.tasks.filters import SORTS, TaskFilter, with_sort_columns

    today = timezone.localdate()
    data = {name: value for name, value in {
        "agency": agency, "role": role, "status": status, "timing": timing, "theme": theme, "notice": notice,
        "programme": programme, "due_from": due_from, "due_to": due_to, "q": q, "parent": parent, "sort": sort,
    }.items() if value not in (None, "")}
    if data:
        # no timing annotation up front: TaskFilter adds it only when filtering by timing
        task_filter = TaskFilter(data, queryset=Task.objects.all(), today=today)
        if not task_filter.is_valid():
            if task_filter.range_error:
                raise ApiError(400, "invalid_range", task_filter.range_error, _filter_errors(task_filter))
            raise ApiError(422, "invalid", "Bộ lọc không hợp lệ.", _filter_errors(task_filter))
        queryset, count = task_filter.qs, task_filter.count
    else:  # TaskFilter's default (top-level tasks) without building its form: the hot path of list clients
        queryset, count = Task.objects.filter(parent__isnull=True), None
    # rows as plain tuples (no model instances), timing computed per row by Task.timing's rule; the page validated
    # against TaskPage and written by pydantic-core
    order = ("id",)
    if data.get("sort"):
        queryset, order = with_sort_columns(queryset, data["sort"]), SORTS[data["sort"]][1]
    rows = paginate(queryset, page=page, page_size=page_size, cursor=cursor, columns=TASK_LIST_COLUMNS,
                    serialize=lambda rows: task_rows(rows, today=today), order=order, count=count)
    return schema_response(TaskPage, rows)


@router.get("/tasks/{task_id}", response={200: TaskOut, 304: None, **ERRORS}, summary="Chi tiết nhiệm vụ (có ETag)",
            operation_id="nq57_api_endpoints_tasks_task_detail")
def task_detail(request, task_id: int, response: HttpResponse):
    task = task_loaded(task_id)
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    etag = task_etag(task)
    unchanged = not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    response["ETag"] = etag
    return task_dict(task)


def _agencies(ids: list[int], field: str) -> list[Agency]:
    found = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ServiceError(f"Không tìm thấy cơ quan có mã: {', '.join(missing)}.", field=field)
    return [found[i] for i in dict.fromkeys(ids)]


STRING_FIELDS = ("section", "deadline_text", "report_cadence", "report_text")
STATUS_FIELDS = ("status", "progress", "completed_on")


@router.patch("/tasks/{task_id}", response={200: TaskOut, **error_responses(412, 428), **ERRORS},
              summary="Sửa nhiệm vụ (bắt buộc If-Match)", operation_id="nq57_api_endpoints_tasks_task_patch")
def task_patch(request, task_id: int, payload: TaskPatch, response: HttpResponse):
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
    task = task_loaded(task.pk)
    response["ETag"] = task_etag(task)
    return task_dict(task)
