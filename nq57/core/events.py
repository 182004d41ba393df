"""Domain events: services publish what happened; listeners (notifications, webhooks) react after commit.

    publish("task.status_changed", task_id=..., ...)   # from a service, inside its transaction
    @listener("task.status_changed")
    def notify(event: DomainEvent): ...

Listeners run only once the transaction commits (never for rolled-back writes). They should enqueue background
work (Huey) rather than do slow I/O inline. Event names: task.created, task.status_changed, task.overdue,
report.submitted, report.assessed, extension.requested, extension.decided.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

EVENT_NAMES = (
    "task.created",
    "task.status_changed",
    "task.overdue",
    "report.submitted",
    "report.assessed",
    "extension.requested",
    "extension.decided",
)


@dataclass(frozen=True)
class DomainEvent:
    name: str
    payload: dict
    occurred_at: object = field(default_factory=timezone.now)


_listeners: dict[str, list[Callable[[DomainEvent], None]]] = defaultdict(list)


def listener(*names: str):
    def register(func):
        for name in names:
            if name not in EVENT_NAMES:
                raise ValueError(f"unknown event {name}")
            if func not in _listeners[name]:
                _listeners[name].append(func)
        return func

    return register


def publish(name: str, **payload) -> None:
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event {name}")
    event = DomainEvent(name=name, payload=payload)

    def deliver():
        for func in list(_listeners[name]):
            try:
                func(event)
            except Exception:  # a failing listener must not break the others or the request
                log.exception("listener %s failed for %s", func.__qualname__, name)

    transaction.on_commit(deliver)
