"""Queries whose SQL is compiled once per process, not on every request (``compiled_query``).

Django turns a QuerySet into SQL each time it is evaluated: it walks the joins, the selected columns, the filters
and the ordering, and builds a column map to make model instances of the rows. On the pages people open most that
walk was about a third of the CPU of a request (the task page: 3.7 of 10.8 ms; the task API: 1.3 of 3.5 ms),
whatever the database answered. A page's main queries have the same shape on every request; only the values differ
(which task, which account).

A function decorated with ``compiled_query`` builds its QuerySet once, with stand-in values for its keyword
arguments. The first call on a database compiles it, finds where each stand-in landed among the SQL's parameters,
and keeps the SQL with the compiler's column map. Each call then runs that SQL with its own values in those places,
and Django makes the rows into model instances (and runs any ``prefetch_related``) as it always does. No row is
kept: every call runs its query, so what it returns is never stale.

The builder's contract, checked where it can be:

- keyword-only arguments, each annotated ``int``, ``str``, ``datetime.date``, ``datetime.datetime`` (aware) or
  ``list[int]`` (ids, used only through ``core.dbfunctions.IdIn``, whose SQL is the same for any number of ids);
- each argument reaches the SQL unchanged as a parameter: ``filter(pk=pk)``, ``filter(at__gte=since)``; not
  ``filter(pk=pk + 1)``, not ``__icontains`` (which wraps it in ``%``). The first call raises
  ``ImproperlyConfigured`` when a stand-in is not found among the parameters;
- the query's shape does not depend on the values: no ``if`` on them, no ``__in`` (``IdIn`` instead), no ``None``;
- ``int`` arguments are compared for equality (ids): a value outside the 64-bit range matches nothing, as it does
  with Django's own lookup.

A call returns a list: model instances, or the rows of ``values()``/``values_list()``. The QuerySet it ran cannot
be refined further (``.filter``, ``.count``, slicing raise ``TypeError``): a different query is a different builder.
"""

import copy
import datetime as dt
import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.query import Query

from nq57.core.dbfunctions import IdIn

#: the argument types a builder may take, with the ``connection.ops`` method Django applies to a value of that type
#: before it becomes a parameter (None: passed as it is)
ADAPTERS: dict[object, str | None] = {
    int: None,
    str: None,
    dt.date: "adapt_datefield_value",
    dt.datetime: "adapt_datetimefield_value",
    list[int]: None,  # ids for ``core.dbfunctions.IdIn`` (one parameter, whatever their number)
}
_INT64 = range(-(2**63), 2**63)


def _stand_in(kind: type, index: int):
    """A value of ``kind`` that no builder uses as a constant, distinct for each argument."""
    if kind is int:
        return 1_900_000_000 + 7 * index  # inside a 32-bit column's range: Django's lookups refuse values outside it
    if kind is str:
        return f"\u2063nq57-stand-in-{index}"
    if kind is dt.date:
        return dt.date(1, 1, 1) + dt.timedelta(days=3 + 31 * index)
    if kind == list[int]:
        return [1_950_000_000 + 7 * index, 1_950_000_001 + 7 * index]
    return dt.datetime(1, 1, 1, 0, 0, 7, tzinfo=dt.UTC) + dt.timedelta(days=3 + 31 * index)


def _typed_int(kind: type, ops, value: int) -> int:
    return kind(value)


def _id_list(ops, value: list[int]):
    return IdIn.parameter(ops.connection.vendor, value)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    #: (parameter position, argument name, None or ``convert(connection.ops, value)``: what Django did to the value)
    slots: tuple[tuple[int, str, Callable | None], ...]
    #: the compiler after ``as_sql``: its column map (``select``, ``klass_info``...) makes the rows into instances
    compiler: object
    queryset: QuerySet


class _BoundQuery(Query):
    """A compiled query with one call's parameters: evaluated as it is, never refined."""

    bound_compiler = None

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.bound_compiler

    def chain(self, klass=None):
        raise TypeError("A compiled query runs as it was built; refine it in its builder (core.compiled).")

    clone = chain


class _TemplateQuery(Query):
    """The query a builder returned, kept to make each call's QuerySet: chained, it gives a ``_BoundQuery`` sharing
    its parts (only read while a call's rows are made) instead of Django's clone of every part."""

    def chain(self, klass=None):
        bound = object.__new__(_BoundQuery)
        bound.__dict__.update(self.__dict__)
        return bound


