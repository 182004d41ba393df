"""Monitoring at scale: 100,000 tasks and 1,000,000 progress reports in a throwaway database, then the overview page,
the task list (first page), the dashboard, the consolidated report (service and page), the daily scan and the
escalation list, timed.

    .venv/bin/python bench/monitoring_scale.py [--tasks 100000] [--reports 1000000] [--repeat 5]
    .venv/bin/python bench/monitoring_scale.py --database-url postgres://postgres@127.0.0.1:5432/nq57bench

SQLite lives in a temporary NQ57_DATA_DIR; a PostgreSQL database named in --database-url is dropped and created
afresh (it must not be one you care about). Prints the median of --repeat runs per measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def prepare_environment(database_url: str | None, data_dir: str | None = None) -> None:
    """A throwaway data folder (or ``data_dir`` of an earlier run) and database for a benchmark; the other bench
    scripts import this one. With ``data_dir`` and a PostgreSQL URL the earlier run's database is kept as it is."""
    os.environ["NQ57_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="nq57-bench-")
    os.environ["NQ57_TESTING"] = "1"  # local-memory mail, fast password hashing
    os.environ["DJANGO_SETTINGS_MODULE"] = "nq57.settings"
    os.environ.pop("REDIS_URL", None)
    if database_url and data_dir:
        os.environ["DATABASE_URL"] = database_url
    elif database_url:
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)


def build(*, n_tasks: int, n_reports: int, seed: int = 57) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from nq57.agencies.models import Agency, AgencyKind
    from nq57.core.testing import make_focal_point, make_leader, make_office
    from nq57.extraction.vietnamese import fold
    from nq57.notices.models import Notice
    from nq57.tasks.models import Task, TaskAssignment
    from nq57.taxonomy.models import Programme, Theme

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        agencies = Agency.objects.bulk_create([
            Agency(name=f"Bộ thử nghiệm số {i}", short_name=f"BTN{i}", kind=AgencyKind.MINISTRY,
                   search_key=fold(f"Bộ thử nghiệm số {i}")) for i in range(60)])
        themes = Theme.objects.bulk_create([Theme(code=f"chu-de-{i}", name=f"Chủ đề {i}") for i in range(7)])
        make_office("office", email="office@example.org")
        make_leader("leader")
        author_of = {a.pk: make_focal_point(f"fp{i}", a, email=f"fp{i}@example.org").pk
                     for i, a in enumerate(agencies)}
        programme = (Programme.objects.filter(is_default=True).first()  # seeded by the taxonomy migrations
                     or Programme.objects.create(code="57-NQ/TW", name="Nghị quyết 57-NQ/TW", is_default=True))
        notices = Notice.objects.bulk_create([
            Notice(programme=programme, number=f"{i}-TB/TGV", issued_on=today - dt.timedelta(days=700 - i * 3),
                   title=f"Thông báo {i}") for i in range(200)])
    texts = [f"Xây dựng, trình ban hành cơ chế, chính sách thử nghiệm số {i} về khoa học, công nghệ, đổi mới sáng tạo"
             for i in range(50)]
    keys = {t: fold(t) for t in texts}
    # the creation times below are kept (``auto_now_add`` would stamp every task "now", and no task would count in the
    # past weeks of the dashboard's overdue trend)
    created_field = Task._meta.get_field("created_at")
    created_field.auto_now_add = False
    batch = 5000
    for start in range(0, n_tasks, batch):
        rows = []
        for i in range(start, min(start + batch, n_tasks)):
            notice = notices[i % len(notices)]
            text = texts[i % len(texts)]
            kind_roll = rng.random()
            due = None if kind_roll < 0.07 else today + dt.timedelta(days=rng.randint(-400, 300))
            recurring = 0.07 <= kind_roll < 0.1
            status_roll = rng.random()
            status = ("done" if status_roll < 0.45 and not recurring
                      else "partly_done" if status_roll < 0.65 else "open")
            completed = None
            if status == "done":
                anchor = due or today - dt.timedelta(days=30)
                completed = min(today, anchor + dt.timedelta(days=rng.randint(-60, 40)))
            rows.append(Task(
                notice=notice, path=str(i), position=i, text=text, search_key=keys[text],
                deadline_kind="recurring" if recurring else ("date" if due else "none"),
                deadline_due=None if recurring else due, original_deadline_due=None if recurring else due,
                report_cadence="monthly" if recurring else "",
                next_report_due=today + dt.timedelta(days=rng.randint(-60, 30)) if recurring else None,
                status=status, progress=100 if status == "done" else rng.choice((0, 20, 50, 80)),
                completed_on=completed, created_at=now - dt.timedelta(days=rng.randint(200, 700)), updated_at=now,
            ))
        with transaction.atomic():
            created = Task.objects.bulk_create(rows)
            assignments, task_themes = [], []
            for task in created:
                lead = agencies[rng.randrange(len(agencies))]
                assignments.append(TaskAssignment(task=task, agency=lead, role="lead", assigned_name=lead.name))
                for partner in rng.sample(agencies, rng.randint(0, 2)):
                    if partner.pk != lead.pk:
                        assignments.append(TaskAssignment(task=task, agency=partner, role="coordinating",
                                                          assigned_name=partner.name))
                for theme in rng.sample(themes, rng.randint(0, 2)):
                    task_themes.append(Task.themes.through(task_id=task.pk, theme_id=theme.pk))
            TaskAssignment.objects.bulk_create(assignments)
            Task.themes.through.objects.bulk_create(task_themes)
    created_field.auto_now_add = True
    built_tasks = time.perf_counter() - started

    # 1,000,000 progress reports through raw SQL (COPY on PostgreSQL)
    started = time.perf_counter()
    task_ids = list(Task.objects.values_list("id", flat=True))
    lead_of = dict(TaskAssignment.objects.filter(role="lead").values_list("task_id", "agency_id"))
    columns = ("task_id", "agency_id", "author_id", "period_start", "period_end", "text", "percent",
               "claimed_status", "state", "submitted_at")

    def report_rows(count):
        for _ in range(count):
            task_id = task_ids[rng.randrange(len(task_ids))]
            agency_id = lead_of[task_id]
            end = today - dt.timedelta(days=rng.randint(0, 600))
            yield (task_id, agency_id, author_of[agency_id], end - dt.timedelta(days=30), end,
                   "Báo cáo tiến độ thực hiện nhiệm vụ trong kỳ.", rng.choice((20, 50, 80, 100)),
                   rng.choice(("open", "partly_done", "done")), "submitted" if rng.random() < 0.02 else "accepted",
                   dt.datetime.combine(end, dt.time(15), tzinfo=dt.UTC))

    chunk = 50000
    with connection.cursor() as cursor:
        for start in range(0, n_reports, chunk):
            count = min(chunk, n_reports - start)
            with transaction.atomic():
                insert_reports(connection, cursor, columns, report_rows(count))
        # on PostgreSQL also VACUUM, as autovacuum does on a live database after a bulk load: it sets the visibility
        # map that index-only scans need
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    built_reports = time.perf_counter() - started
    return {"today": today, "tasks_s": built_tasks, "reports_s": built_reports}


