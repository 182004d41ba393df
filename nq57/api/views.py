"""Personal API tokens in the web app: list, create (the token is shown once), revoke; and, for the office, the
webhook subscriptions (list, register, pause/resume, delete) with each one's delivery log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nq57.accounts.views import forbidden
from nq57.api.models import WEBHOOK_EVENTS, ApiToken, WebhookSubscription
from nq57.api.services import (
    token_create,
    token_revoke,
    webhook_set_active,
    webhook_subscribe,
    webhook_unsubscribe,
)
from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.core.events import event_label

WEBHOOKS_FORBIDDEN = "Chỉ Cơ quan Thường trực được quản lý webhook."
DELIVERIES_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def token_list(request):
    new_token, error, name = None, None, ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            token, new_token = token_create(user=request.user, name=name)
            name = ""
        except ServiceError as exc:
            error = exc.message
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"tokens": tokens, "new_token": new_token, "error": error,
                                               "name": name,
                                               "can_manage_webhooks": access.can_manage_webhooks(request.user)},
                  status=400 if error else 200)


@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        token_revoke(token=token, actor=request.user)
        messages.success(request, f"Đã thu hồi mã truy cập “{token.name}”.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("api_tokens:token_list")


# --- webhooks (office only; every write through the same services the API endpoints call) -----------------------

@require_http_methods(["GET", "POST"])
def webhook_list(request):
    if not access.can_manage_webhooks(request.user):
        return forbidden(request, WEBHOOKS_FORBIDDEN)
    form = {"name": "", "url": "", "secret": "", "events": []}
    error, errors = None, {}
    if request.method == "POST":
        form = {"name": request.POST.get("name", ""), "url": request.POST.get("url", ""),
                "secret": request.POST.get("secret", ""), "events": request.POST.getlist("events")}
        try:
            subscription = webhook_subscribe(actor=request.user, url=form["url"], secret=form["secret"],
                                             events=form["events"], name=form["name"])
        except ServiceError as exc:
            error, errors = exc.message, exc.errors
        else:
            messages.success(request, f"Đã đăng ký webhook gửi tới {subscription.url}.")
            return redirect("api_tokens:webhook_list")
    return render(request, "api/webhooks.html", {
        "subscriptions": WebhookSubscription.objects.select_related("owner"),
        "event_choices": [(code, event_label(code)) for code in WEBHOOK_EVENTS],
        "form": form, "error": error, "errors": errors,
    }, status=400 if error else 200)


@require_POST
def webhook_delete(request, pk: int):
    if not access.can_manage_webhooks(request.user):
        return forbidden(request, WEBHOOKS_FORBIDDEN)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    label = subscription.url
    try:
        webhook_unsubscribe(actor=request.user, subscription=subscription)
        messages.success(request, f"Đã hủy đăng ký webhook gửi tới {label}.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("api_tokens:webhook_list")


@require_POST
def webhook_toggle(request, pk: int):
    if not access.can_manage_webhooks(request.user):
        return forbidden(request, WEBHOOKS_FORBIDDEN)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    resume = request.POST.get("is_active") == "1"
    try:
        webhook_set_active(actor=request.user, subscription=subscription, is_active=resume)
        messages.success(request, f"Đã {'bật lại' if resume else 'tạm dừng'} webhook gửi tới {subscription.url}.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("api_tokens:webhook_list")


@require_http_methods(["GET"])
def webhook_detail(request, pk: int):
    if not access.can_manage_webhooks(request.user):
        return forbidden(request, WEBHOOKS_FORBIDDEN)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    page = Paginator(subscription.deliveries.all(), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "api/webhook_detail.html", {"subscription": subscription, "page": page})
