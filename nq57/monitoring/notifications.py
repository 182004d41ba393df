"""Notifications, once-only reminders and claims for ANY object — the API other apps call.

Each app declares its own kinds (no central list), then notifies, claims or reminds about its own objects::

    from nq57.monitoring.notifications import claim, notify, register_kind, remind_before

    register_kind("feedback.answer_due", label="Sắp đến hạn trả lời phản ánh")      # in the app's notifications.py
    notify(recipient=user, kind="feedback.answer_due", target=feedback, template="feedback/emails/answer_due",
           context={"feedback": feedback}, url=feedback.get_absolute_url())
    remind_before(kind="feedback.answer_due", objects=open_feedback, due_on=lambda f: f.answer_due,
                  recipients=lambda f: [f.handler], template="feedback/emails/answer_due",
                  context=lambda f, due, days_left: {"feedback": f}, url=lambda f: f.get_absolute_url())

Exactly once in effect: a message is first CLAIMED (a ``Dispatch`` row under a unique constraint, committed on its
own), then sent, then confirmed (``sent_at``). Two workers never both hold a claim. A claim that was never confirmed
— the worker was killed between claim and send, or the mail server failed — is taken over after
``NOTIFY_CLAIM_TIMEOUT_MINUTES`` by exactly one worker (a conditional UPDATE of ``claimed_at``), up to
``MAX_CLAIM_ATTEMPTS`` times. The in-app notification is tied to its claim, so a retry never shows it twice.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nq57.core.audit import acting
from nq57.core.errors import PermissionDeniedError
from nq57.monitoring.models import Dispatch, Notification, NotificationPreference

log = logging.getLogger(__name__)

MAX_CLAIM_ATTEMPTS = 5


# --- kinds: each app registers its own --------------------------------------------------------------------------

@dataclass(frozen=True)
class NotificationKind:
    name: str
    label: str
    digest: bool = False  # a periodic digest: switched off by the person's "weekly digest" preference


_kinds: dict[str, NotificationKind] = {}


def register_kind(name: str, *, label: str, digest: bool = False) -> NotificationKind:
    """Declare a kind of notification/claim (``app.what``) with its Vietnamese label. Idempotent."""
    if not name or len(name) > 50:
        raise ValueError(f"a notification kind is 1-50 characters, not {name!r}")
    known = _kinds.get(name)
    if known is not None and (known.label, known.digest) != (label, digest):
        raise ValueError(f"notification kind {name} is already registered differently")
    kind = _kinds[name] = NotificationKind(name=name, label=label, digest=digest)
    return kind


def registered_kinds() -> dict[str, NotificationKind]:
    return dict(_kinds)


def kind_label(name: str) -> str:
    kind = _kinds.get(name)
    return kind.label if kind else name


def _check_kind(name: str) -> NotificationKind:
    try:
        return _kinds[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name}: declare it with register_kind()") from None


# --- preferences -------------------------------------------------------------------------------------------------

def preferences_for(user) -> NotificationPreference:
    """The person's preferences, or the defaults (e-mail on, weekly digest on) when they never changed them."""
    found = NotificationPreference.objects.filter(user=user).first() if getattr(user, "pk", None) else None
    return found or NotificationPreference(user=user)


@acting
@transaction.atomic
def preference_set(*, actor, user, email_enabled: bool, weekly_digest: bool) -> NotificationPreference:
    """Change one person's preferences; only the person themselves may."""
    if getattr(actor, "pk", None) is None or actor.pk != user.pk:
        raise PermissionDeniedError("Chỉ chính người dùng được đổi tùy chọn nhận thông báo của mình.")
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    preference.email_enabled, preference.weekly_digest = bool(email_enabled), bool(weekly_digest)
    preference.save()
    return preference


def email_opted_out(user_ids: Iterable[int]) -> set[int]:
    """Of these people, those who turned e-mail off (one query; for callers notifying many people)."""
    return set(NotificationPreference.objects.filter(user_id__in=list(user_ids), email_enabled=False)
               .values_list("user_id", flat=True))


# --- sending -----------------------------------------------------------------------------------------------------

