"""Task pages: the filtered list, its XLSX export and the task page with its forms.

Views parse input, call a service and render; a ``ServiceError`` re-renders the page with the message beside the
field and everything the user typed; a ``PermissionDeniedError`` answers 403.
"""

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nq57.accounts.views import forbidden
from nq57.agencies.models import Agency
from nq57.core import access
from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.tasks import selectors, services
from nq57.tasks.filters import TaskFilter
from nq57.tasks.forms import ScheduleForm, StatusForm, SubtaskForm, TaskEditForm
from nq57.tasks.models import TIMING_BADGES, AssignmentRole, DeadlineKind, Task, TaskAssignment, TaskStatus, Timing

PAGE_SIZE = 50
STATUS_BADGES = {TaskStatus.OPEN: "muted", TaskStatus.PARTLY_DONE: "info", TaskStatus.DONE: "success"}


def decorate(task: Task) -> Task:
    """Attach what list rows and badges show (lead/partner assignments, labels, badge classes) to a task."""
    rows = list(task.assignments.all())
    task.lead_assignments = [a for a in rows if a.role == AssignmentRole.LEAD]
    task.partner_assignments = [a for a in rows if a.role == AssignmentRole.COORDINATING]
    timing = getattr(task, "timing_value", None) or task.timing(today=timezone.localdate())
    task.timing_value = timing
    task.timing_label = Timing(timing).label
    task.timing_badge = TIMING_BADGES[timing]
    task.status_badge = STATUS_BADGES[task.status]
    return task


def _load_task(pk: int) -> Task:
    try:
        return selectors.task_for_page(pk)
    except Task.DoesNotExist as exc:
        raise Http404("Không tìm thấy nhiệm vụ.") from exc


# ---------------------------------------------------------------------------------------------------------------------
# List and export
# ---------------------------------------------------------------------------------------------------------------------


