"""Exchange pages: download the exchange file, import one (office), and import a task spreadsheet with a preview
that lists every row error before anything is written."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.core.uploads import EXCHANGE_EXCEL, EXCHANGE_JSON, check_upload, not_kept_notes
from nq57.exchange.batches import batch_create, batch_status
from nq57.exchange.excel import COLUMNS, excel_parse
from nq57.exchange.models import ImportBatch, ImportKind, ImportStatus
from nq57.exchange.services import exchange_export, exchange_import, import_prepare
from nq57.notices.models import Notice

PREVIEW_ROWS = 200
EXCEL_ONLY = EXCHANGE_EXCEL.signatures()
JSON_ONLY = EXCHANGE_JSON.signatures()


def _office(request) -> None:
    if not access.can_manage_notices(request.user):
        raise PermissionDenied("Chỉ Cơ quan Thường trực được nhập dữ liệu.")


def _index_context(request, **extra) -> dict:
    return {"notices": Notice.objects.exclude(number="").order_by("-issued_on", "-id")[:500],
            "batches": ImportBatch.objects.filter(created_by=request.user)[:10],
            "columns": [label for label, _ in COLUMNS.values()], "can_import": access.can_manage_notices(request.user),
            "json_kind": EXCHANGE_JSON, "excel_kind": EXCHANGE_EXCEL, **extra}


@require_GET
def index(request):
    return render(request, "exchange/index.html", _index_context(request))


@require_GET
def export(request):
    notice = get_object_or_404(Notice, pk=request.GET["notice"]) if request.GET.get("notice", "").isdigit() else None
    document = exchange_export(actor=request.user, notice=notice)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    name = f"nq57-exchange-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def import_json(request):
    _office(request)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError("Hãy chọn tệp trao đổi (.json).", field="file")
        check_upload(upload, EXCHANGE_JSON)
        try:
            document = json.loads(upload.read().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ServiceError("Tệp không phải JSON hợp lệ (UTF-8).", field="file") from exc
        system = request.POST.get("system") or None
        if request.POST.get("dry_run"):
            result = exchange_import(document=document, actor=request.user, system=system, dry_run=True)
            return render(request, "exchange/import_result.html", {"result": result, "summary": result.to_dict()})
        system, _ = import_prepare(document=document, actor=request.user, system=system)
        upload.seek(0)
        batch = batch_create(actor=request.user, kind=ImportKind.JSON, name=upload.name, upload=upload,
                             system=system)
    except ServiceError as exc:
        return render(request, "exchange/index.html",
                      _index_context(request, json_error=exc.message,
                                     json_notes=not_kept_notes([upload], EXCHANGE_JSON, refused=True),
                                     json_details=[m for ms in exc.errors.values() for m in ms][:50]), status=400)
    _enqueue(batch, request.user)
    return redirect("exchange:batch", pk=batch.pk)


def _enqueue(batch: ImportBatch, user) -> None:
    """Run the import in the job queue once the batch row is committed (``exchange.tasks.import_batch_job``)."""
    from nq57.exchange.tasks import import_batch_job

    transaction.on_commit(lambda: import_batch_job(batch.pk, user.pk))


@require_POST
def excel_upload(request):
    _office(request)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError("Hãy chọn tệp bảng tính (.xlsx).", field="file")
        check_upload(upload, EXCHANGE_EXCEL)
    except ServiceError as exc:
        return render(request, "exchange/index.html", _index_context(
            request, excel_error=exc.message, excel_notes=not_kept_notes([upload], EXCHANGE_EXCEL, refused=True)),
            status=400)
    batch = ImportBatch.objects.create(kind=ImportKind.EXCEL, file=upload, original_name=upload.name[:255],
                                       created_by=request.user)
    return redirect("exchange:excel_preview", pk=batch.pk)


def _batch(request, pk: int) -> ImportBatch:
    _office(request)
    return get_object_or_404(ImportBatch, pk=pk, kind=ImportKind.EXCEL, created_by=request.user)


@require_GET
def excel_preview(request, pk: int):
    batch = _batch(request, pk)
    error = None
    preview = None
    try:
        with batch.file.open("rb") as handle:
            preview = excel_parse(handle)
    except ServiceError as exc:
        error = exc.message
    return render(request, "exchange/excel_preview.html", {
        "batch": batch, "preview": preview, "error": error,
        "rows": preview.rows[:PREVIEW_ROWS] if preview else [], "preview_limit": PREVIEW_ROWS,
    }, status=200)


@require_POST
def excel_confirm(request, pk: int):
    batch = _batch(request, pk)
    if batch.status == ImportStatus.DONE:
        messages.error(request, "Tệp này đã được ghi vào hệ thống trước đó.")
        return redirect("exchange:batch", pk=batch.pk)
    _enqueue(batch, request.user)
    return redirect("exchange:batch", pk=batch.pk)


def _own_batch(request, pk: int) -> ImportBatch:
    _office(request)
    return get_object_or_404(ImportBatch, pk=pk, created_by=request.user)


@require_GET
def batch(request, pk: int):
    """The progress of an import (a bar that ``import_progress.js`` keeps up to date) and its outcome."""
    batch = _own_batch(request, pk)
    return render(request, "exchange/batch.html", {"batch": batch, "status": batch_status(batch),
                                                   "rejections": (batch.summary or {}).get("rejections", [])[:200]})


@require_GET
def batch_status_json(request, pk: int):
    return JsonResponse(batch_status(_own_batch(request, pk)))


@require_POST
def batch_resume(request, pk: int):
    """Run a stopped import again: it continues after the last committed chunk."""
    batch = _own_batch(request, pk)
    if batch.status != ImportStatus.DONE:
        _enqueue(batch, request.user)
    return redirect("exchange:batch", pk=batch.pk)
