"""Machine access to the API: personal tokens, stored POST responses for idempotent retries, webhook subscriptions
and their delivery log."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user
from nq57.core.events import EVENT_NAMES


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the short ``prefix`` (shown in the list) finds the row.

    The token acts as its owner: same role, same agency, same permissions as in the web app.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="người dùng")
    name = models.CharField("tên gợi nhớ", max_length=100, help_text="Ví dụ: Kết nối hệ thống Nghị quyết 71")
    prefix = models.CharField("tiền tố", max_length=16, unique=True, help_text="Phần đầu của mã, để nhận ra mã.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"], get_user=history_user)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotencyRecord(models.Model):
    """The first successful response to a POST carrying an ``Idempotency-Key``, replayed when the client retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and request body.")
    status_code = models.PositiveSmallIntegerField()
    response_body = models.TextField()
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "khóa chống gửi lặp"
        verbose_name_plural = "khóa chống gửi lặp"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


#: every registered domain event can be subscribed to (a live view of ``core.events``; apps add their own)
WEBHOOK_EVENTS = EVENT_NAMES


class WebhookSubscription(models.Model):
    """An outside system that wants to hear about events: we POST a signed JSON body to its URL."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhooks",
                              verbose_name="người đăng ký")
    name = models.CharField("tên", max_length=100, blank=True)
    url = models.URLField("địa chỉ nhận", max_length=500)
    secret = models.CharField("khóa ký", max_length=200, help_text="Dùng để ký HMAC-SHA256 nội dung gửi đi.")
    events = models.JSONField("sự kiện", default=list)
    is_active = models.BooleanField("đang hoạt động", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"], get_user=history_user)

    class Meta:
        verbose_name = "đăng ký webhook"
        verbose_name_plural = "đăng ký webhook"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name or self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Đang chờ gửi"
    SUCCEEDED = "succeeded", "Đã gửi thành công"
    FAILED = "failed", "Gửi thất bại"


class WebhookDelivery(models.Model):
    """One event sent to one subscriber, with every attempt logged in ``log``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField("sự kiện", max_length=50)
    payload = models.JSONField()
    state = models.CharField("trạng thái", max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    status_code = models.PositiveSmallIntegerField("mã phản hồi gần nhất", null=True, blank=True)
    response_excerpt = models.TextField("trích phản hồi gần nhất", blank=True)
    error = models.TextField("lỗi gần nhất", blank=True)
    log = models.JSONField("nhật ký các lần gửi", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lần gửi webhook"
        verbose_name_plural = "lần gửi webhook"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subscription", "created_at"], name="api_delivery_sub_created_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"