class CompiledQuery:
    """The callable ``compiled_query`` returns."""

    def __init__(self, build: Callable[..., QuerySet]):
        functools.update_wrapper(self, build)
        self.build = build
        self.kinds: dict[str, type] = {}
        for name, parameter in inspect.signature(build, eval_str=True).parameters.items():
            if parameter.kind is not inspect.Parameter.KEYWORD_ONLY or parameter.annotation not in ADAPTERS:
                raise ImproperlyConfigured(
                    f"{build.__qualname__}: argument {name!r} must be keyword-only and annotated with one of "
                    f"{', '.join(kind.__name__ for kind in ADAPTERS)}.")
            self.kinds[name] = parameter.annotation
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def _compile(self) -> _Compiled:
        stand_ins = {name: _stand_in(kind, index) for index, (name, kind) in enumerate(self.kinds.items())}
        queryset = self.build(**stand_ins)
        if not isinstance(queryset, QuerySet):
            raise ImproperlyConfigured(f"{self.build.__qualname__} must return a QuerySet.")
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots, found = [], set()
        for position, value in enumerate(params):
            for name, kind in self.kinds.items():
                adapter, stand_in = ADAPTERS[kind], stand_ins[name]
                if type(value) is type(stand_in) and value == stand_in:
                    slots.append((position, name, None))
                elif kind is int and isinstance(value, int) and not isinstance(value, bool) and value == stand_in:
                    # the backend's typed integer (psycopg's Int8 for a 64-bit column, as Django passes it)
                    slots.append((position, name, functools.partial(_typed_int, type(value))))
                elif kind == list[int] and value == IdIn.parameter(connection.vendor, stand_in):
                    slots.append((position, name, _id_list))
                elif adapter and value == getattr(connection.ops, adapter)(stand_in):
                    slots.append((position, name, getattr(type(connection.ops), adapter)))
                else:
                    continue
                found.add(name)
                break
        missing = set(self.kinds) - found
        if missing:
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: {', '.join(sorted(missing))} did not reach the SQL as a parameter "
                "unchanged (see nq57.core.compiled for what a builder may do).")
        queryset.query.__class__ = _TemplateQuery
        return _Compiled(sql=sql, params=tuple(params), slots=tuple(slots), compiler=compiler, queryset=queryset)

    def _check(self, values: dict) -> bool:
        """Raise TypeError for arguments the builder does not take; False when no row can match."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"{self.build.__qualname__} takes {', '.join(self.kinds)}; got {', '.join(values)}.")
        for name, value in values.items():
            kind = self.kinds[name]
            if kind == list[int]:
                if not isinstance(value, list | tuple) or not all(
                        isinstance(i, int) and not isinstance(i, bool) for i in value):
                    raise TypeError(f"{self.build.__qualname__}: {name} must be a list of int.")
                continue
            if (not isinstance(value, kind) or isinstance(value, bool)
                    or (kind is dt.date and isinstance(value, dt.datetime))):
                raise TypeError(f"{self.build.__qualname__}: {name} must be {kind.__name__}, not "
                                f"{type(value).__name__}.")
            if kind is dt.datetime and value.tzinfo is None:
                raise TypeError(f"{self.build.__qualname__}: {name} must be an aware datetime.")
            if kind is int and value not in _INT64:
                return False
        return True

    def __call__(self, **values) -> list:
        if not self._check(values):
            return []
        entry = self._compiled
        if entry is None:
            with self._lock:
                entry = self._compiled = self._compiled or self._compile()
        connection = connections[entry.queryset.db]
        params = list(entry.params)
        for position, name, convert in entry.slots:
            value = values[name]
            params[position] = value if convert is None else convert(connection.ops, value)
        compiler = copy.copy(entry.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (entry.sql, tuple(params))
        queryset = entry.queryset._clone()  # its query: a _BoundQuery (``_TemplateQuery.chain``)
        queryset.query.bound_compiler = compiler
        return list(queryset)


def compiled_query(build: Callable[..., QuerySet]) -> CompiledQuery:
    """Decorate a QuerySet builder: see the module's docstring."""
    return CompiledQuery(build)


def attach_prefetched(instance, relation: str, rows: list) -> None:
    """Make ``rows`` what ``instance.<relation>.all()`` returns without a query, as ``prefetch_related`` leaves it,
    for a reverse foreign key or a many-to-many relation read by a compiled query. Each row of a reverse foreign key
    also gets ``instance`` as its parent, as Django's prefetch does. ``.filter()`` on the relation still queries."""
    manager = getattr(instance, relation)
    cache_name = getattr(manager, "prefetch_cache_name", None)  # many-to-many
    if cache_name is None:
        field = manager.field
        cache_name = field.remote_field.cache_name
        for row in rows:
            field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset
