"""The task page and the helpers other apps' pages share about tasks: loading a task for its page (404 when
absent), list rows' decoration, links into the filtered task list, and answering a form posted from the task page
(``done`` / ``failed``: the reports app's forms live on the task page too). Views import from here, never from
another app's ``views``."""

from functools import lru_cache
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.agencies.widgets import pickable
from nq57.core import access, badges, kept_form
from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.forms import form_errors_add
from nq57.core.uploads import ATTACHMENT, not_kept_notes
from nq57.tasks import selectors, services
from nq57.tasks.forms import ScheduleForm, StatusForm, SubtaskForm, TaskEditForm
from nq57.tasks.models import AssignmentRole, Task, Timing


def decorate(task: Task) -> Task:
    """Attach what list rows and badges show (lead/partner assignments, labels, badge classes) to a task (its
    assignments as ``filters.rows_by_id`` attached them, else its prefetched ``assignments``)."""
    rows = task.__dict__.get("row_assignments")
    rows = list(task.assignments.all()) if rows is None else rows
    task.lead_assignments = [a for a in rows if a.role == AssignmentRole.LEAD]
    task.partner_assignments = [a for a in rows if a.role == AssignmentRole.COORDINATING]
    timing = getattr(task, "timing_value", None) or task.timing(today=timezone.localdate())
    task.timing_value = timing
    task.timing_label = Timing(timing).label
    task.timing_badge = badges.css(timing, "timing")
    task.status_badge = badges.css(task.status, "task_status")
    return task


def task_or_404(pk: int) -> Task:
    try:
        return selectors.task_for_page(pk)
    except Task.DoesNotExist as exc:
        raise Http404("Không tìm thấy nhiệm vụ.") from exc


def with_timing(task: Task) -> Task:
    # the queryset annotation ``timing`` shadows the model method; keep the value under another name
    value = task.__dict__.pop("timing", None)
    if value is not None:
        task.timing_value = value
    return task


#: the forms of the task page and the permission (``selectors.task_permissions``) each needs
FORM_PERMISSIONS = {"report": "can_report", "extension": "can_request_extension", "schedule": "can_schedule",
                    "status": "can_change_status", "subtask": "can_add_subtask", "edit": "can_edit"}
#: forms fetched when their box is first opened (``tasks:task_form``; without script, a link opens the page with the
#: form: ``?open=<name>``), not built with every page: their agency pickers and theme list were a third of the
#: Standing Office's task page (measured on 100,000 tasks: edit 2.5 ms, sub-task 0.8 ms of 17 ms). Each with the view
#: it posts to: input kept after an expired session names that address (``core.kept_form``), and the page then
#: carries the form itself for it to be filled in.
FETCHED_FORMS = {"edit": "tasks:task_edit", "subtask": "tasks:subtask_add"}


def render_task_page(request, task: Task, *, forms: dict | None = None, status: int = 200, error: str = "",
                     open_form: str = "", lost_files=None, report_form_for: int | None = None,
                     decision_form_for: int | None = None):
    """The task page; ``forms`` replaces the blank forms with bound ones (kept input + error messages).

    A form of ``FETCHED_FORMS`` is on the page itself only when it is open (``open_form``), bound, or about to be
    filled with the input kept when the session expired; otherwise its box carries the address it is fetched from."""
    from nq57.reports.forms import AssessmentForm, ExtensionDecisionForm
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
    allowed = [name for name, flag in FORM_PERMISSIONS.items() if permissions[flag]]
    kept = kept_form.peek_for(request)
    kept_action = kept.get("action") if kept else None
    built = [name for name in allowed if name not in FETCHED_FORMS or name in forms or name == open_form
             or kept_action == reverse(FETCHED_FORMS[name], args=[task.pk])]
    subtask_hint = (services.subtask_deadline_hint(task, today=today, pending=pending_extension or False)
                    if "subtask" in built else ("", None))
    page_forms = {name: forms[name] if name in forms else blank_form(name, task=task, user=user, today=today,
                                                                      reports=reports, subtask_due=subtask_hint[1])
                  for name in built}
    context = {
        "task": task,
        "ancestors": selectors.task_ancestors(task),
        "subtasks": selectors.subtask_tree(task, today=today),
        "progress_rule": services.PROGRESS_RULE,
        "subtask_deadline_hint": subtask_hint[0],
        "timeline": selectors.task_timeline(task),
        "reports": reports,
        "extensions": extensions,
        "pending_extension": pending_extension,
        "forms": page_forms,
        "fetched": {name: reverse("tasks:task_form", args=[task.pk, name]) for name in allowed if name not in built},
        "perm": permissions,
        "error": error,
        "open_form": open_form,
        "lost_files": not_kept_notes(lost_files or [], ATTACHMENT),
        "today": today,
    }
    return render(request, "tasks/task_detail.html", context, status=status)


