"""Who made a change, for the audit history (django-simple-history).

Web requests carry the user through ``HistoryRequestMiddleware``; API calls authenticated by token, background jobs,
imports and management commands do not. Services therefore declare their actor with ``@acting`` (taken from their
``actor`` keyword argument), and every ``HistoricalRecords`` asks ``history_user`` first.
"""

import contextvars
import functools

_actor: contextvars.ContextVar = contextvars.ContextVar("nq57_actor", default=None)


def history_user(instance=None, request=None, **kwargs):
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def acting(func):
    """Run a service with its ``actor`` recorded as the author of every audited change it makes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        actor = kwargs.get("actor")
        if not getattr(actor, "is_authenticated", False):
            return func(*args, **kwargs)
        token = _actor.set(actor)
        try:
            return func(*args, **kwargs)
        finally:
            _actor.reset(token)

    return wrapper