def absolute_url(path: str) -> str:
    """An absolute link for a message: ``SITE_URL`` (scheme, host and any port, as configured) + the path."""
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def _template(template: str, part: str) -> str:
    prefix = template if "/" in template else f"monitoring/emails/{template}"
    return f"{prefix}-{part}"


def _target_fields(target: models.Model | None) -> dict:
    if target is None:
        return {"content_type": None, "object_id": None}
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def notify(*, recipient, kind: str, template: str, context: dict, target: models.Model | None = None,
           url: str = "", dispatch: Dispatch | None = None, email: bool | None = None) -> Notification:
    """One message to one person about ``target``: always in-app; by e-mail too when the person has an address and
    has not turned e-mail off. ``template`` names three templates ``<template>-subject.txt``, ``-body.txt`` and
    ``-body.html`` (a bare name is looked up under ``monitoring/emails/``); ``url`` is a path, made absolute with
    ``SITE_URL`` in the mail. With ``dispatch`` (a claim), a retry of the same claim never notifies twice.
    ``email`` is whether the person allows e-mail, when the caller already knows it (``email_opted_out``); by default
    it is looked up."""
    _check_kind(kind)
    if dispatch is not None and dispatch.attempts > 1:  # a first attempt cannot have a notification yet
        existing = Notification.objects.filter(dispatch=dispatch).first()
        if existing is not None:
            return existing
    context = {**context, "recipient": recipient, "site_url": settings.SITE_URL.rstrip("/"), "url": absolute_url(url),
               "preferences_path": reverse("monitoring:notification_preferences")}
    subject = " ".join(render_to_string(_template(template, "subject.txt"), context).split())
    text = render_to_string(_template(template, "body.txt"), context)
    message = None
    if recipient.email and (email if email is not None else preferences_for(recipient).email_enabled):
        html = render_to_string(_template(template, "body.html"), context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        message.attach_alternative(html, "text/html")
    # the in-app row commits only once the mail was handed over: a worker killed while sending leaves neither, and
    # the claim's retry sends both. A mail server that refuses keeps the in-app row (the error is raised after it).
    failure = None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, title=subject[:300], body=text.strip(), url=url, dispatch=dispatch,
            created_at=timezone.now(), **_target_fields(target),
        )
        if message is not None:
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - re-raised below, once the in-app notification is kept
                failure = exc
    if failure is not None:
        raise failure
    return notification


# --- claims ------------------------------------------------------------------------------------------------------

def claim_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "NOTIFY_CLAIM_TIMEOUT_MINUTES", 15))


def settled_q(now: dt.datetime | None = None) -> Q:
    """Claims nobody will take over: confirmed as sent, still fresh (their worker may be sending), or given up."""
    now = now or timezone.now()
    return (Q(sent_at__isnull=False) | Q(claimed_at__gt=now - claim_timeout())
            | Q(attempts__gte=MAX_CLAIM_ATTEMPTS))


def claim(*, kind: str, due_on: dt.date, target: models.Model | None = None, recipient=None,
          step: int = 0) -> Dispatch | None:
    """Claim the right to send one message: the new ``Dispatch`` row, or a stale unconfirmed one taken over, or None
    when someone else holds it or it was sent already. Commits on its own (autocommit outside a transaction), so
    the claim is visible to other workers before anything is sent."""
    _check_kind(kind)
    key = {"kind": kind, "due_on": due_on, "recipient": recipient, "step": step, **_target_fields(target)}
    now = timezone.now()
    try:
        with transaction.atomic():
            return Dispatch.objects.create(claimed_at=now, **key)
    except IntegrityError:
        pass
    # the row exists: take it over only if its worker never confirmed it and the timeout passed. The conditional
    # UPDATE is atomic in the database, so of two workers racing for the same stale claim exactly one gets rowcount 1.
    lookup = {name: value for name, value in key.items() if value is not None}
    lookup.update({f"{name}__isnull": True for name, value in key.items() if value is None})
    stale = Dispatch.objects.filter(**lookup).exclude(settled_q(now))
    pk = stale.values_list("pk", flat=True).first()
    if pk is None:
        return None
    taken = stale.filter(pk=pk).update(claimed_at=now, attempts=F("attempts") + 1)
    return Dispatch.objects.get(pk=pk) if taken else None


