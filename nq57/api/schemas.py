"""The platform's API shapes: the error body, the page envelope and webhooks. Each app declares its own shapes in
``nq57/<app>/schemas.py`` (field names from the glossary; dates in ISO 8601)."""

import datetime as dt
from typing import Annotated, Literal

from django.core.serializers.json import DjangoJSONEncoder
from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from nq57.core.events import EVENT_NAMES

_ENCODER = DjangoJSONEncoder()

#: a moment in an answer: written exactly as Django's JSON encoder writes it (ninja's renderer), also when a fast path
#: serialises a validated page itself with ``model_dump_json``
Instant = Annotated[dt.datetime, PlainSerializer(_ENCODER.default, return_type=str, when_used="json"),
                    WithJsonSchema({"type": "string", "format": "date-time"})]


class Out(BaseModel):
    """The base of every answer's shape. Serialisers hand it plain values, so it is a plain pydantic model: ninja's
    ``Schema`` reads every value through a ``DjangoGetter`` (for ORM objects), five times slower on a list page.
    Input shapes stay ninja ``Schema``s."""


class ErrorOut(Out):
    code: str = Field(description="Mã lỗi ổn định cho máy, ví dụ not_found, forbidden, invalid, conflict")
    message: str = Field(description="Thông báo tiếng Việt cho người dùng")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Lỗi theo từng trường")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``response=`` entries for the error statuses an operation may answer (all with ``ErrorOut``)."""
    return {status: ErrorOut for status in statuses}


class PageMeta(Out):
    count: int | None = Field(None, description="Tổng số dòng (chỉ khi phân trang bằng page)")
    page: int | None = None
    page_size: int
    next_cursor: str | None = Field(None, description="Gửi lại trong ?cursor= để lấy trang sau")


# every event the apps registered (``core.events.register_event``); read when the API is built, after all apps loaded
WebhookEvent = Literal[tuple(EVENT_NAMES)]


class WebhookIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    url: str = Field(max_length=500)
    secret: str = Field(max_length=200)
    events: list[WebhookEvent] = Field(max_length=10)
    name: str = Field("", max_length=100)


class WebhookPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) field is a 422, not silently ignored

    is_active: bool = Field(description="false: tạm dừng; true: bật lại và gửi các lần gửi đang chờ")


class WebhookOut(Out):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    created_at: Instant


class DeliveryOut(Out):
    id: int
    uuid: str
    event: str
    state: str
    attempts: int
    status_code: int | None
    response_excerpt: str
    error: str
    log: list[dict]
    created_at: Instant
    last_attempt_at: Instant | None
    next_attempt_at: Instant | None
    delivered_at: Instant | None


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
