"""The agency registry over the API: read-only for every signed-in role (mounted by ``nq57.api.api``)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.agencies.models import Agency
from nq57.agencies.schemas import AgencyOut, AgencyPage, agency_out
from nq57.api.http import paginate
from nq57.core import access

router = Router(tags=["Cơ quan"])


@router.get("/agencies", response={200: AgencyPage}, summary="Danh sách, tìm kiếm cơ quan",
            operation_id="nq57_api_endpoints_reference_agency_list")
def agency_list(request, q: str | None = None, kind: str | None = None, include_dissolved: bool = True,
                page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    """``q`` matches names and aliases without diacritics ("bo khoa hoc" finds Bộ Khoa học và Công nghệ)."""
    from nq57.extraction.vietnamese import fold

    qs = access.organisations_visible_to(request.auth, Agency.objects.all())
    if q and q.strip():
        key = fold(q)
        qs = qs.filter(Q(search_key__contains=key) | Q(aliases__key__contains=key)).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return paginate(qs, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [agency_out(a) for a in rows])


@router.get("/agencies/{agency_id}", response={200: AgencyOut}, summary="Chi tiết cơ quan",
            operation_id="nq57_api_endpoints_reference_agency_detail")
def agency_detail(request, agency_id: int):
    return agency_out(get_object_or_404(access.organisations_visible_to(request.auth, Agency.objects.all()),
                                         pk=agency_id))
