"""Task pages: the filtered list, its XLSX export and the task page with its forms.

Views parse input, call a service and render; a ``ServiceError`` re-renders the page with the message beside the
field and everything the user typed; a ``PermissionDeniedError`` answers 403.
"""

import tempfile

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nq57.accounts.selectors import primary_organisation
from nq57.agencies.naming import display_name
from nq57.core import access
from nq57.core.errors import Problems, ServiceError
from nq57.core.paginator import CountedPaginator
from nq57.tasks import fields, selectors, services
from nq57.tasks.filters import TaskFilter
from nq57.tasks.forms import ScheduleForm, StatusForm, SubtaskForm, TaskEditForm
from nq57.tasks.models import AssignmentRole, TaskAssignment, TaskStatus
from nq57.tasks.pages import (
    decorate,
    done,
    edit_form,
    failed,
    parsed,
    render_task_form,
    render_task_page,
    subtask_lead_choices,
    task_or_404,
    with_timing,
)

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------------------------------
# List and export
# ---------------------------------------------------------------------------------------------------------------------


@require_GET
def task_list(request):
    today = timezone.localdate()
    task_filter = TaskFilter(request.GET or None, today=today)
    paginator = CountedPaginator(task_filter.sorted_list(), PAGE_SIZE, count=task_filter.count)
    page = paginator.get_page(request.GET.get("page"))
    tasks = [decorate(with_timing(task)) for task in page.object_list]
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
        "my_agency": primary_organisation(user) if user.is_focal_point else None,
        "today": today,
    })


EXPORT_FIELDS = ("notice", "path", "text", "lead", "coordinating", "deadline", "deadline_due", "status", "timing",
                 "progress")
EXPORT_COLUMNS = list(zip(fields.headers(EXPORT_FIELDS), fields.widths(EXPORT_FIELDS), strict=True))


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
    queryset = task_filter.sorted_qs()

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
                                          fields.deadline_phrase(phrase, kind), due_cell,
                                          fields.display("status", status), fields.display("timing", timing),
                                          progress_cell]))
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
            .values_list("task_id", "role", "agency__name", "agency__short_name", "assigned_name"))
    for task_id, role, name, short, assigned in rows:
        shown = display_name(name, short)
        label = f"{shown} (giao cho: {assigned})" if assigned and assigned != name else shown
        names.setdefault(task_id, ([], []))[0 if role == AssignmentRole.LEAD else 1].append(label)
    return names


# ---------------------------------------------------------------------------------------------------------------------
# Task page
# ---------------------------------------------------------------------------------------------------------------------


@require_GET
def task_detail(request, pk: int):
    # ``?open=edit``: the page with that form open (the link in its box when script is off)
    return render_task_page(request, task_or_404(pk), open_form=request.GET.get("open", ""))


@require_GET
def task_form(request, pk: int, name: str):
    """One form of the task page, fetched when its box is first opened (``pages.FETCHED_FORMS``)."""
    return render_task_form(request, task_or_404(pk), name)


@require_GET
def task_changes(request, pk: int):
    """The task's audit trail on its own page (as NetBox's change log tab): the task page stays light."""
    task = task_or_404(pk)
    return render(request, "tasks/task_changes.html", {"task": task, "audit": selectors.task_audit(task)})


@require_POST
def task_edit(request, pk: int):
    task = task_or_404(pk)
    access.check_task(request.user, task, "edit")
    form = edit_form(task, request.POST)
    if not form.is_valid():
        rules = services.task_update_problems(task=task, actor=request.user, changes=parsed(
            form, *(n for n in TaskEditForm.CHANGE_FIELDS if n != "themes"), "lead", "coordinating"))
        return failed(request, task, "edit", form, rules=rules)
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
    task = task_or_404(pk)
    access.check_task(request.user, task, "status")
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
    task = task_or_404(pk)
    access.check_task(request.user, task, "schedule")
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
    task = task_or_404(pk)
    access.check_task(request.user, task, "subtask")
    form = SubtaskForm(request.POST, lead_choices=subtask_lead_choices(request.user))
    if not form.is_valid():
        rules = Problems()
        services.subtask_problems(rules, parent=task, actor=request.user, **parsed(
            form, "text", "lead", "deadline_due", "deadline_text", "deadline_reason"))
        return failed(request, task, "subtask", form, rules=rules.errors)
    data = form.cleaned_data
    try:
        subtask = services.subtask_create(parent=task, actor=request.user, text=data["text"], lead=data["lead"],
                                          deadline_due=data["deadline_due"], deadline_text=data["deadline_text"],
                                          deadline_reason=data["deadline_reason"])
    except ServiceError as exc:
        return failed(request, task, "subtask", form, exc)
    messages.success(request, "Đã thêm nhiệm vụ con.")
    return redirect(f"{task.get_absolute_url()}?new={subtask.pk}#subtasks")


