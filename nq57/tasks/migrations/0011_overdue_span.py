# Written for issue 11 (the dashboard's weekly overdue trend without reading every task).

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations, models

# --- the triggers that keep tasks_overduespan up to date (see nq57.tasks.models.OverdueSpan) ----------------------
# Self-contained on purpose (a migration must not change when the app's code does). Every write to a task that
# changes one of TRACKED moves its count from the old span to the new one, in the writer's own transaction.

SPAN = "tasks_overduespan"
TRACKED = ("parent_id", "deadline_due", "created_at", "completed_on")
# the reader (nq57.tasks.selectors.overdue_spans_follow_zone) looks for this line in the insert trigger
MARKER = "-- overdue_span zone: {zone}"


def _fixed_offset_seconds(zone_name: str) -> int | None:
    """The zone's UTC offset when it has had one offset since 2000 and keeps it to 2100 (Vietnam: +7), else None
    (SQLite has no time zone database: a zone with daylight saving cannot be followed there)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    offsets = {dt.datetime(year, month, 1, 12, tzinfo=zone).utcoffset() for year in range(2000, 2101)
               for month in (1, 4, 7, 10)}
    return int(offsets.pop().total_seconds()) if len(offsets) == 1 else None


def _days(vendor: str, date_sql: str) -> str:
    if vendor == "postgresql":
        return f"({date_sql} - DATE '1970-01-01')"
    return f"CAST(julianday({date_sql}) - 2440587.5 AS INTEGER)"


def _span(vendor: str, t: str, zone: str, offset: int) -> tuple[str, str, str]:
    """(starts_on, ends_on, guard) of task row ``t`` (NEW or OLD)."""
    if vendor == "postgresql":
        created = f"(({t}.created_at AT TIME ZONE '{zone}')::date - DATE '1970-01-01')"
        starts = f"GREATEST({_days(vendor, t + '.deadline_due')} + 1, {created})"
    else:
        # whole seconds cut from the stored UTC text first (SQLite rounds to the millisecond: 23:59:59.9999 would
        # become the next day)
        created = _days(vendor, f"date(substr({t}.created_at, 1, 19), '{offset:+d} seconds')")
        starts = f"MAX({_days(vendor, t + '.deadline_due')} + 1, {created})"
    ends = _days(vendor, f"{t}.completed_on")
    guard = (f"{t}.parent_id IS NULL AND {t}.deadline_due IS NOT NULL "
             f"AND ({t}.completed_on IS NULL OR {ends} > {starts})")
    return starts, ends, guard


def _bump(vendor: str, t: str, delta: int, zone: str, offset: int) -> list[str]:
    starts, ends, guard = _span(vendor, t, zone, offset)
    if vendor == "postgresql":
        return [f"INSERT INTO {SPAN} (starts_on, ends_on, n) SELECT {starts}, {ends}, {delta} WHERE {guard} "
                f"ON CONFLICT (starts_on, ends_on) DO UPDATE SET n = {SPAN}.n + EXCLUDED.n"]
    return [
        f"UPDATE {SPAN} SET n = n + {delta} WHERE {guard} AND starts_on = {starts} AND ends_on IS {ends}",
        f"INSERT INTO {SPAN} (starts_on, ends_on, n) SELECT {starts}, {ends}, {delta} FROM (SELECT 1 AS one) z "
        f"WHERE {guard} AND NOT EXISTS (SELECT 1 FROM {SPAN} x WHERE x.starts_on = {starts} AND x.ends_on IS {ends})",
    ]


TRIGGERS = {"tasks_span_task_ins": "INSERT", "tasks_span_task_upd": "UPDATE", "tasks_span_task_del": "DELETE"}


def _statements(vendor: str, event: str, zone: str, offset: int) -> list[str]:
    """An insert counts the new row, a delete uncounts the old one, an update does both (fired only when a TRACKED
    column changed)."""
    old = _bump(vendor, "OLD", -1, zone, offset) if event != "INSERT" else []
    new = _bump(vendor, "NEW", 1, zone, offset) if event != "DELETE" else []
    return old + new


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    vendor = connection.vendor
    zone = settings.TIME_ZONE
    offset = 0 if vendor == "postgresql" else _fixed_offset_seconds(zone)
    marker = MARKER.format(zone=zone if offset is not None else "(none)")
    offset = offset or 0
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"CREATE UNIQUE INDEX tasks_span_key_uniq ON {SPAN} (starts_on, ends_on) NULLS NOT DISTINCT")
        for name, event in TRIGGERS.items():
            body = ";\n".join(_statements(vendor, event, zone, offset))
            changed = " OR ".join(f"OLD.{c} {'IS DISTINCT FROM' if vendor == 'postgresql' else 'IS NOT'} NEW.{c}"
                                  for c in TRACKED)
            condition = f" WHEN ({changed})" if event == "UPDATE" else ""
            if vendor == "postgresql":
                cursor.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n{marker}\nBEGIN\n"
                               f"{body};\nRETURN NULL;\nEND\n$$")
                cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON tasks_task FOR EACH ROW{condition} "
                               f"EXECUTE FUNCTION {name}()")
            else:
                cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON tasks_task FOR EACH ROW{condition}\n"
                               f"BEGIN\n{marker}\n{body};\nEND")
        # the spans of the tasks already there, from scratch
        starts, ends, guard = _span(vendor, "t", zone, offset)
        cursor.execute(f"DELETE FROM {SPAN}")
        cursor.execute(f"INSERT INTO {SPAN} (starts_on, ends_on, n) SELECT s, e, COUNT(*) FROM "
                       f"(SELECT {starts} AS s, {ends} AS e FROM tasks_task t WHERE {guard}) spans GROUP BY s, e")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON tasks_task")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0010_notice_counts_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="OverdueSpan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_on", models.IntegerField()),
                ("ends_on", models.IntegerField(null=True)),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "khoảng quá hạn",
                "verbose_name_plural": "khoảng quá hạn",
                "indexes": [models.Index(fields=["starts_on", "ends_on", "n"], name="tasks_span_key_idx")],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
