"""Webhook subscriptions (office only) and their delivery log."""

from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.api import schemas as s
from nq57.api.http import idempotent, paginate
from nq57.api.models import WebhookSubscription
from nq57.api.serializers import delivery_dict, webhook_dict
from nq57.api.services import webhook_set_active, webhook_subscribe, webhook_unsubscribe
from nq57.core import access

router = Router(tags=["Webhook"])
ERRORS = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}


def _office(request) -> None:
    access.require(access.can_manage_webhooks(request.auth), "Chỉ Cơ quan Thường trực được quản lý webhook.")


@router.get("/webhooks", response={200: list[s.WebhookOut], **ERRORS}, summary="Các đăng ký webhook")
def webhook_list(request):
    _office(request)
    return [webhook_dict(w) for w in WebhookSubscription.objects.all()]


@router.post("/webhooks", response={201: s.WebhookOut, **ERRORS}, summary="Đăng ký webhook")
def webhook_create(request, payload: s.WebhookIn):
    """Each event is POSTed as JSON with ``X-NQ57-Signature: sha256=<HMAC-SHA256 of the body with the secret>``,
    ``X-NQ57-Timestamp``, ``X-NQ57-Event`` and ``X-NQ57-Delivery``; failures are retried with exponential backoff."""
    _office(request)

    def perform():
        created = webhook_subscribe(actor=request.auth, url=payload.url, secret=payload.secret,
                                    events=list(payload.events), name=payload.name)
        return 201, webhook_dict(created), {"Location": f"/api/v1/webhooks/{created.pk}"}

    return idempotent(request, perform)


@router.patch("/webhooks/{webhook_id}", response={200: s.WebhookOut, **ERRORS}, summary="Tạm dừng hoặc bật lại webhook")
def webhook_update(request, webhook_id: int, payload: s.WebhookPatch):
    """``{"is_active": false}`` pauses the subscription: no new deliveries are made and pending retries wait;
    ``{"is_active": true}`` resumes it and sends what is pending."""
    _office(request)
    subscription = webhook_set_active(actor=request.auth, is_active=payload.is_active,
                                      subscription=get_object_or_404(WebhookSubscription, pk=webhook_id))
    return webhook_dict(subscription)


@router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS}, summary="Hủy đăng ký webhook")
def webhook_delete(request, webhook_id: int):
    _office(request)
    webhook_unsubscribe(actor=request.auth, subscription=get_object_or_404(WebhookSubscription, pk=webhook_id))
    return 204, None


@router.get("/webhooks/{webhook_id}/deliveries", response={200: s.DeliveryPage, **ERRORS},
            summary="Nhật ký gửi của một webhook")
def delivery_list(request, webhook_id: int, page: int | None = None, page_size: int | None = None,
                  cursor: str | None = None):
    _office(request)
    subscription = get_object_or_404(WebhookSubscription, pk=webhook_id)
    return paginate(subscription.deliveries.all(), page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [delivery_dict(d) for d in rows])
