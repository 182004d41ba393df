"""Webhook deliveries: a domain event (after commit) → one ``WebhookDelivery`` per subscriber → a Huey job POSTs the
signed JSON; failures are retried with exponential backoff, every attempt logged on the delivery."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from nq57.api.models import WEBHOOK_EVENTS, DeliveryState, WebhookDelivery, WebhookSubscription
from nq57.core.errors import ServiceError
from nq57.core.events import DomainEvent, listener
from nq57.core.netguard import destination_check

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 10
EXCERPT_CHARS = 1000
USER_AGENT = "nq57-webhooks/1"


def backoff_seconds(attempts: int) -> int:
    """Wait before attempt ``attempts + 1``: 30 s, 1 min, 2 min, 4 min … capped at 6 hours."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1), BACKOFF_MAX_SECONDS)


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``; receivers recompute it with their copy of the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _task_snapshot(task_id) -> dict | None:
    from nq57.api.serializers import task_dict, task_queryset

    task = task_queryset().filter(pk=task_id).first() if task_id else None
    return json.loads(json.dumps(task_dict(task), cls=DjangoJSONEncoder)) if task else None


def event_payload(event: DomainEvent) -> dict:
    data = json.loads(json.dumps(event.payload, cls=DjangoJSONEncoder))
    return {"event": event.name, "occurred_at": event.occurred_at.isoformat(), "data": data,
            "task": _task_snapshot(event.payload.get("task_id"))}


@listener(*WEBHOOK_EVENTS)
def webhooks_enqueue(event: DomainEvent) -> None:
    subscriptions = [s for s in WebhookSubscription.objects.filter(is_active=True) if event.name in (s.events or [])]
    if not subscriptions:
        return
    payload = event_payload(event)
    from nq57.api.tasks import webhook_deliver

    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(subscription=subscription, event=event.name, payload=payload,
                                                  next_attempt_at=timezone.now())
        webhook_deliver(delivery.pk)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer, not a place to resend the data
        return None


def _opener(url: str):
    host = urlsplit(url).hostname or ""
    proxies = {} if host in {"localhost", "127.0.0.1", "::1"} else None
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _NoRedirect())


def _size_only(response) -> str:
    """What the log keeps of an answer: its size, never its body (it may hold another system's data)."""
    return f"{len(response.read(EXCERPT_CHARS * 64))} byte"


def delivery_attempt(delivery: WebhookDelivery) -> bool:
    """POST the delivery once; record the outcome; schedule nothing (the caller decides about retries)."""
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-NQ57-Event": delivery.event,
        "X-NQ57-Delivery": str(delivery.uuid),
        "X-NQ57-Timestamp": str(int(time.time())),
        "X-NQ57-Signature": signature(subscription.secret, body),
    }
    request = urllib.request.Request(subscription.url, data=body, headers=headers, method="POST")
    status, excerpt, error = None, "", ""
    started = time.monotonic()
    try:
        destination_check(subscription.url)  # again at delivery: DNS may now point somewhere private
        with _opener(subscription.url).open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
            excerpt = _size_only(response)
    except ServiceError as exc:
        error = exc.message
    except urllib.error.HTTPError as exc:
        status = exc.code
        excerpt = _size_only(exc)
        error = f"Máy nhận trả về mã {exc.code}."
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = f"Không gửi được: {getattr(exc, 'reason', exc)}"
    succeeded = status is not None and 200 <= status < 300
    if status is not None and not succeeded and not error:
        error = f"Máy nhận trả về mã {status}."
    now = timezone.now()
    delivery.attempts += 1
    delivery.status_code, delivery.response_excerpt, delivery.error = status, excerpt, error
    delivery.last_attempt_at = now
    delivery.log = [*delivery.log, {"attempt": delivery.attempts, "at": now.isoformat(), "status_code": status,
                                    "error": error, "response_excerpt": excerpt[:200],
                                    "duration_ms": round((time.monotonic() - started) * 1000)}]
    if succeeded:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = DeliveryState.SUCCEEDED, now, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
    else:
        delivery.next_attempt_at = now + dt.timedelta(seconds=backoff_seconds(delivery.attempts))
    delivery.save()
    return succeeded
