"""Domain events: services publish what happened; listeners (notifications, webhooks) react after commit.

    register_event("task.created", label="Nhiệm vụ mới được tạo")   # in the owning app's events.py
    publish("task.created", task_id=..., ...)                        # from a service, inside its transaction
    @listener("task.created")
    def notify(event: DomainEvent): ...
    @listener(ANY_EVENT)                                              # every registered event (webhooks)

Each app declares the events it publishes in its own ``events.py`` (``register_event``), imported from its
``AppConfig.ready``; there is no central list. ``publish`` and ``listener`` refuse names nobody registered.

Listeners run only once the transaction commits (never for rolled-back writes). They should enqueue background
work (Huey) rather than do slow I/O inline.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

ANY_EVENT = "*"  # ``listener(ANY_EVENT)``: called for every published event, including ones registered later


@dataclass(frozen=True)
class EventKind:
    name: str
    label: str


_registry: dict[str, EventKind] = {}


def register_event(name: str, *, label: str) -> EventKind:
    """Declare an event an app publishes (``app.what_happened``) with its Vietnamese caption. Idempotent."""
    if not name or name == ANY_EVENT or "." not in name:
        raise ValueError(f"an event name looks like 'app.what_happened', not {name!r}")
    kind = _registry.get(name)
    if kind is not None and kind.label != label:
        raise ValueError(f"event {name} is already registered with another label")
    kind = _registry[name] = EventKind(name=name, label=label)
    return kind


def registered_events() -> dict[str, EventKind]:
    return dict(_registry)


def event_label(name: str) -> str:
    kind = _registry.get(name)
    return kind.label if kind else name


class _RegisteredEventNames(Sequence):
    """A live, read-only view of the registered event names (for code that wants a sequence of codes)."""

    def __getitem__(self, index):
        return list(_registry)[index]

    def __len__(self) -> int:
        return len(_registry)

    def __iter__(self) -> Iterator[str]:
        return iter(list(_registry))

    def __contains__(self, name) -> bool:
        return name in _registry

    def __repr__(self) -> str:
        return f"EVENT_NAMES{tuple(_registry)!r}"


EVENT_NAMES = _RegisteredEventNames()


@dataclass(frozen=True)
class DomainEvent:
    name: str
    payload: dict
    occurred_at: object = field(default_factory=timezone.now)


_listeners: dict[str, list[Callable[[DomainEvent], None]]] = defaultdict(list)


def _check(name: str) -> None:
    if name not in _registry:
        raise ValueError(f"unknown event {name}: declare it with register_event() in its app's events.py")


def listener(*names: str):
    def register(func):
        for name in names:
            if name != ANY_EVENT:
                _check(name)
            if func not in _listeners[name]:
                _listeners[name].append(func)
        return func

    return register


def publish(name: str, **payload) -> None:
    _check(name)
    event = DomainEvent(name=name, payload=payload)

    def deliver():
        for func in [*_listeners[name], *_listeners[ANY_EVENT]]:
            try:
                func(event)
            except Exception:  # a failing listener must not break the others or the request
                log.exception("listener %s failed for %s", func.__qualname__, name)

    transaction.on_commit(deliver)
