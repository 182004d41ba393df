"""Indicators and their values over the API (mounted by ``nq57.api.api``): read indicators and values; an
organisation posts the value of a period (token + ``Idempotency-Key``), with the same rules as the web form."""

from django.http import Http404
from ninja import Router

from nq57.api.http import idempotent, paginate
from nq57.api.schemas import error_responses
from nq57.core import access
from nq57.core.errors import NotFoundError
from nq57.indicators.models import Indicator, ValueOrigin
from nq57.indicators.schemas import (
    IndicatorDetailOut,
    IndicatorPage,
    ValueIn,
    ValueOut,
    indicator_detail_out,
    indicator_out,
    value_out,
)
from nq57.indicators.selectors import filtered
from nq57.indicators.services import value_submit

router = Router(tags=["Chỉ tiêu"])
ERRORS = error_responses(400, 401, 403, 404, 409, 422, 429)


def _indicator(request, pk: int) -> Indicator:
    try:
        return access.indicator_for(request.auth, pk, queryset=Indicator.objects.select_related("agency", "theme"))
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@router.get("/indicators", response={200: IndicatorPage, **ERRORS}, summary="Danh sách chỉ tiêu (lọc như trang web)",
            operation_id="nq57_api_indicators_list")
def indicator_list(request, q: str = "", status: str = "", agency: str = "", theme: str = "", year: str = "",
                   page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    access.require(access.can_view_indicators(request.auth), access.STAFF_ONLY)
    rows = filtered(request.auth, {"q": q, "status": status, "agency": agency, "theme": theme, "year": year})
    return paginate(rows.order_by("id"), page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda items: [indicator_out(i) for i in items])


@router.get("/indicators/{indicator_id}", response={200: IndicatorDetailOut, **ERRORS},
            summary="Chi tiết chỉ tiêu và các mục tiêu", operation_id="nq57_api_indicators_detail")
def indicator_detail(request, indicator_id: int):
    return indicator_detail_out(_indicator(request, indicator_id))


@router.get("/indicators/{indicator_id}/values", response={200: list[ValueOut], **ERRORS},
            summary="Các giá trị của chỉ tiêu", operation_id="nq57_api_indicators_values")
def value_list(request, indicator_id: int):
    indicator = _indicator(request, indicator_id)
    return [value_out(v) for v in indicator.values.order_by("year", "quarter")]


@router.post("/indicators/{indicator_id}/values", response={201: ValueOut, **ERRORS},
             summary="Gửi giá trị của một kỳ (cơ quan chủ trì theo dõi)", operation_id="nq57_api_indicators_value_post")
def value_create(request, indicator_id: int, payload: ValueIn):
    """A focal point posts values only for the indicators their organisation is responsible for. Send an
    ``Idempotency-Key`` header so a retry never writes twice."""
    indicator = _indicator(request, indicator_id)

    def perform():
        row = value_submit(actor=request.auth, indicator=indicator, year=payload.year, quarter=payload.quarter,
                           value=payload.value, note=payload.note, evidence_link=payload.evidence_link,
                           origin=ValueOrigin.API)
        return 201, ValueOut.model_validate(value_out(row)), {}

    return idempotent(request, perform)
