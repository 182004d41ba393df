"""Webhook deliveries: a domain event (after commit) → one ``WebhookDelivery`` per subscriber → a Huey job POSTs the
signed JSON; failures are retried with exponential backoff, every attempt logged on the delivery.

The delivery row is the truth, not the queue: before each attempt a worker claims the row (a conditional UPDATE that
moves ``next_attempt_at`` one lease ahead), so two workers never post the same attempt, and a delivery whose worker
died (or whose queued retry was lost) comes due again when the lease ends; ``deliveries_sweep`` — a periodic job —
posts every due delivery in bounded batches. A slow receiver cannot hold the queue: each POST has a short timeout
(``WEBHOOK_TIMEOUT_SECONDS``) and at most ``WEBHOOK_CONCURRENCY`` deliveries run at once in a worker process (the
other worker threads stay free for the daily scan and reminders, which are also queued with a higher priority)."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from nq57.api.models import DeliveryState, WebhookDelivery, WebhookSubscription
from nq57.core.errors import ServiceError
from nq57.core.events import ANY_EVENT, DomainEvent, listener
from nq57.core.netguard import destination_check

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
TIMEOUT_SECONDS = 5  # default of WEBHOOK_TIMEOUT_SECONDS
LEASE_SECONDS = 120  # a claimed delivery not finished by then (+ the timeout; its worker died) is due again
SWEEP_BATCH = 50  # deliveries posted per sweep at most
SWEEP_BUDGET_SECONDS = 45  # a sweep stops taking new deliveries after this long (the next one continues)
EXCERPT_CHARS = 1000
USER_AGENT = "nq57-webhooks/1"


def backoff_seconds(attempts: int) -> int:
    """Wait before attempt ``attempts + 1``: 30 s, 1 min, 2 min, 4 min … capped at 6 hours."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1), BACKOFF_MAX_SECONDS)


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``; receivers recompute it with their copy of the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _task_snapshot(task_id) -> dict | None:
    from nq57.tasks.schemas import task_dict, task_loaded

    task = task_loaded(int(task_id)) if task_id else None
    return json.loads(json.dumps(task_dict(task), cls=DjangoJSONEncoder)) if task else None


def event_payload(event: DomainEvent) -> dict:
    data = json.loads(json.dumps(event.payload, cls=DjangoJSONEncoder))
    return {"event": event.name, "occurred_at": event.occurred_at.isoformat(), "data": data,
            "task": _task_snapshot(event.payload.get("task_id"))}


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", TIMEOUT_SECONDS))


_slots = threading.BoundedSemaphore(max(1, int(getattr(settings, "WEBHOOK_CONCURRENCY", 1))))


@listener(ANY_EVENT)
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
        with _opener(subscription.url).open(request, timeout=timeout_seconds()) as response:
            status = response.status
            excerpt = _size_only(response)
    except ServiceError as exc:
        error = exc.message
    except urllib.error.HTTPError as exc:
        status = exc.code
        excerpt = _size_only(exc)
        error = f"Máy nhận trả về mã {exc.code}."
    except TimeoutError:
        error = f"Máy nhận không trả lời trong {timeout_seconds():g} giây."
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


# --- claiming and sweeping ---------------------------------------------------------------------------------------

def _lease() -> dt.timedelta:
    """How long a claimed attempt may take. One microsecond over whole seconds: a backoff (whole seconds) never has
    this length, so ``next_attempt_at - last_attempt_at == _lease()`` tells an attempt in flight from a retry."""
    return dt.timedelta(seconds=LEASE_SECONDS + timeout_seconds(), microseconds=1)


def delivery_claim(delivery_id: int, *, due_only: bool = False) -> WebhookDelivery | None:
    """Take the next attempt of one pending delivery of an active subscription, or None (done, paused, in flight on
    another worker, or — with ``due_only`` — not due yet). A conditional UPDATE on the ``next_attempt_at`` just
    read moves it one lease ahead: of two workers, one wins; a worker that dies leaves a row due again when the
    lease ends."""
    pending = WebhookDelivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING,
                                             subscription__is_active=True)
    found = pending.values_list("next_attempt_at", "last_attempt_at").first()
    if found is None:
        return None
    next_at, last_at = found
    now = timezone.now()
    if next_at is not None and next_at > now:
        if last_at is not None and next_at - last_at == _lease():
            return None  # another worker is posting it right now
        if due_only:
            return None
    # ``next_attempt_at=None`` is ``IS NULL``: the update succeeds for one worker only, whatever the value was
    if not pending.filter(next_attempt_at=next_at).update(next_attempt_at=now + _lease(), last_attempt_at=now):
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def delivery_run(delivery_id: int, *, due_only: bool = False) -> str:
    """One attempt of one delivery, within the concurrency limit: "busy" (no free slot: the delivery stays due and a
    sweep takes it), "skipped" (nothing to do), "sent" or "failed" (a retry is due later)."""
    if not _slots.acquire(blocking=False):
        return "busy"
    try:
        delivery = delivery_claim(delivery_id, due_only=due_only)
        if delivery is None:
            return "skipped"
        return "sent" if delivery_attempt(delivery) else "failed"
    finally:
        _slots.release()


def deliveries_due(*, limit: int = SWEEP_BATCH) -> list[int]:
    """Pending deliveries of active subscriptions whose attempt is due (new, retry time reached, or abandoned by a
    worker that died), oldest first."""
    return list(WebhookDelivery.objects.filter(state=DeliveryState.PENDING, subscription__is_active=True,
                                               next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])


def deliveries_sweep(*, limit: int = SWEEP_BATCH, budget_seconds: float = SWEEP_BUDGET_SECONDS) -> dict[str, int]:
    """Post the due deliveries, at most ``limit`` and for at most about ``budget_seconds``; stops when no delivery
    slot is free. Run by a periodic job, so nothing depends on a queued task surviving."""
    counts = {"sent": 0, "failed": 0, "skipped": 0, "busy": 0}
    started = time.monotonic()
    for delivery_id in deliveries_due(limit=limit):
        if time.monotonic() - started > budget_seconds:
            break
        outcome = delivery_run(delivery_id, due_only=True)
        counts[outcome] += 1
        if outcome == "busy":
            break
    return counts
