"""Rows inserted without Django's per-value machinery: bulk imports write hundreds of thousands of narrow rows
(assignments, timeline events, theme links, keys) whose ids nobody reads back, and Django's ``bulk_create`` spends
most of its time building an instance per row and preparing every value through the field and the SQL compiler.

``insert_rows`` takes plain tuples in the order of the attribute names given; each column's value is prepared by the
field's own ``get_db_prep_save`` unless the field stores what the database driver takes as it is (integers, strings,
booleans and foreign keys to integer keys), so dates, times and JSON are written exactly as ``bulk_create`` would
write them. Fields left out get their model default (``auto_now`` fields must be given). Like ``bulk_create`` it
sends no signals and writes no audit history: the caller writes the history (``audit.history_bulk_insert``).

``create_instances`` is ``bulk_create`` for wide rows whose ids are needed (imported tasks): the instances' values
go through the same preparation and come back with their primary keys (``RETURNING``, in the order given, as
``bulk_create`` reads them)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

# Values of these fields are handed to the driver as they are (sqlite3 and psycopg adapt int, str, bool and None).
_AS_IS = (models.IntegerField, models.CharField, models.TextField, models.BooleanField)
_BATCH = 2000


def _as_is(field) -> bool:
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return isinstance(field, _AS_IS) and not isinstance(field, models.GenericIPAddressField)


def _converter(field, db) -> Callable | None:
    """None when the field's values go to the driver as they are; else the field's own preparation, remembered per
    value for dates and times (an import repeats the same few: one "now", a few hundred due dates)."""
    if _as_is(field):
        return None
    prepare = functools.partial(field.get_db_prep_save, connection=db)
    if not isinstance(field, models.DateField | models.TimeField):  # DateTimeField is a DateField
        return prepare
    memo: dict = {}

    def remembered(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = prepared = prepare(value)
            return prepared

    return remembered


def _prepared(model, fields: Sequence[str], db):
    """(the fields of ``fields``, their converters)."""
    concrete = {field.attname: field for field in model._meta.concrete_fields}
    unknown = [name for name in fields if name not in concrete]
    if unknown:
        raise ValueError(f"insert_rows: {model.__name__} has no column for {', '.join(unknown)}")
    given = [concrete[name] for name in fields]
    return given, [_converter(field, db) for field in given]


def _prepare_row(converters, row) -> tuple:
    return tuple(value if convert is None else convert(value)
                 for convert, value in zip(converters, row, strict=True))


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT the ``rows`` (tuples of values for the model's attributes ``fields``, e.g. ``"task_id"``) into the
    model's table; returns the number of rows. Run it inside the caller's transaction."""
    connection = connections[DEFAULT_DB_ALIAS]
    given, prepare = _prepared(model, fields, connection)
    defaults = []
    for field in model._meta.concrete_fields:
        if field.attname in fields or (field.primary_key and isinstance(field, models.AutoField)):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(f"insert_rows: {model.__name__}.{field.attname} is set on save; give its value")
        defaults.append((field, field.get_db_prep_save(field.get_default(), connection)))
    tail = tuple(value for _, value in defaults)
    columns = [connection.ops.quote_name(field.column) for field in [*given, *(field for field, _ in defaults)]]
    sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            if len(row) != len(given):
                raise ValueError(f"insert_rows: a row of {len(row)} values for {len(given)} columns")
            batch.append((*_prepare_row(prepare, row), *tail))
            if len(batch) >= _BATCH:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def create_instances(model: type[models.Model], objs: Sequence[models.Model]) -> list[models.Model]:
    """INSERT new ``objs`` of ``model`` (an auto-increment primary key, no multi-table inheritance) and set their
    primary keys; ``auto_now``/``auto_now_add`` fields are set as ``save`` would. Returns ``objs``."""
    connection, pk = connections[DEFAULT_DB_ALIAS], model._meta.pk
    if not objs:
        return list(objs)
    if not isinstance(pk, models.AutoField) or model._meta.parents:
        raise ValueError(f"create_instances: {model.__name__} needs a plain auto-increment primary key")
    if any(isinstance(field, models.FileField) for field in model._meta.concrete_fields):
        raise ValueError(f"create_instances: {model.__name__} has files, which only save() stores")
    if not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover - SQLite >= 3.35, PostgreSQL
        return model.objects.bulk_create(objs)
    fields = [field for field in model._meta.concrete_fields if field is not pk]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    names = [field.attname for field in fields]
    _, prepare = _prepared(model, names, connection)
    table, columns = connection.ops.quote_name(model._meta.db_table), [connection.ops.quote_name(f.column)
                                                                         for f in fields]
    marks = f"({', '.join(['%s'] * len(fields))})"
    # the backend's own batch (SQLite: its 999 parameters), at most 65,535 parameters a statement (PostgreSQL's)
    size = max(1, min(connection.ops.bulk_batch_size(fields, objs), 65_535 // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            part = objs[start:start + size]
            params = [value for obj in part
                      for value in _prepare_row(prepare, [getattr(obj, name) for name in names])]
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([marks] * len(part))} "
                           f"RETURNING {connection.ops.quote_name(pk.column)}", params)
            for obj, (value,) in zip(part, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
                obj._state.adding, obj._state.db = False, connection.alias
    return list(objs)
