"""The platform's API shapes: the error body, the page envelope and webhooks. Each app declares its own shapes in
``nq57/<app>/schemas.py`` (field names from the glossary; dates in ISO 8601)."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    code: str = Field(description="Mã lỗi ổn định cho máy, ví dụ not_found, forbidden, invalid, conflict")
    message: str = Field(description="Thông báo tiếng Việt cho người dùng")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Lỗi theo từng trường")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response=`` entries for the error statuses an operation may answer (all with ``ErrorOut``)."""
    return {status: ErrorOut for status in statuses}


class PageMeta(Schema):
    count: int | None = Field(None, description="Tổng số dòng (chỉ khi phân trang bằng page)")
    page: int | None = None
    page_size: int
    next_cursor: str | None = Field(None, description="Gửi lại trong ?cursor= để lấy trang sau")


WebhookEvent = Literal["task.created", "task.status_changed", "report.submitted", "task.overdue"]


class WebhookIn(Schema):
    url: str = Field(max_length=500)
    secret: str = Field(max_length=200)
    events: list[WebhookEvent] = Field(max_length=10)
    name: str = Field("", max_length=100)


class WebhookPatch(Schema):
    is_active: bool = Field(description="false: tạm dừng; true: bật lại và gửi các lần gửi đang chờ")


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    created_at: dt.datetime


class DeliveryOut(Schema):
    id: int
    uuid: str
    event: str
    state: str
    attempts: int
    status_code: int | None
    response_excerpt: str
    error: str
    log: list[dict]
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


class DeliveryPage(PageMeta):
    results: list[DeliveryOut]


def webhook_out(subscription) -> dict:
    return {"id": subscription.pk, "name": subscription.name, "url": subscription.url,
            "events": list(subscription.events), "is_active": subscription.is_active,
            "created_at": subscription.created_at}


def delivery_out(delivery) -> dict:
    return {"id": delivery.pk, "uuid": str(delivery.uuid), "event": delivery.event, "state": delivery.state,
            "attempts": delivery.attempts, "status_code": delivery.status_code,
            "response_excerpt": delivery.response_excerpt, "error": delivery.error, "log": delivery.log,
            "created_at": delivery.created_at, "last_attempt_at": delivery.last_attempt_at,
            "next_attempt_at": delivery.next_attempt_at, "delivered_at": delivery.delivered_at}