def insert_reports(connection, cursor, columns, rows) -> None:
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY reports_progressreport ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:  # the raw sqlite3 connection: Django's cursor wrapper rewrites placeholders per row
        connection.connection.executemany(
            f"INSERT INTO reports_progressreport ({', '.join(columns)}) VALUES ({', '.join(['?'] * 10)})",
            [(*r[:3], r[3].isoformat(), r[4].isoformat(), *r[5:9], r[9].isoformat(sep=" ")) for r in rows])


def timed(label: str, func, repeat: int, results: dict) -> None:
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    results[label] = (statistics.median(times), min(times), max(times))
    # CPU time of this process: on SQLite it includes the database's work, on PostgreSQL only the client side
    print(f"  {label:<52} median {statistics.median(times) * 1000:8.1f} ms   "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={repeat}; "
          f"CPU median {statistics.median(cpu) * 1000:.1f} ms)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)

    prepare_environment(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from nq57.accounts.models import User
    from nq57.monitoring import alerts, services

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    facts = build(n_tasks=args.tasks, n_reports=args.reports)
    today = facts["today"]
    print(f"built {args.tasks:,} tasks in {facts['tasks_s']:.1f} s and {args.reports:,} progress reports in "
          f"{facts['reports_s']:.1f} s", flush=True)

    client = Client()
    client.force_login(User.objects.get(username="leader"))
    results: dict = {}

    def get(path):
        def run():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return run

    print("timings:", flush=True)
    timed("overview page GET /", get("/"), args.repeat, results)
    try:
        timed("task list first page GET /tasks/", get("/tasks/"), args.repeat, results)
        timed("task list filtered GET /tasks/?timing=open_overdue", get("/tasks/?timing=open_overdue"), args.repeat,
              results)
    except Exception as exc:  # the task list belongs to another app; report and go on
        print(f"  task list could not be timed: {exc!r}", flush=True)
    timed("dashboard GET /dashboard/", get("/dashboard/"), args.repeat, results)
    timed("consolidated_report(as_of=today, late_limit=200)",
          lambda: services.consolidated_report(as_of=today, late_limit=200), args.repeat, results)
    timed("consolidated report page GET /consolidated/", get("/consolidated/"), args.repeat, results)
    timed("consolidated_report(as_of=today), all late tasks", lambda: services.consolidated_report(as_of=today),
          args.repeat, results)
    report = services.consolidated_report(as_of=today - dt.timedelta(days=7))
    services.report_snapshot_save(report=report)
    timed("consolidated_report with changes since a snapshot",
          lambda: services.consolidated_report(as_of=today, late_limit=200), args.repeat, results)
    timed("consolidated report page with changes GET /consolidated/", get("/consolidated/"), args.repeat, results)
    timed("report_snapshot_save (per-task states of the scope)",
          lambda: services.report_snapshot_save(report=report), args.repeat, results)
    started = time.perf_counter()
    first = alerts.daily_scan(today=today)
    print(f"  {'daily scan, first run (sends everything due)':<52} {time.perf_counter() - started:8.2f} s   "
          f"({first.reminders} reminders, {first.overdue_notices} overdue notices, {first.overdue_events} events)",
          flush=True)
    timed("daily scan, steady state (nothing new to send)", lambda: alerts.daily_scan(today=today), args.repeat,
          results)
    timed("escalation list (50 tasks per agency)", lambda: alerts.escalation_list(today=today), args.repeat, results)
    timed("escalation page GET /escalation/", get("/escalation/"), args.repeat, results)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    slow = [label for label, (median, _lo, _hi) in results.items() if median >= 1.0]
    print("all medians under one second" if not slow else f"over one second: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
