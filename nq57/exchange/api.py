"""The exchange format over HTTP: export tasks (any signed-in role), import a document (office). Mounted by
``nq57.api.api``."""

from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.api.http import idempotent, parse_json_body
from nq57.api.schemas import error_responses
from nq57.exchange.schemas import ExchangeDocumentOut, ImportResultOut, import_result_out
from nq57.exchange.services import exchange_export, exchange_import
from nq57.notices.models import Notice

router = Router(tags=["Trao đổi dữ liệu (Nghị quyết 71)"])
ERRORS = error_responses(400, 401, 403, 404, 422)


@router.get("/exchange/export", response={200: ExchangeDocumentOut, **ERRORS},
            summary="Xuất nhiệm vụ theo định dạng trao đổi v1", operation_id="nq57_api_endpoints_exchange_export")
def export(request, notice: int | None = None):
    """A document valid against ``nq57/exchange/schema/exchange-v1.schema.json`` (docs/exchange.md)."""
    return exchange_export(actor=request.auth, notice=get_object_or_404(Notice, pk=notice) if notice else None)


@router.post("/exchange/import", response={200: ImportResultOut, **ERRORS},
             summary="Nhập tệp trao đổi (cập nhật hoặc tạo nhiệm vụ, không trùng lặp)",
             operation_id="nq57_api_endpoints_exchange_import_document",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "object", "description": "Tài liệu theo exchange-v1.schema.json"}}}}})
def import_document(request, system: str | None = None, dry_run: bool = False):
    """Each record comes back as created / updated / unchanged / rejected (with the reason). ``dry_run=true``
    writes nothing. ``system`` overrides the document's ``system`` (e.g. r71)."""
    document = parse_json_body(request)

    def perform():
        result = exchange_import(document=document, actor=request.auth, system=system, dry_run=dry_run)
        return 200, ImportResultOut.model_validate(import_result_out(result)), {}

    return idempotent(request, perform)
