"""The signed-in user's notifications and the consolidated report figures over the API (mounted by
``nq57.api.api``). Reading the report never issues it: see ``monitoring.services.report_issue``."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router

from nq57.api.http import ApiError, idempotent, paginate
from nq57.api.schemas import error_responses
from nq57.core.errors import NotFoundError
from nq57.monitoring import alerts
from nq57.monitoring.models import Notification
from nq57.monitoring.schemas import (
    ConsolidatedReportOut,
    NotificationOut,
    NotificationPage,
    consolidated_report_out,
    notification_out,
)

router = Router()
NOTIFICATIONS = ["Thông báo trong hệ thống"]


@router.get("/notifications", response={200: NotificationPage}, tags=NOTIFICATIONS, summary="Thông báo của tôi",
            operation_id="nq57_api_endpoints_monitoring_notification_list")
def notification_list(request, unread: bool | None = None, page: int | None = None, page_size: int | None = None,
                      cursor: str | None = None):
    qs = Notification.objects.filter(recipient=request.auth)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return paginate(qs, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [notification_out(n) for n in rows])


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **error_responses(404)},
             tags=NOTIFICATIONS, summary="Đánh dấu đã đọc",
             operation_id="nq57_api_endpoints_monitoring_notification_read")
def notification_read(request, notification_id: int):
    notification = Notification.objects.filter(pk=notification_id, recipient=request.auth).first()
    if notification is None:  # someone else's notification is as good as absent
        raise NotFoundError("Không tìm thấy thông báo.")

    def perform():
        alerts.notification_mark_read(user=request.auth, notification_id=notification.pk)
        notification.refresh_from_db()
        return 200, NotificationOut.model_validate(notification_out(notification)), {}

    return idempotent(request, perform)


@router.get("/consolidated-report", response={200: ConsolidatedReportOut, **error_responses(404, 422)},
            tags=["Báo cáo tổng hợp"], summary="Số liệu báo cáo tổng hợp",
            operation_id="nq57_api_endpoints_monitoring_consolidated")
def consolidated(request, as_of: dt.date | None = None, notice: int | None = None, agency: int | None = None,
                 theme: str | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                 late_limit: int = 200):
    """The figures of the consolidated report ("x/y nhiệm vụ đã hoàn thành …") at ``as_of`` (default today).

    ``late_tasks`` lists at most ``late_limit`` late tasks (1–10,000, default 200), most late first; ``late_total``
    always gives how many there are (the full list: the task list with ``timing=open_overdue``). Reading the figures
    issues nothing: "changes since the last report" compare with the last report the office issued."""
    from nq57.agencies.models import Agency
    from nq57.monitoring.services import consolidated_report
    from nq57.notices.models import Notice
    from nq57.taxonomy.models import Theme

    if not 1 <= late_limit <= 10_000:
        raise ApiError(422, "invalid", "Dữ liệu gửi lên không hợp lệ.",
                       {"late_limit": ["late_limit phải từ 1 đến 10.000."]})
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, "invalid", "Dữ liệu gửi lên không hợp lệ.",
                       {"date_to": ["Ngày kết thúc phải sau ngày bắt đầu."]})
    report = consolidated_report(
        as_of=as_of or timezone.localdate(),
        notice=get_object_or_404(Notice, pk=notice) if notice is not None else None,
        agency=get_object_or_404(Agency, pk=agency) if agency is not None else None,
        theme=get_object_or_404(Theme, code=theme) if theme else None,
        date_from=date_from, date_to=date_to, late_limit=late_limit,
    )
    return consolidated_report_out(report)
