"""The platform's own operations: who am I (the token's or session's user) and webhook subscriptions (office only)
with their delivery log. The domain operations live in each app's ``api.py``."""

from django.shortcuts import get_object_or_404
from ninja import Router
from pydantic import Field

from nq57.accounts.selectors import primary_organisation
from nq57.agencies.schemas import AgencyBrief, agency_brief
from nq57.api.http import idempotent, paginate
from nq57.api.models import WebhookSubscription
from nq57.api.schemas import (
    DeliveryPage,
    Out,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    delivery_out,
    error_responses,
    webhook_out,
)
from nq57.api.services import webhook_set_active, webhook_subscribe, webhook_unsubscribe
from nq57.core import access

# --- who am I ------------------------------------------------------------------------------------------------------

me_router = Router(tags=["Tài khoản"])


class MeOut(Out):
    id: int
    username: str
    full_name: str
    role: str = Field(description="Vai trò chính: office, focal_point, leader, vai trò khác hoặc citizen")
    roles: list[str] = Field(default_factory=list, description="Mọi vai trò của tài khoản (theo tư cách thành viên)")
    agency: AgencyBrief | None = Field(None, description="Tổ chức chính (cơ quan đầu mối nếu có)")
    token: str | None = Field(None, description="Tiền tố của mã truy cập đang dùng (nếu có)")


def me_out(user, token) -> dict:
    agency = primary_organisation(user)
    return {"id": user.pk, "username": user.username, "full_name": user.full_name,
            "role": main_role(user), "roles": [role for _, role in user.membership_pairs()],
            "agency": agency_brief(agency) if agency else None, "token": token.prefix if token else None}


def main_role(user) -> str:
    """One role for clients written before memberships: office > focal point > leader > other > citizen."""
    from nq57.monitoring.roles import FOCAL_POINT, LEADER, OFFICE

    held = [role for _, role in user.membership_pairs()]
    if user.is_office:
        return OFFICE
    return next((r for r in (FOCAL_POINT, LEADER) if r in held), held[0] if held else "citizen")


@me_router.get("/me", response={200: MeOut}, summary="Người dùng gắn với mã truy cập/phiên",
               operation_id="nq57_api_endpoints_reference_me")
def me(request):
    return me_out(request.auth, getattr(request, "api_token", None))


# --- webhooks ------------------------------------------------------------------------------------------------------

webhook_router = Router(tags=["Webhook"])
ERRORS = error_responses(401, 403, 404, 422)


def _office(request) -> None:
    access.require(access.can_manage_webhooks(request.auth), "Chỉ Cơ quan Thường trực được quản lý webhook.")


@webhook_router.get("/webhooks", response={200: list[WebhookOut], **ERRORS}, summary="Các đăng ký webhook",
                    operation_id="nq57_api_endpoints_webhooks_webhook_list")
def webhook_list(request):
    _office(request)
    return [webhook_out(w) for w in WebhookSubscription.objects.all()]


@webhook_router.post("/webhooks", response={201: WebhookOut, **ERRORS}, summary="Đăng ký webhook",
                     operation_id="nq57_api_endpoints_webhooks_webhook_create")
def webhook_create(request, payload: WebhookIn):
    """Each event is POSTed as JSON with ``X-NQ57-Signature: sha256=<HMAC-SHA256 of the body with the secret>``,
    ``X-NQ57-Timestamp``, ``X-NQ57-Event`` and ``X-NQ57-Delivery``; failures are retried with exponential backoff."""
    _office(request)

    def perform():
        created = webhook_subscribe(actor=request.auth, url=payload.url, secret=payload.secret,
                                    events=list(payload.events), name=payload.name)
        return 201, WebhookOut.model_validate(webhook_out(created)), {"Location": f"/api/v1/webhooks/{created.pk}"}

    return idempotent(request, perform)


@webhook_router.patch("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS},
                      summary="Tạm dừng hoặc bật lại webhook",
                      operation_id="nq57_api_endpoints_webhooks_webhook_update")
def webhook_update(request, webhook_id: int, payload: WebhookPatch):
    """``{"is_active": false}`` pauses the subscription: no new deliveries are made and pending retries wait;
    ``{"is_active": true}`` resumes it and sends what is pending."""
    _office(request)
    subscription = webhook_set_active(actor=request.auth, is_active=payload.is_active,
                                      subscription=get_object_or_404(WebhookSubscription, pk=webhook_id))
    return webhook_out(subscription)


@webhook_router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS}, summary="Hủy đăng ký webhook",
                       operation_id="nq57_api_endpoints_webhooks_webhook_delete")
def webhook_delete(request, webhook_id: int):
    _office(request)
    webhook_unsubscribe(actor=request.auth, subscription=get_object_or_404(WebhookSubscription, pk=webhook_id))
    return 204, None


@webhook_router.get("/webhooks/{webhook_id}/deliveries", response={200: DeliveryPage, **ERRORS},
                    summary="Nhật ký gửi của một webhook", operation_id="nq57_api_endpoints_webhooks_delivery_list")
def delivery_list(request, webhook_id: int, page: int | None = None, page_size: int | None = None,
                  cursor: str | None = None):
    _office(request)
    subscription = get_object_or_404(WebhookSubscription, pk=webhook_id)
    return paginate(subscription.deliveries.all(), page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [delivery_out(d) for d in rows])
