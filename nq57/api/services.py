"""API tokens, idempotent POSTs and webhook subscriptions: every write in one transaction, permissions from
``core.access``."""

import copy
import datetime as dt
import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from nq57.api.models import WEBHOOK_EVENTS, ApiToken, DeliveryState, WebhookSubscription
from nq57.core import access
from nq57.core.audit import acting
from nq57.core.errors import NotFoundError, ServiceError
from nq57.core.netguard import destination_check

TOKEN_PREFIX = "nq57_"
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the raw token, which is shown once and never stored."""
    access.require(access.can_view(user), "Tài khoản không hoạt động.")
    name = (name or "").strip()
    if not name:
        raise ServiceError("Hãy đặt tên cho mã truy cập (để nhận ra nó sau này).", field="name")
    if len(name) > 100:
        raise ServiceError("Tên mã truy cập tối đa 100 ký tự.", field="name")
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=token_hash(raw))
    return token, raw


@acting
@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    access.require(access.can_view(actor) and (token.user_id == actor.pk or actor.is_office),
                   "Bạn chỉ được thu hồi mã truy cập của chính mình.")
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])  # a save, not an update: the revocation is in the audit history
    token.revoked_at = locked.revoked_at
    token_cache_clear()
    transaction.on_commit(token_cache_clear)  # a request of this process may have cached it meanwhile
    return token


class TokenRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


#: a verified token (with its user) is reused by this process for at most this many seconds; revoking a token or
#: saving its user (deactivation, role, agency) clears the process's cache at once, other processes within this time
TOKEN_CACHE_SECONDS = 5.0
_token_cache: dict[str, tuple[float, ApiToken]] = {}


def token_cache_clear(**kwargs) -> None:
    """Forget the verified tokens this process remembers (revocation, a user or token saved, tests)."""
    _token_cache.clear()


def _copy(token: ApiToken) -> ApiToken:
    """Fresh instances for each request, so nothing a request does to ``request.user`` leaks into another."""
    token = copy.copy(token)
    user = token.user = copy.copy(token.user)
    user.forget_memberships()  # read afresh by each request (a membership change is not a User save)
    return token


def token_authenticate(raw: str) -> ApiToken:
    """The token a raw bearer value names, with its user loaded; raises ``TokenRejected`` (Vietnamese) otherwise.

    One indexed query per ``TOKEN_CACHE_SECONDS`` and process; a revoked token or deactivated account is refused
    by every process within that time (at once by the process that made the change)."""
    raw = (raw or "").strip()
    parts = raw.split("_")
    if not raw.startswith(TOKEN_PREFIX) or len(parts) < 3:
        raise TokenRejected("Mã truy cập không đúng định dạng.")
    digest = token_hash(raw)
    now_mono = time.monotonic()
    cached = _token_cache.get(digest)
    if cached is not None and cached[0] > now_mono:
        token = cached[1]
    else:
        token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            raise TokenRejected("Mã truy cập không hợp lệ.")
        if token.revoked_at is not None:
            raise TokenRejected("Mã truy cập đã bị thu hồi.")
        if not token.user.is_active:
            raise TokenRejected("Tài khoản gắn với mã truy cập này đã bị khóa.")
        if len(_token_cache) >= 10000:
            _token_cache.clear()
        _token_cache[digest] = (now_mono + TOKEN_CACHE_SECONDS, token)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return _copy(token)


# --- webhooks ----------------------------------------------------------------------------------------------------

def _validate_webhook_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ServiceError("Địa chỉ nhận phải bắt đầu bằng http:// hoặc https:// và có tên máy chủ.", field="url")
    if len(url) > 500:
        raise ServiceError("Địa chỉ nhận tối đa 500 ký tự.", field="url")
    destination_check(url)  # public addresses only, after DNS resolution
    return url


@acting
@transaction.atomic
def webhook_subscribe(*, actor, url: str, secret: str, events: list[str], name: str = "") -> WebhookSubscription:
    access.require(access.can_manage_webhooks(actor), "Chỉ Cơ quan Thường trực được đăng ký webhook.")
    url = _validate_webhook_url(url)
    secret = (secret or "").strip()
    if len(secret) < 16:
        raise ServiceError("Khóa ký cần ít nhất 16 ký tự.", field="secret")
    if len(secret) > 200:
        raise ServiceError("Khóa ký tối đa 200 ký tự.", field="secret")
    events = list(dict.fromkeys(events or []))
    if not events:
        raise ServiceError("Hãy chọn ít nhất một sự kiện.", field="events")
    unknown = [e for e in events if e not in WEBHOOK_EVENTS]
    if unknown:
        raise ServiceError(f"Sự kiện không được hỗ trợ: {', '.join(unknown)}. Chỉ nhận: {', '.join(WEBHOOK_EVENTS)}.",
                           field="events")
    return WebhookSubscription.objects.create(owner=actor, url=url, secret=secret, events=events,
                                              name=(name or "").strip()[:100])


@acting
@transaction.atomic
def webhook_unsubscribe(*, actor, subscription: WebhookSubscription) -> None:
    access.require(access.can_manage_webhooks(actor), "Chỉ Cơ quan Thường trực được hủy đăng ký webhook.")
    if not WebhookSubscription.objects.filter(pk=subscription.pk).exists():
        raise NotFoundError("Không tìm thấy đăng ký webhook.")
    subscription.delete()


@acting
@transaction.atomic
def webhook_set_active(*, actor, subscription: WebhookSubscription, is_active: bool) -> WebhookSubscription:
    """Pause (no new deliveries are queued; queued retries stop) or resume a subscription."""
    access.require(access.can_manage_webhooks(actor), "Chỉ Cơ quan Thường trực được tạm dừng hoặc bật lại webhook.")
    locked = WebhookSubscription.objects.select_for_update().filter(pk=subscription.pk).first()
    if locked is None:
        raise NotFoundError("Không tìm thấy đăng ký webhook.")
    if locked.is_active != is_active:
        locked.is_active = is_active
        locked.save(update_fields=["is_active"])
        if is_active:
            _requeue_pending(locked)
    subscription.is_active = locked.is_active
    return locked


def _requeue_pending(subscription: WebhookSubscription) -> None:
    """Deliveries left pending while the subscription was paused are sent again, oldest first, after commit."""
    from nq57.api.tasks import webhook_deliver

    pending = list(subscription.deliveries.filter(state=DeliveryState.PENDING)
                   .order_by("pk").values_list("pk", flat=True))
    transaction.on_commit(lambda: [webhook_deliver(pk) for pk in pending])
