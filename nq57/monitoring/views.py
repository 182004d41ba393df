"""Monitoring pages: overview, dashboard, consolidated report (HTML, print, Word, Excel), escalation list and the
user's notifications. Views parse input, call services, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from nq57.core import access
from nq57.core.errors import PermissionDeniedError
from nq57.monitoring import alerts, charts, exports, services
from nq57.monitoring.escalation import escalation_sections
from nq57.monitoring.forms import ReportScopeForm
from nq57.monitoring.models import Notification

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_view(request) -> None:
    access.require(access.can_view(request.user), "Bạn cần đăng nhập để xem trang này.")


def _forbidden(exc: PermissionDeniedError):
    raise exc  # the one Vietnamese 403 page (handler403 shows the message)


def overview(request):
    """The home page: a focal point lands on their agency's tasks ("/my/"); the overview itself stays at
    "/overview/" for everyone (menu "Tổng quan")."""
    try:
        _require_view(request)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    if request.resolver_match.url_name == "overview" and lands_on_worklist(request.user):
        return redirect("monitoring:my_agency")
    data = services.overview(today=timezone.localdate())
    return render(request, "monitoring/overview.html", data)


def lands_on_worklist(user) -> bool:
    """Focal points (who are not also the Standing Office) start from their own agency's work."""
    return user.is_focal_point and not user.is_office


def my_agency(request):
    """ "Nhiệm vụ của cơ quan tôi": the user's agencies' tasks in the groups a focal point works through."""
    from nq57.tasks.selectors import agency_worklist

    try:
        _require_view(request)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    today = timezone.localdate()
    worklist = agency_worklist(request.user, today=today)
    return render(request, "monitoring/my_agency.html", {
        "worklist": worklist, "today": today,
        "all_url": services.task_list_url(agency=worklist.agencies[0].pk) if len(worklist.agencies) == 1 else "",
    })


def dashboard(request):
    try:
        _require_view(request)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    today = timezone.localdate()
    return render(request, "monitoring/dashboard.html",
                  {"today": today, "charts": charts.dashboard_figures(today=today)})


# the web page lists the first late tasks and links to the task list for all of them, and the first changes since
# the last issued report (all of them counted); Word, Excel, the print version and the command line list every one
PAGE_LATE_LIMIT = 200
PAGE_CHANGES_LIMIT = 200


def _report_from(request, *, late_limit: int | None = None):
    form = ReportScopeForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = ReportScopeForm({})
        form.is_valid()
    return form, services.consolidated_report(**form.report_kwargs(), late_limit=late_limit)


def _filename(report, ext: str) -> str:
    return f"bao-cao-tong-hop-{report.as_of:%Y%m%d}.{ext}"


def consolidated(request):
    try:
        _require_view(request)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    fmt = request.GET.get("format", "")
    form, report = _report_from(request, late_limit=None if fmt in {"docx", "xlsx", "print"} else PAGE_LATE_LIMIT)
    if report is not None and fmt in {"docx", "xlsx"}:  # a download issues nothing (see consolidated_issue)
        body, content_type = ((exports.report_docx(report, issuer=form.report_issuer()), DOCX) if fmt == "docx"
                              else (exports.report_xlsx(report), XLSX))
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{_filename(report, fmt)}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    template = "monitoring/consolidated_print.html" if fmt == "print" else "monitoring/consolidated.html"
    return render(request, template, {
        "form": form, "report": report, "query": query.urlencode(),
        "change_summary": exports.change_summary(report) if report else "",
        "date_line": form.report_issuer().date_line(report.as_of) if report else "",
        "issuer": form.report_issuer(), "recipients": exports.recipients(form.report_issuer()),
        "can_issue": access.can_issue_reports(request.user),
        "changes_slice": "" if fmt == "print" else f":{PAGE_CHANGES_LIMIT}",
        "changes_truncated": fmt != "print" and report is not None and len(report.changes) > PAGE_CHANGES_LIMIT,
        "changes_limit": PAGE_CHANGES_LIMIT,
    }, status=200 if report is not None else 400)


@require_POST
def consolidated_issue(request):
    """"Ban hành báo cáo": the office issues the report of the scope in the form, so the next report of that scope
    says what changed since this one. The only place (with ``nq57 report --issue-by``) a report is issued."""
    form = ReportScopeForm(request.POST)
    query = QueryDict(mutable=True)
    for name in form.fields:
        if request.POST.get(name):
            query[name] = request.POST[name]
    target = f"{reverse('monitoring:consolidated')}?{query.urlencode()}" if query else reverse(
        "monitoring:consolidated")
    if not form.is_valid():
        messages.error(request, "Phạm vi báo cáo không hợp lệ: " + " ".join(
            str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        report, _ = services.report_issue(actor=request.user, **form.report_kwargs(), late_limit=0)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    messages.success(request, f"Đã ban hành báo cáo tổng hợp tính đến ngày {report.as_of:%d/%m/%Y}. Báo cáo sau "
                              "cùng phạm vi sẽ nêu các thay đổi so với báo cáo này.")
    return redirect(target)


# the page lists the first late tasks of each agency (most days late first) and links to the agency's full list in
# the task list; the weekly email keeps ``alerts.ESCALATION_ITEMS``
ESCALATION_PAGE_ITEMS = 10


def escalation(request):
    try:
        _require_view(request)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    today = timezone.localdate()
    groups, total = alerts.escalation(today=today, limit=ESCALATION_PAGE_ITEMS)
    return render(request, "monitoring/escalation.html", {"today": today, "groups": groups, "total": total,
                                                          "page_items": ESCALATION_PAGE_ITEMS,
                                                          "sections": escalation_sections(today=today)})


def notifications(request):
    try:
        _require_view(request)
    except PermissionDeniedError as exc:
        return _forbidden(exc)
    mine = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread") == "1":
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    return render(request, "monitoring/notifications.html", {
        "page": page, "unread_only": request.GET.get("unread") == "1",
        "unread": alerts.unread_count(user=request.user),
    })


@require_POST
def notification_read(request, pk: int):
    alerts.notification_mark_read(user=request.user, notification_id=pk)
    target = Notification.objects.filter(pk=pk, recipient=request.user).values_list("url", flat=True).first()
    if request.POST.get("open") and target:
        return redirect(target)
    following = request.POST.get("next", "")
    if following and url_has_allowed_host_and_scheme(following, allowed_hosts={request.get_host()}):
        return redirect(following)
    return redirect("monitoring:notifications")


@require_POST
def notification_read_all(request):
    count = alerts.notification_mark_all_read(user=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc." if count else "Không có thông báo chưa đọc.")
    return redirect("monitoring:notifications")
