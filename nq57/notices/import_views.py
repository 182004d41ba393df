"""Notice import ("Nhập thông báo"): upload or paste, review the extracted tasks, confirm — thin views over
``notices.services`` (writes), ``notices.review`` (the review page's data) and ``notices.import_forms``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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
    target_formset,
    targets_from_forms,
)
from nq57.notices.models import NoticeDraft
from nq57.notices.quality import COUNTER_LABELS, quality_summary
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


def _render_review(request, draft, notice_form, formset, review, *, targets=None, error=None, status=200):
    rows = list(zip(formset.forms, review.rows, strict=False))
    return render(request, "notices/import_review.html", {
        "draft": draft, "notice_form": notice_form, "formset": formset, "rows": rows, "review": review,
        "targets": targets if targets is not None else target_formset(draft.proposal),
        "error_rows": [(form, row) for form, row in rows if form.errors],
        "error": error, "notice_url": notice_url(draft.notice) if draft.notice_id else "",
    }, status=status)


class _Bound:
    """The review forms bound to what the page sent (one JSON field, or the ordinary fields)."""

    def __init__(self, request, draft):
        self.problem = None
        try:
            self.data = review_data(request.POST)
        except ServiceError as error:
            self.data, self.problem = None, error.message
            return
        self.notice_form, self.formset = review_forms_bound(self.data)
        self.targets = target_formset(draft.proposal, self.data)

    def valid(self) -> bool:
        targets_ok = not self.targets.is_bound or self.targets.is_valid()
        return self.notice_form.is_valid() and self.formset.is_valid() and targets_ok

    def proposal(self, draft) -> dict:
        return proposal_from_forms(self.notice_form, self.formset, targets_from_forms(self.targets, draft.proposal))


def _number(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


EDIT_DONE = {"split": "Đã tách nhiệm vụ {row} thành hai; kiểm tra cơ quan và thời hạn của phần mới.",
             "merge": "Đã gộp nhiệm vụ {row} với nhiệm vụ tiếp theo.",
             "add": "Đã thêm một nhiệm vụ từ đoạn văn bản đã chọn; kiểm tra cơ quan và thời hạn."}


@require_http_methods(["GET", "POST"])
def import_review(request, pk: int):
    """GET shows the review; POST keeps the reviewer's edits and shows the review again (highlights, changes). A
    POST with ``review_edit`` = ``split:N`` / ``merge:N`` / ``add:N`` also splits, merges or adds a row."""
    _require_office(request)
    draft = get_object_or_404(NoticeDraft.objects.select_related("programme", "notice"), pk=pk)
    if request.method == "POST" and not draft.confirmed_at:
        bound = _Bound(request, draft)
        if bound.problem:
            messages.error(request, bound.problem)
            return redirect("notices:import_review", pk=draft.pk)
        if not bound.valid():
            return _render_review(request, draft, bound.notice_form, bound.formset, review_build(draft=draft),
                                  targets=bound.targets, error="Có ô nhập chưa hợp lệ; hãy sửa các ô được đánh dấu.")
        edit, _, row = (bound.data.get("review_edit") or "").partition(":")
        anchor = ""
        try:
            if edit:
                index = _number(row)
                services.draft_edit(draft=draft, actor=request.user, proposal=bound.proposal(draft), edit=edit,
                                    index=index, at=_number(bound.data.get("review_edit_at")),
                                    selection=bound.data.get("review_selection") or "")
                messages.success(request, EDIT_DONE.get(edit, "").format(row=(index or 0) + 1))
                anchor = f"#task-{(index or 0) + (1 if edit == 'add' else 0)}"
            else:
                services.draft_save(draft=draft, actor=request.user, proposal=bound.proposal(draft))
                messages.info(request, "Đã cập nhật bản xem trước theo nội dung vừa sửa.")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(reverse("notices:import_review", args=[draft.pk]) + anchor)
    notice_form, formset = review_forms_initial(draft.proposal)
    return _render_review(request, draft, notice_form, formset, review_build(draft=draft))


@require_POST
def import_confirm(request, pk: int):
    _require_office(request)
    draft = get_object_or_404(NoticeDraft.objects.select_related("programme", "notice"), pk=pk)
    bound = _Bound(request, draft)
    if bound.problem:
        messages.error(request, bound.problem + " Chưa có gì được ghi.")
        return redirect("notices:import_review", pk=draft.pk)
    notice_form, formset = bound.notice_form, bound.formset
    if not bound.valid():
        return _render_review(request, draft, notice_form, formset, review_build(draft=draft), targets=bound.targets,
                              error="Có ô nhập chưa hợp lệ; hãy sửa các ô được đánh dấu. Chưa có gì được ghi.")
    proposal = bound.proposal(draft)
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
        return _render_review(request, draft, notice_form, formset, review, targets=bound.targets,
                              error=error.message, status=error.status)
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


@require_GET
def import_quality(request):
    """Extraction quality in real use: per confirmed import, what the office added, dropped, split, merged and
    corrected (``notices.quality``)."""
    _require_office(request)
    drafts = list(NoticeDraft.objects.filter(confirmed_at__isnull=False).select_related("notice", "created_by")
                  .defer("source_text", "extracted", "proposal", "written").order_by("-confirmed_at")[:100])
    return render(request, "notices/import_quality.html", {
        "drafts": drafts, "summary": quality_summary(drafts), "labels": COUNTER_LABELS,
        "rows": [(d, [int((d.review_counts or {}).get(name, 0)) for name in COUNTER_LABELS]) for d in drafts]})


urlpatterns: list = [
    path("", import_start, name="import_start"),
    path("quality/", import_quality, name="import_quality"),
    path("<int:pk>/", import_review, name="import_review"),
    path("<int:pk>/confirm/", import_confirm, name="import_confirm"),
    path("<int:pk>/discard/", import_discard, name="import_discard"),
]