def send_claimed(dispatch: Dispatch, send: Callable[[], object]) -> bool:
    """Send what was claimed and confirm it (``sent_at``). A failure is recorded on the claim, which stays
    unconfirmed: a later scan takes it over after the timeout and tries again."""
    try:
        send()
    except Exception as exc:  # a broken mail server must not stop the scan
        log.exception("dispatch %s failed", dispatch.pk)
        Dispatch.objects.filter(pk=dispatch.pk).update(error=repr(exc)[:500])
        return False
    Dispatch.objects.filter(pk=dispatch.pk).update(sent_at=timezone.now(), error="")
    return True


def sent_keys(*, kind: str, model: type[models.Model], object_ids: Iterable[int]) -> set[tuple]:
    """(object id, recipient id, due date, step) of the claims of ``kind`` nobody will send again — to skip them
    without a failed insert each."""
    return set(Dispatch.objects.filter(settled_q(), kind=kind, content_type=ContentType.objects.get_for_model(model),
                                       object_id__in=list(object_ids))
               .values_list("object_id", "recipient_id", "due_on", "step"))


# --- reminders before due dates, for any app's objects ----------------------------------------------------------

def reminder_step(*, days_left: int, steps: Iterable[int]) -> int | None:
    """Which reminder is due: with steps 7, 3, 1 an object due in 5 days gets the 7-day one (caught up if the worker
    missed it), due in 2 days the 3-day one; nothing before 7 days or on/after the due date."""
    eligible = [s for s in steps if s >= days_left]
    if days_left < 1 or not eligible:
        return None
    return min(eligible)


@dataclass(frozen=True)
class Reminder:
    kind: str
    target: models.Model
    recipient: object
    due_on: dt.date
    step: int


def _as_dates(value) -> list[dt.date]:
    if value is None:
        return []
    if isinstance(value, dt.date):
        return [value]
    return sorted({d for d in value if d is not None})


def remind_before(*, kind: str, objects: Iterable[models.Model],
                  due_on: Callable[[models.Model], dt.date | Iterable[dt.date] | None],
                  recipients: Callable[[models.Model], Iterable], template: str,
                  context: Callable[[models.Model, dt.date, int], dict] | None = None,
                  url: Callable[[models.Model], str] | None = None, today: dt.date | None = None,
                  steps: Iterable[int] | None = None) -> list[Reminder]:
    """Remind ``recipients(obj)`` of each object's due date(s) ``steps`` days before (default
    ``REMINDER_DAYS_BEFORE``: 7, 3 and 1), each (object, person, due date, step) exactly once however often and
    however many workers call it. Meant for an app's own periodic job; returns the reminders sent now."""
    today = today or timezone.localdate()
    steps = sorted(settings.REMINDER_DAYS_BEFORE if steps is None else steps)
    objects = list(objects)
    if not steps or not objects:
        return []
    done = sent_keys(kind=kind, model=type(objects[0]), object_ids=[o.pk for o in objects])
    due_now = []
    for obj in objects:
        for due in _as_dates(due_on(obj)):
            step = reminder_step(days_left=(due - today).days, steps=steps)
            if step is not None:
                due_now.append((obj, due, step, list(recipients(obj))))
    opted_out = email_opted_out({user.pk for *_, people in due_now for user in people})
    sent: list[Reminder] = []
    for obj, due, step, people in due_now:
        for user in people:
            if (obj.pk, user.pk, due, step) in done:
                continue
            dispatch = claim(kind=kind, due_on=due, target=obj, recipient=user, step=step)
            if dispatch is None:
                continue
            extra = context(obj, due, (due - today).days) if context else {}
            values = {"object": obj, "due": due, "days_left": (due - today).days, **extra}
            path = url(obj) if url else ""
            if send_claimed(dispatch, lambda u=user, v=values, o=obj, p=path, d=dispatch: notify(
                    recipient=u, kind=kind, template=template, context=v, target=o, url=p, dispatch=d,
                    email=u.pk not in opted_out)):
                sent.append(Reminder(kind=kind, target=obj, recipient=user, due_on=due, step=step))
    return sent
