"""Notice import ("Nhập thông báo"): upload or paste, review the extracted tasks, confirm — thin views over
``notices.services`` (writes), ``notices.review`` (the review page's data) and ``notices.import_forms``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.core.forms import form_errors_add
from nq57.core.uploads import NOTICE_DOCUMENT, not_kept_notes
from nq57.notices import services
from nq57.notices.import_forms import (
    ImportStartForm,
    proposal_from_forms,
    review_data,
    review_forms_bound,
    review_forms_initial,
)
from nq57.notices.models import NoticeDraft
from nq57.notices.review import review_build


def _require_office(request) -> None:
    if not access.can_manage_notices(request.user):
        raise PermissionDenied("Chỉ Cơ quan Thường trực được nhập thông báo.")


def notice_url(notice) -> str:
    try:
        return reverse("notices:notice_detail", args=[notice.pk])
    except NoReverseMatch:
        return f"/notices/{notice.pk}/"


@require_http_methods(["GET", "POST"])
def import_start(request):
    _require_office(request)
    form = ImportStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_create(
                actor=request.user, programme=form.cleaned_data["programme"],
                upload=form.cleaned_data.get("upload"), text=form.cleaned_data.get("text") or "",
            )
        except ServiceError as error:
            form_errors_add(form, error.errors or {None: [error.message]})
        else:
            return redirect("notices:import_review", pk=draft.pk)
    upload_notes = not_kept_notes(request.FILES.getlist("upload"), NOTICE_DOCUMENT,
                                  refused=True if "upload" in form.errors else None) if form.errors else []
    drafts = NoticeDraft.objects.filter(confirmed_at__isnull=True).select_related("programme", "created_by").defer(
        "source_text", "extracted", "written")[:50]
    return render(request, "notices/import_start.html", {"form": form, "drafts": drafts,
                                                         "upload_notes": upload_notes},
                  status=400 if request.method == "POST" and form.errors else 200)


def _render_review(request, draft, notice_form, formset, review, *, error=None, status=200):
    rows = list(zip(formset.forms, review.rows, strict=False))
    return render(request, "notices/import_review.html", {
        "draft": draft, "notice_form": notice_form, "formset": formset, "rows": rows, "review": review,
        "error_rows": [(form, row) for form, row in rows if form.errors],
        "error": error, "notice_url": notice_url(draft.notice) if draft.notice_id else "",
    }, status=status)


def _bound_forms(request):
    """The review forms bound to what the page sent (one JSON field, or the ordinary fields)."""
    try:
        data = review_data(request.POST)
    except ServiceError as error:
        return None, None, error.message
    notice_form, formset = review_forms_bound(data)
    return notice_form, formset, None


@require_http_methods(["GET", "POST"])
def import_review(request, pk: int):
    """GET shows the review; POST keeps the reviewer's edits and shows the review again (highlights, changes)."""
    _require_office(request)
    draft = get_object_or_404(NoticeDraft.objects.select_related("programme", "notice"), pk=pk)
    if request.method == "POST" and not draft.confirmed_at:
        notice_form, formset, problem = _bound_forms(request)
        if problem:
            messages.error(request, problem)
            return redirect("notices:import_review", pk=draft.pk)
        if not (notice_form.is_valid() and formset.is_valid()):
            return _render_review(request, draft, notice_form, formset, review_build(draft=draft),
                                  error="Có ô nhập chưa hợp lệ; hãy sửa các ô được đánh dấu.")
        try:
            services.draft_save(draft=draft, actor=request.user, proposal=proposal_from_forms(notice_form, formset))
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, "Đã cập nhật bản xem trước theo nội dung vừa sửa.")
        return redirect("notices:import_review", pk=draft.pk)
    notice_form, formset = review_forms_initial(draft.proposal)
    return _render_review(request, draft, notice_form, formset, review_build(draft=draft))


@require_POST
def import_confirm(request, pk: int):
    _require_office(request)
    draft = get_object_or_404(NoticeDraft.objects.select_related("programme", "notice"), pk=pk)
    notice_form, formset, problem = _bound_forms(request)
    if problem:
        messages.error(request, problem + " Chưa có gì được ghi.")
        return redirect("notices:import_review", pk=draft.pk)
    if not (notice_form.is_valid() and formset.is_valid()):
        return _render_review(request, draft, notice_form, formset, review_build(draft=draft),
                              error="Có ô nhập chưa hợp lệ; hãy sửa các ô được đánh dấu. Chưa có gì được ghi.")
    proposal = proposal_from_forms(notice_form, formset)
    try:
        result = services.notice_import_confirm(
            actor=request.user, draft=draft, proposal=services.keep_row_memory(proposal, draft.proposal),
            register_unknown=request.POST.get("register_unknown") == "1",
        )
    except ServiceError as error:
        draft.refresh_from_db()
        for key, texts in error.errors.items():
            scope, _, name = key.partition(".")
            for text in texts:
                if scope == "notice" and name in notice_form.fields:
                    notice_form.add_error(name, text)
                elif scope == "tasks" and name.isdigit() and int(name) < len(formset.forms):
                    formset.forms[int(name)].add_error(None, text)
        # the review is rebuilt here, after the confirmation's transaction has ended
        review = review_build(draft=draft, proposal=services.keep_row_memory(proposal, draft.proposal))
        return _render_review(request, draft, notice_form, formset, review, error=error.message, status=error.status)
    messages.success(request, result.message)
    return redirect(notice_url(result.notice))


@require_POST
def import_discard(request, pk: int):
    _require_office(request)
    draft = get_object_or_404(NoticeDraft, pk=pk)
    label = str(draft)
    try:
        services.draft_discard(draft=draft, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("notices:import_review", pk=pk)
    messages.success(request, f"Đã hủy bản nhập “{label}”.")
    return redirect("notices:import_start")


urlpatterns: list = [
    path("", import_start, name="import_start"),
    path("<int:pk>/", import_review, name="import_review"),
    path("<int:pk>/confirm/", import_confirm, name="import_confirm"),
    path("<int:pk>/discard/", import_discard, name="import_discard"),
]
