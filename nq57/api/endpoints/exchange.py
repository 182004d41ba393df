"""The exchange format over HTTP: export tasks (any signed-in role), import a document (office)."""

from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.api import schemas as s
from nq57.api.http import idempotent, parse_json_body
from nq57.exchange.services import exchange_export, exchange_import
from nq57.notices.models import Notice

router = Router(tags=["Trao đổi dữ liệu (Nghị quyết 71)"])
ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}


@router.get("/exchange/export", response={200: dict, **ERRORS}, summary="Xuất nhiệm vụ theo định dạng trao đổi v1")
def export(request, notice: int | None = None):
    """A document valid against ``nq57/exchange/schema/exchange-v1.schema.json`` (docs/exchange.md)."""
    return exchange_export(actor=request.auth, notice=get_object_or_404(Notice, pk=notice) if notice else None)


@router.post("/exchange/import", response={200: s.ImportResultOut, **ERRORS},
             summary="Nhập tệp trao đổi (cập nhật hoặc tạo nhiệm vụ, không trùng lặp)",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "object", "description": "Tài liệu theo exchange-v1.schema.json"}}}}})
def import_document(request, system: str | None = None, dry_run: bool = False):
    """Each record comes back as created / updated / unchanged / rejected (with the reason). ``dry_run=true``
    writes nothing. ``system`` overrides the document's ``system`` (e.g. r71)."""
    document = parse_json_body(request)

    def perform():
        result = exchange_import(document=document, actor=request.auth, system=system, dry_run=dry_run)
        return 200, result.to_dict(), {}

    return idempotent(request, perform)
