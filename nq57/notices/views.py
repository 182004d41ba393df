"""Notices: the list (with task counts by status) and the notice page (its tasks in document order)."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nq57.core import access
from nq57.notices import selectors
from nq57.notices.models import Notice, NoticeKind
from nq57.tasks.filters import base_queryset
from nq57.tasks.models import TaskStatus, search_words
from nq57.tasks.pages import decorate, filter_link, with_timing
from nq57.taxonomy.models import Programme


@require_GET
def notice_list(request):
    from nq57.extraction.vietnamese import fold

    notices = Notice.objects.select_related("programme").defer("full_text").order_by("-issued_on", "-id")
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        notices = notices.filter(programme_id=int(programme))
    q = request.GET.get("q", "").strip()
    if q:
        # notices are few (hundreds): number and title are matched folded, in Python, whole words, so that a number
        # typed loosely ("30 TB TGV", "30/tb-tgv") finds 30-TB/TGV
        wanted = f" {' '.join(search_words(q)) or fold(q)} "
        ids = [pk for pk, number, title in notices.values_list("pk", "number", "title")
               if wanted in f" {' '.join(search_words(f'{number} {title}'))} "]
        notices = notices.filter(pk__in=ids)
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    selectors.attach_task_counts(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "notices/notice_list.html", {
        "page": page, "kinds": NoticeKind.choices, "programmes": Programme.objects.all(),
        "kind": kind, "programme": programme, "q": q, "query": params.urlencode(),
    })


@require_GET
def notice_detail(request, pk: int):
    try:
        notice = Notice.objects.select_related("programme", "created_by").prefetch_related(
            Prefetch("cites", Notice.objects.only("id", "number", "title", "issued_on")),
            Prefetch("cited_by", Notice.objects.only("id", "number", "title", "issued_on")),
        ).get(pk=pk)
    except Notice.DoesNotExist as exc:
        raise Http404("Không tìm thấy thông báo.") from exc
    today = timezone.localdate()
    tasks = [
        decorate(with_timing(task))
        for task in base_queryset(today=today).filter(notice=notice, parent__isnull=True)
        .annotate(subtask_count=Count("subtasks")).order_by("position", "id")
    ]
    known = {cited.number for cited in notice.cites.all()}
    cited_elsewhere = [number for number in notice.cited_numbers or [] if number not in known]
    counts = {status: sum(1 for t in tasks if t.status == status) for status in TaskStatus.values}
    return render(request, "notices/notice_detail.html", {
        "notice": notice, "tasks": tasks, "cited_elsewhere": cited_elsewhere, "counts": counts,
        "statuses": TaskStatus.choices, "list_link": filter_link(notice=notice.pk),
        "overdue": sum(1 for t in tasks if t.timing_value == "open_overdue"),
        "overdue_link": filter_link(notice=notice.pk, timing="open_overdue"),
    })


def source_download_name(notice: Notice) -> str:
    """The name the file had when it was uploaded (kept on the import that stored it); the stored name (spaces made
    underscores, perhaps shortened) when no import record says it."""
    from pathlib import PurePath

    name = (notice.drafts.filter(confirmed_at__isnull=False).exclude(source_file="").exclude(source_name="")
            .order_by("-confirmed_at", "-id").values_list("source_name", flat=True).first())
    stored = PurePath(notice.source_file.name)
    if name and PurePath(name).suffix.lower() == stored.suffix.lower():
        return PurePath(name).name
    return stored.name


@require_GET
def notice_source(request, pk: int):
    """The original uploaded file of a notice (the last one imported), always as a download (never shown inline: an
    uploaded HTML page must not run in our origin), with its type guessed from its name."""
    import mimetypes

    access.require(access.can_view(request.user), access.STAFF_ONLY)
    notice = get_object_or_404(Notice, pk=pk)
    if not notice.source_file:
        raise Http404("Thông báo này không có tệp gốc (được nhập từ văn bản dán vào).")
    try:
        handle = notice.source_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp gốc không còn trên máy chủ.") from exc
    filename = source_download_name(notice)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
