"""Who am I, agencies and notices: read-only for every signed-in role."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.accounts.selectors import primary_organisation
from nq57.agencies.models import Agency
from nq57.api import schemas as s
from nq57.api.http import paginate
from nq57.api.serializers import agency_brief, agency_dict, notice_dict
from nq57.notices.models import Notice

router = Router()


@router.get("/me", response={200: s.MeOut}, tags=["Tài khoản"], summary="Người dùng gắn với mã truy cập/phiên")
def me(request):
    user = request.auth
    token = getattr(request, "api_token", None)
    agency = primary_organisation(user)
    return {"id": user.pk, "username": user.username, "full_name": user.full_name,
            "role": _main_role(user), "roles": [role for _, role in user.membership_pairs()],
            "agency": agency_brief(agency) if agency else None, "token": token.prefix if token else None}


def _main_role(user) -> str:
    """One role for clients written before memberships: office > focal point > leader > other > citizen."""
    from nq57.monitoring.roles import FOCAL_POINT, LEADER, OFFICE

    held = [role for _, role in user.membership_pairs()]
    if user.is_office:
        return OFFICE
    return next((r for r in (FOCAL_POINT, LEADER) if r in held), held[0] if held else "citizen")


@router.get("/agencies", response={200: s.AgencyPage}, tags=["Cơ quan"], summary="Danh sách, tìm kiếm cơ quan")
def agency_list(request, q: str | None = None, kind: str | None = None, include_dissolved: bool = True,
                page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    """``q`` matches names and aliases without diacritics ("bo khoa hoc" finds Bộ Khoa học và Công nghệ)."""
    from nq57.extraction.vietnamese import fold

    qs = Agency.objects.all()
    if q and q.strip():
        key = fold(q)
        qs = qs.filter(Q(search_key__contains=key) | Q(aliases__key__contains=key)).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return paginate(qs, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [agency_dict(a) for a in rows])


@router.get("/agencies/{agency_id}", response={200: s.AgencyOut}, tags=["Cơ quan"], summary="Chi tiết cơ quan")
def agency_detail(request, agency_id: int):
    return agency_dict(get_object_or_404(Agency, pk=agency_id))


@router.get("/notices", response={200: s.NoticePage}, tags=["Thông báo"], summary="Danh sách thông báo")
def notice_list(request, programme: str | None = None, number: str | None = None,
                page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    qs = Notice.objects.select_related("programme")
    if programme:
        qs = qs.filter(programme__code=programme)
    if number:
        qs = qs.filter(number=number)
    return paginate(qs, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [notice_dict(n) for n in rows])


@router.get("/notices/{notice_id}", response={200: s.NoticeDetail}, tags=["Thông báo"], summary="Chi tiết thông báo")
def notice_detail(request, notice_id: int):
    notice = get_object_or_404(Notice.objects.select_related("programme")
                               .annotate(task_count=Count("tasks", filter=Q(tasks__parent__isnull=True))),
                               pk=notice_id)
    return {**notice_dict(notice), "cited_numbers": [str(n) for n in notice.cited_numbers or []],
            "task_count": notice.task_count}