def blank_form(name: str, *, task: Task, user, today, reports=None, subtask_due=None):
    """The task page's form ``name`` as it first shows (nothing typed yet)."""
    from nq57.reports.forms import ExtensionRequestForm, ReportForm

    if name == "report":
        reports = selectors.task_reports(task) if reports is None else reports
        return ReportForm(initial={"period_start": _next_period_start(task, reports), "period_end": today,
                                   "percent": task.progress, "claimed_status": task.status})
    if name == "extension":
        return ExtensionRequestForm()
    if name == "schedule":
        return ScheduleForm(initial={"due": task.deadline_due})
    if name == "status":
        return StatusForm(initial={"status": task.status, "progress": task.progress,
                                   "completed_on": task.completed_on, "version": task.version})
    if name == "subtask":
        return SubtaskForm(lead_choices=subtask_lead_choices(user), initial={"deadline_due": subtask_due})
    if name == "edit":
        return edit_form(task)
    raise ValueError(name)


def render_task_form(request, task: Task, name: str):
    """One fetched form of the task page (``FETCHED_FORMS``), as it shows in its box: 404 for another name, 403 for
    a user the page would not offer it to."""
    if name not in FETCHED_FORMS:
        raise Http404("Không có biểu mẫu này.")
    access.check_task(request.user, task, name)  # the same rule as the form's POST ("edit", "subtask")
    today = timezone.localdate()
    hint = services.subtask_deadline_hint(task, today=today) if name == "subtask" else ("", None)
    form = blank_form(name, task=task, user=request.user, today=today, subtask_due=hint[1])
    return render(request, f"tasks/_form_{name}.html", {"task": task, "forms": {name: form},
                                                         "subtask_deadline_hint": hint[0], "lost_files": []})


def _next_period_start(task: Task, reports) -> object:
    """The day after the latest reported period, else the notice's date: what the next report most likely covers."""
    import datetime as dt

    latest = max((r.period_end for r in reports), default=None)
    start = latest + dt.timedelta(days=1) if latest else task.notice.issued_on
    return min(start, timezone.localdate())


def edit_form(task: Task, data=None) -> TaskEditForm:
    form = TaskEditForm(data, initial=TaskEditForm.initial_for(task))
    leads = [a.agency_id for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
    partners = [a.agency_id for a in task.assignments.all() if a.role == AssignmentRole.COORDINATING]
    form.initial.update({"lead": leads, "coordinating": partners})
    # agencies that exist today, and those already on the task (a dissolved one stays choosable, marked)
    form.fields["lead"].queryset = pickable(keep=leads)
    form.fields["coordinating"].queryset = pickable(keep=partners)
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


merge_problems = form_errors_add  # the one helper (core/forms.py)


def parsed(form, *names: str) -> dict:
    """What an invalid form could read: each field's cleaned value, None where it was refused."""
    data = getattr(form, "cleaned_data", {}) or {}
    return {name: data.get(name) for name in names}


def failed(request, task: Task, name: str, form, exc: ServiceError | None = None, *,
           rules: dict[str, list[str]] | None = None, **extra):
    """Re-render the task page after a refused POST: 403 for permissions, otherwise the form with the messages
    (its own and, with ``rules``, the service's problems with what it could read: all of them at once)."""
    if isinstance(exc, PermissionDeniedError):
        raise exc  # the one 403 page (handler403), with the service's message
    if exc is not None:
        apply_errors(form, exc)
    if rules:
        merge_problems(form, rules)
    status = exc.status if exc is not None else 400
    task = task_or_404(task.pk)  # the transaction was rolled back: show what is stored
    count = sum(len(e) for e in form.errors.values())
    message = (exc.message if exc is not None and count <= 1 else
               f"Có {count} điểm cần sửa; hãy xem các ô được đánh dấu." if count > 1 else
               "Vui lòng kiểm tra lại các ô được đánh dấu.")
    return render_task_page(request, task, forms={name: form}, status=status, open_form=name,
                            error=message,
                            **extra)


def done(request, task: Task, message: str, anchor: str = "timeline"):
    messages.success(request, message)
    return redirect(f"{task.get_absolute_url()}#{anchor}")


def filter_link(**params) -> str:
    """``/tasks/?agency=3&role=lead``: links into the task list with the filter's parameter names (agency, role,
    status, timing, theme, notice, programme, due_from, due_to, overdue_on, q); empty values are dropped, dates are
    written YYYY-MM-DD."""
    import datetime as dt

    from nq57.core.links import view_url

    clean = tuple((key, value.isoformat() if isinstance(value, dt.date) else value)
                  for key, value in params.items() if value not in (None, ""))
    return view_url("tasks:task_list") + _query_string(clean)


@lru_cache(maxsize=4096)
def _query_string(pairs: tuple) -> str:
    """``?agency=3&role=lead`` of (name, value) pairs: a function of its argument (the dashboard links a few hundred
    bars and points, mostly the same ones on every request)."""
    return "?" + urlencode(pairs) if pairs else ""
