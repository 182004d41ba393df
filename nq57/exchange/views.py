"""Exchange pages: download the exchange file, import one (office), and import a task spreadsheet with a preview
that lists every row error before anything is written."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.core.uploads import EXCHANGE_EXCEL, EXCHANGE_JSON, check_upload, not_kept_notes
from nq57.exchange.excel import COLUMNS, excel_commit, excel_parse
from nq57.exchange.models import ImportBatch, ImportKind
from nq57.exchange.services import exchange_export, exchange_import
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
        result = exchange_import(document=document, actor=request.user, system=request.POST.get("system") or None,
                                 dry_run=bool(request.POST.get("dry_run")))
    except ServiceError as exc:
        return render(request, "exchange/index.html",
                      _index_context(request, json_error=exc.message,
                                     json_notes=not_kept_notes([upload], EXCHANGE_JSON, refused=True),
                                     json_details=[m for ms in exc.errors.values() for m in ms][:50]), status=400)
    return render(request, "exchange/import_result.html", {"result": result, "summary": result.to_dict()})


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
    if batch.committed_at:
        messages.error(request, "Tệp này đã được ghi vào hệ thống trước đó.")
        return redirect("exchange:excel_preview", pk=batch.pk)
    try:
        with batch.file.open("rb") as handle:
            created = excel_commit(file=handle, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:excel_preview", pk=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(committed_at=timezone.now(), summary={"created": len(created)})
    messages.success(request, f"Đã tạo {len(created)} nhiệm vụ từ tệp “{batch.original_name}”.")
    return redirect("exchange:index")
