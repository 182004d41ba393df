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


def history_bulk_insert(model, ids, *, reason: str | None = None, by: str | None = None) -> int:
    """The "created" history rows (``history_type`` "+") of the ``model`` rows with these ids, copied by the database
    in one ``INSERT … SELECT`` per 500 ids — what ``simple_history``'s ``bulk_create_with_history`` writes, without a
    Python object per row (bulk imports). With ``by`` (a column, e.g. ``"task_id"``) the ids select the rows by that
    column instead: the rows just written for new parents, whose own ids were never read back. The author is
    ``history_user()`` (the ``@acting`` actor). Returns the count of ids."""
    from django.db import connection
    from django.utils import timezone

    history = model.history.model
    source = {field.attname: field.column for field in model._meta.concrete_fields}
    user = history_user()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    extra = {"history_date": now, "history_type": "+", "history_change_reason": reason,
             "history_user_id": user.pk if user is not None else None}
    columns, selects, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        quoted = connection.ops.quote_name(field.column)
        if field.attname in source:
            columns.append(quoted)
            selects.append(connection.ops.quote_name(source[field.attname]))
        elif field.attname in extra:
            columns.append(quoted)
            selects.append("%s")
            params.append(extra[field.attname])
        else:  # pragma: no cover - a history field this copy does not know: fail loudly, never write half rows
            raise ValueError(f"history_bulk_insert: unknown history field {field.attname}")
    ids = list(ids)
    table = connection.ops.quote_name(history._meta.db_table)
    pk = connection.ops.quote_name(model._meta.get_field(by).column if by else model._meta.pk.column)
    source_table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(selects)} "
                           f"FROM {source_table} WHERE {pk} IN ({marks})", [*params, *part])
    return len(ids)
