"""Database functions the ORM lacks, written for both supported databases (SQLite and PostgreSQL)."""

import datetime as dt
import json

from django.db.models import BooleanField, Expression, F, Func, IntegerField
from django.utils import timezone

# SQLite has no FLOOR without its optional math functions, and CAST truncates toward zero: shifting by this many
# weeks first keeps the truncated value positive, so it is the floor (any date of the next 1,900 years is in range)
_WEEK_SHIFT = 100_000


class WeekIndex(Func):
    """Whole weeks (7 days, rounded down) from ``origin`` to the date or date-time ``expression``: 0 for the week
    starting at ``origin``, -1 for the week before, and so on. ``origin`` is a ``date`` for a date column and an
    aware ``datetime`` for a date-time column (compared in UTC, as the column is stored). Plain arithmetic on the
    column, evaluated once per row, so grouping rows by week costs about as much as counting them."""

    output_field = IntegerField()
    arity = 1

    def __init__(self, expression, *, origin: dt.date | dt.datetime, **extra):
        if isinstance(origin, dt.datetime) and (timezone.is_naive(origin) or origin.microsecond):
            raise ValueError("WeekIndex needs an aware datetime origin on a whole second")
        self.origin = origin
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if isinstance(self.origin, dt.datetime):
            # whole seconds, cut from the stored text ("YYYY-MM-DD HH:MM:SS.ffffff", UTC) rather than rounded by SQLite
            # (it rounds to the millisecond: 23:59:59.9999 would become the next day); half a second added so that
            # the rounding of two julian days' difference cannot put a moment on a boundary into the week before
            origin = self.origin.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
            return (f"(CAST((julianday(substr({sql}, 1, 19)) - julianday(%s) + 0.5 / 86400) / 7 + {_WEEK_SHIFT}"
                    f" AS INTEGER) - {_WEEK_SHIFT})", (*params, origin))
        return (f"(CAST((julianday({sql}) - julianday(%s)) / 7 + {_WEEK_SHIFT} AS INTEGER) - {_WEEK_SHIFT})",
                (*params, self.origin.isoformat()))

    def as_postgresql(self, compiler, connection, **extra_context):
        # double precision, not numeric: EXTRACT and "/ 7.0" would compute in numeric, twice the cost per row
        sql, params = compiler.compile(self.source_expressions[0])
        if isinstance(self.origin, dt.datetime):
            return (f"FLOOR(date_part('epoch', {sql} - %s::timestamptz) / 604800)::integer",
                    (*params, self.origin.isoformat()))
        return f"FLOOR(({sql} - %s::date)::float8 / 7)::integer", (*params, self.origin.isoformat())

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"WeekIndex is written for SQLite and PostgreSQL, not {connection.vendor}")


class IdIn(Expression):
    """``column IN (ids)`` with the ids passed as ONE parameter, so the SQL is the same whatever their number (a query
    compiled once, ``core.compiled``, takes them as a ``list[int]`` argument): ``column = ANY(%s)`` with an array on
    PostgreSQL, ``column IN (SELECT value FROM json_each(%s))`` with a JSON list on SQLite. Both answer from an index
    on the column, id by id. Use it in ``filter()``: ``filter(IdIn("task_id", ids))``."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids):
        super().__init__()
        self.column = F(column) if isinstance(column, str) else column
        self.ids = ids

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    @staticmethod
    def parameter(vendor: str, ids) -> object:
        """The one parameter that stands for ``ids`` on ``vendor``'s database (an id past 64 bits matches nothing)."""
        values = [int(i) for i in ids if -(2**63) <= i < 2**63]
        return json.dumps(values) if vendor == "sqlite" else values

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if connection.vendor == "sqlite":
            return f"{column} IN (SELECT value FROM json_each(%s))", (*params, self.parameter("sqlite", self.ids))
        return f"{column} = ANY(%s)", (*params, self.parameter(connection.vendor, self.ids))