@require_GET
def task_list(request):
    today = timezone.localdate()
    task_filter = TaskFilter(request.GET or None, today=today)
    queryset = task_filter.qs.order_by("-notice__issued_on", "notice_id", "position", "id")
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    tasks = [decorate(_with_timing(task)) for task in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    user = request.user
    return render(request, "tasks/task_list.html", {
        "filter": task_filter,
        "filter_errors": task_filter.error_messages if task_filter.is_bound else [],
        "page": page,
        "tasks": tasks,
        "total": paginator.count,
        "query": params.urlencode(),
        "my_agency": user.agency if user.is_focal_point else None,
        "today": today,
    })


def _with_timing(task: Task) -> Task:
    # the queryset annotation ``timing`` shadows the model method; keep the value under another name
    value = task.__dict__.pop("timing", None)
    if value is not None:
        task.timing_value = value
    return task


EXPORT_COLUMNS = [
    ("Thông báo", 18), ("Vị trí", 10), ("Nội dung", 80), ("Cơ quan chủ trì", 40), ("Cơ quan phối hợp", 40),
    ("Thời hạn", 30), ("Hạn hoàn thành", 14), ("Tình trạng", 20), ("Phân loại thời hạn", 28), ("Tiến độ", 10),
]


@require_GET
def task_export(request):
    """The filtered list as an Excel workbook, written row by row (write-only mode) so 20,000 rows stay fast."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from nq57.core.spreadsheet import safe_row

    today = timezone.localdate()
    task_filter = TaskFilter(request.GET or None, today=today)
    if task_filter.is_bound and not task_filter.is_valid():
        return render(request, "tasks/export_error.html", {"errors": task_filter.error_messages}, status=400)
    queryset = task_filter.qs.order_by("-notice__issued_on", "notice_id", "position", "id")

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhiệm vụ")
    for index, (_, width) in enumerate(EXPORT_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _ in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    status_labels = dict(TaskStatus.choices)
    timing_labels = dict(Timing.choices)
    kind_labels = dict(DeadlineKind.choices)
    # plain tuples, not model instances: 20,000 rows stay a couple of seconds
    columns = ("pk", "notice__number", "path", "text", "deadline_text", "deadline_kind", "deadline_due", "status",
               "timing", "progress")
    rows = queryset.prefetch_related(None).values_list(*columns)
    for chunk in _chunks(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        agencies = _agency_names([row[0] for row in chunk])
        for pk, number, path, text, phrase, kind, due, status, timing, progress in chunk:
            leads, partners = agencies.get(pk, ([], []))
            due_cell = WriteOnlyCell(sheet, value=due)
            due_cell.number_format = "DD/MM/YYYY"
            progress_cell = WriteOnlyCell(sheet, value=progress / 100)
            progress_cell.number_format = "0%"
            sheet.append(safe_row(sheet, [number, path, text, "; ".join(leads), "; ".join(partners),
                                          phrase or kind_labels[kind], due_cell, status_labels[status],
                                          timing_labels[timing], progress_cell]))
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    filename = f"nhiem-vu-{today:%Y%m%d}.xlsx"
    return FileResponse(output, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


EXPORT_CHUNK = 2000


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _agency_names(task_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """Lead and partner names of these tasks, "(giao cho: ...)" added where the agency was renamed or merged."""
    names: dict[int, tuple[list[str], list[str]]] = {}
    rows = (TaskAssignment.objects.filter(task_id__in=task_ids).order_by("role", "id")
            .values_list("task_id", "role", "agency__name", "assigned_name"))
    for task_id, role, name, assigned in rows:
        label = f"{name} (giao cho: {assigned})" if assigned and assigned != name else name
        names.setdefault(task_id, ([], []))[0 if role == AssignmentRole.LEAD else 1].append(label)
    return names


# ---------------------------------------------------------------------------------------------------------------------
# Task page
# ---------------------------------------------------------------------------------------------------------------------


@require_GET
def task_detail(request, pk: int):
    return render_task_page(request, _load_task(pk))


def render_task_page(request, task: Task, *, forms: dict | None = None, status: int = 200, error: str = "",
                     open_form: str = "", lost_files: list[str] | None = None, report_form_for: int | None = None,
                     decision_form_for: int | None = None):
    """The task page; ``forms`` replaces the blank forms with bound ones (kept input + error messages)."""
    from nq57.reports.forms import AssessmentForm, ExtensionDecisionForm, ExtensionRequestForm, ReportForm
    from nq57.reports.models import ExtensionState, ReportState

    today = timezone.localdate()
    user = request.user
    forms = forms or {}
    decorate(task)
    permissions = selectors.task_permissions(user, task)
    reports = selectors.task_reports(task)
    extensions = selectors.task_extensions(task)
    for report in reports:
        report.pending = report.state == ReportState.SUBMITTED
        report.assess_form = forms["assess"] if report.pk == report_form_for and "assess" in forms else AssessmentForm(
            prefix=f"a{report.pk}")
    pending_extension = next((e for e in extensions if e.state == ExtensionState.PENDING), None)
    if pending_extension is not None:
        pending_extension.decision_form = (
            forms["decide"] if decision_form_for == pending_extension.pk and "decide" in forms
            else ExtensionDecisionForm()
        )
    default_forms = {
        "report": lambda: ReportForm(initial={"period_start": _next_period_start(task, reports), "period_end": today,
                                              "percent": task.progress, "claimed_status": task.status}),
        "extension": lambda: ExtensionRequestForm(),
        "schedule": lambda: ScheduleForm(initial={"due": task.deadline_due}),
        "status": lambda: StatusForm(initial={"status": task.status, "progress": task.progress,
                                              "completed_on": task.completed_on, "version": task.version}),
        "subtask": lambda: SubtaskForm(lead_choices=subtask_lead_choices(user),
                                       initial={"deadline_due": task.deadline_due}),
        "edit": lambda: _edit_form(task),
    }
    flags = {"report": "can_report", "extension": "can_request_extension", "schedule": "can_schedule",
             "status": "can_change_status", "subtask": "can_add_subtask", "edit": "can_edit"}
    page_forms = {
        name: (forms[name] if name in forms else build()) for name, build in default_forms.items()
        if permissions[flags[name]]
    }
    context = {
        "task": task,
        "ancestors": selectors.task_ancestors(task),
        "subtasks": selectors.subtask_tree(task, today=today),
        "timeline": selectors.task_timeline(task),
        "reports": reports,
        "extensions": extensions,
        "pending_extension": pending_extension,
        "audit": selectors.task_audit(task, report_ids=[r.pk for r in reports]),
        "forms": page_forms,
        "perm": permissions,
        "error": error,
        "open_form": open_form,
        "lost_files": lost_files or [],
        "today": today,
    }
    return render(request, "tasks/task_detail.html", context, status=status)


def _next_period_start(task: Task, reports) -> object:
    """The day after the latest reported period, else the notice's date: what the next report most likely covers."""
    import datetime as dt

    latest = max((r.period_end for r in reports), default=None)
    start = latest + dt.timedelta(days=1) if latest else task.notice.issued_on
    return min(start, timezone.localdate())


def _edit_form(task: Task, data=None) -> TaskEditForm:
    form = TaskEditForm(data, initial=TaskEditForm.initial_for(task))
    leads = [a.agency_id for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
    partners = [a.agency_id for a in task.assignments.all() if a.role == AssignmentRole.COORDINATING]
    form.initial.update({"lead": leads, "coordinating": partners})
    return form


def subtask_lead_choices(user):
    if access.can_assess(user):
        return Agency.objects.filter(dissolved_on__isnull=True)
    return Agency.objects.filter(pk__in=access.agency_scope_ids(user), dissolved_on__isnull=True)


def apply_errors(form, exc: ServiceError) -> None:
    """Put a service's per-field messages beside the fields (or at the top of the form)."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for name, messages_ in exc.errors.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def failed(request, task: Task, name: str, form, exc: ServiceError | None = None, **extra):
    """Re-render the task page after a refused POST: 403 for permissions, otherwise the form with the messages."""
    if isinstance(exc, PermissionDeniedError):
        return forbidden(request, exc.message)
    if exc is not None:
        apply_errors(form, exc)
    status = exc.status if exc is not None else 400
    task = _load_task(task.pk)  # the transaction was rolled back: show what is stored
    return render_task_page(request, task, forms={name: form}, status=status, open_form=name,
                            error=exc.message if exc is not None else "Vui lòng kiểm tra lại các ô được đánh dấu.",
                            **extra)


def done(request, task: Task, message: str, anchor: str = "timeline"):
    messages.success(request, message)
    return redirect(f"{task.get_absolute_url()}#{anchor}")


@require_POST
def task_edit(request, pk: int):
    task = _load_task(pk)
    if not access.can_edit_task(request.user, task):
        return forbidden(request, "Bạn không có quyền sửa nhiệm vụ này.")
    form = _edit_form(task, request.POST)
    if not form.is_valid():
        return failed(request, task, "edit", form)
    data = form.cleaned_data
    changes = {name: data[name] for name in TaskEditForm.CHANGE_FIELDS if name != "themes"}
    if {t.pk for t in data["themes"]} != {t.pk for t in task.themes.all()}:
        changes["themes"] = list(data["themes"])
    for role_key in ("lead", "coordinating"):
        if {a.pk for a in data[role_key]} != set(form.initial[role_key]):
            changes[role_key] = list(data[role_key])
    try:
        services.task_update(task=task, actor=request.user, expected_version=data["version"], **changes)
    except ServiceError as exc:
        return failed(request, task, "edit", form, exc)
    return done(request, task, "Đã lưu các thay đổi của nhiệm vụ.")


@require_POST
def task_status(request, pk: int):
    task = _load_task(pk)
    if not access.can_assess(request.user):
        return forbidden(request, "Chỉ Cơ quan Thường trực được đổi tình trạng nhiệm vụ.")
    form = StatusForm(request.POST)
    if not form.is_valid():
        return failed(request, task, "status", form)
    data = form.cleaned_data
    try:
        services.task_set_status(task=task, actor=request.user, status=data["status"], progress=data["progress"],
                                 completed_on=data["completed_on"], expected_version=data["version"],
                                 reason=data["reason"])
    except ServiceError as exc:
        return failed(request, task, "status", form, exc)
    return done(request, task, f"Đã cập nhật tình trạng: {TaskStatus(data['status']).label}.")


@require_POST
def task_schedule(request, pk: int):
    task = _load_task(pk)
    if not access.can_assess(request.user):
        return forbidden(request, "Chỉ Cơ quan Thường trực được ấn định thời hạn.")
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return failed(request, task, "schedule", form)
    try:
        services.task_schedule_event(task=task, actor=request.user, due=form.cleaned_data["due"])
    except ServiceError as exc:
        return failed(request, task, "schedule", form, exc)
    return done(request, task, f"Đã ấn định thời hạn: {form.cleaned_data['due']:%d/%m/%Y}.")


@require_POST
def subtask_add(request, pk: int):
    task = _load_task(pk)
    if not access.can_add_subtask(request.user, task):
        return forbidden(request, "Chỉ cơ quan chủ trì nhiệm vụ hoặc Cơ quan Thường trực mới được giao nhiệm vụ con.")
    form = SubtaskForm(request.POST, lead_choices=subtask_lead_choices(request.user))
    if not form.is_valid():
        return failed(request, task, "subtask", form)
    data = form.cleaned_data
    try:
        subtask = services.subtask_create(parent=task, actor=request.user, text=data["text"], lead=data["lead"],
                                          deadline_due=data["deadline_due"], deadline_text=data["deadline_text"])
    except ServiceError as exc:
        return failed(request, task, "subtask", form, exc)
    messages.success(request, "Đã thêm nhiệm vụ con.")
    return redirect(f"{task.get_absolute_url()}?new={subtask.pk}#subtasks")


def filter_link(**params) -> str:
    """``/tasks/?agency=3&role=lead``: links into the task list with the filter's parameter names."""
    from django.urls import reverse

    clean = {key: value for key, value in params.items() if value not in (None, "")}
    return reverse("tasks:task_list") + ("?" + urlencode(clean) if clean else "")
