"""Notices over the API: read-only for every signed-in role (mounted by ``nq57.api.api``)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.api.http import paginate
from nq57.notices.models import Notice
from nq57.notices.schemas import NoticeDetail, NoticePage, notice_detail_out, notice_out

router = Router(tags=["Thông báo"])


@router.get("/notices", response={200: NoticePage}, summary="Danh sách thông báo",
            operation_id="nq57_api_endpoints_reference_notice_list")
def notice_list(request, programme: str | None = None, number: str | None = None,
                page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    qs = Notice.objects.select_related("programme")
    if programme:
        qs = qs.filter(programme__code=programme)
    if number:
        qs = qs.filter(number=number)
    return paginate(qs, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [notice_out(n) for n in rows])


@router.get("/notices/{notice_id}", response={200: NoticeDetail}, summary="Chi tiết thông báo",
            operation_id="nq57_api_endpoints_reference_notice_detail")
def notice_detail(request, notice_id: int):
    notice = get_object_or_404(Notice.objects.select_related("programme")
                               .annotate(task_count=Count("tasks", filter=Q(tasks__parent__isnull=True))),
                               pk=notice_id)
    return notice_detail_out(notice)
