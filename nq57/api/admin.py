"""API tokens, webhook subscriptions and their deliveries: read-only in the admin (created, revoked, paused and
retried only through ``nq57.api.services`` and the webhook jobs). The secrets are never shown."""

from django.contrib import admin

from nq57.core.admin import ReadOnlyAdminMixin

from .models import ApiToken, WebhookDelivery, WebhookSubscription


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("url", "name", "is_active", "created_at")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("subscription", "event", "state", "attempts", "created_at")
    list_filter = ("state",)
