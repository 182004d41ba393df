"""Bulk import through the official path: N tasks, then M progress reports, in the exchange format (JSON, system
r71), imported with ``nq57 exchange import`` (committed chunks, audit history, timeline events, external keys) into a
throwaway database; prints tasks/s and reports/s and checks the counts afterwards (and that a second import of the
same file writes nothing).

    .venv/bin/python bench/exchange_import.py [--tasks 100000] [--reports 170000] [--chunk-size 2000]
    .venv/bin/python bench/exchange_import.py --database-url postgres://postgres@127.0.0.1:5432/nq57bench_exchange

SQLite lives in a temporary NQ57_DATA_DIR; a PostgreSQL database named in --database-url is dropped and created
afresh (it must not be one you care about).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_scale import prepare_environment  # noqa: E402

WORDS = ("xây dựng", "hoàn thiện", "cơ chế", "chính sách", "thử nghiệm", "khoa học", "công nghệ", "đổi mới sáng tạo",
         "chuyển đổi số", "dữ liệu", "hạ tầng", "nhân lực", "doanh nghiệp", "quốc gia", "trung tâm", "đề án")


def setup_registry(n_agencies: int = 60, n_notices: int = 200) -> tuple[list[str], list[str]]:
    from django.contrib.auth.hashers import make_password

    from nq57.accounts.models import User
    from nq57.agencies.models import Agency, AgencyKind
    from nq57.extraction.vietnamese import fold
    from nq57.notices.models import Notice
    from nq57.taxonomy.models import Programme

    agencies = Agency.objects.bulk_create([
        Agency(name=f"Bộ thử nghiệm số {i}", short_name=f"BTN{i}", kind=AgencyKind.MINISTRY,
               search_key=fold(f"Bộ thử nghiệm số {i}")) for i in range(n_agencies)])
    User.objects.create(username="office", password=make_password("x"), is_superuser=True, is_staff=True)
    programme = Programme.objects.filter(is_default=True).first() or Programme.objects.create(
        code="57-NQ/TW", name="Nghị quyết 57-NQ/TW", is_default=True)
    today = dt.date(2026, 6, 30)
    notices = Notice.objects.bulk_create([
        Notice(programme=programme, number=f"{i}-TB/TGV", issued_on=today - dt.timedelta(days=700 - i * 3),
               title=f"Thông báo {i}") for i in range(n_notices)])
    return [a.name for a in agencies], [n.number for n in notices]


def documents(*, n_tasks: int, n_reports: int, agencies: list[str], notices: list[str], seed: int = 57):
    rng = random.Random(seed)
    today = dt.date(2026, 6, 30)
    tasks = []
    for i in range(n_tasks):
        due = today + dt.timedelta(days=rng.randint(-400, 300))
        status = rng.choice(("open", "open", "partly_done", "done"))
        lead = rng.choice(agencies)
        tasks.append({
            "external_id": f"R71-NV-{i:06d}", "notice": {"number": notices[i % len(notices)]}, "path": f"{i}",
            "text": " ".join(rng.sample(WORDS, 6)).capitalize() + f" (nhiệm vụ {i})",
            "lead_agencies": [lead], "coordinating_agencies": [a for a in rng.sample(agencies, 2) if a != lead],
            "deadline_kind": "date", "deadline_due": due.isoformat(), "deadline_text": f"trước ngày {due:%d/%m/%Y}",
            "status": status, "progress": 100 if status == "done" else rng.choice((0, 20, 50, 80)),
            "completed_on": min(today, due).isoformat() if status == "done" else None,
        })
    report_tasks = [dict(t, reports=[]) for t in tasks]
    for j in range(n_reports):
        record = report_tasks[j % n_tasks]
        end = today - dt.timedelta(days=rng.randint(0, 600))
        record["reports"].append({
            "external_id": f"R71-BC-{j:07d}", "agency": record["lead_agencies"][0],
            "period_start": (end - dt.timedelta(days=30)).isoformat(), "period_end": end.isoformat(),
            "text": "Báo cáo tiến độ thực hiện nhiệm vụ trong kỳ.", "percent": rng.choice((20, 50, 80)),
            "claimed_status": "partly_done", "state": "accepted",
            "submitted_at": dt.datetime.combine(end, dt.time(15), tzinfo=dt.UTC).isoformat(),
        })
    header = {"format": "nq57-exchange", "version": 1, "system": "r71"}
    return {**header, "tasks": tasks}, {**header, "tasks": report_tasks}


def timed_import(path: Path, chunk_size: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a shared machine the CPU time says what the import costs."""
    from django.core.management import call_command

    started, cpu = time.perf_counter(), time.process_time()
    call_command("exchange", "import", str(path), "--chunk-size", str(chunk_size), "--no-progress",
                 stdout=open(os.devnull, "w"))
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=170_000)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)

    prepare_environment(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from nq57.exchange.models import ExternalKey, ImportBatch, ReportKey
    from nq57.reports.models import ProgressReport
    from nq57.tasks.models import Task, TaskAssignment, TaskEvent

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    agencies, notices = setup_registry()
    tasks_doc, reports_doc = documents(n_tasks=args.tasks, n_reports=args.reports, agencies=agencies,
                                       notices=notices)
    folder = Path(tempfile.mkdtemp(prefix="nq57-bench-exchange-"))
    tasks_file, reports_file = folder / "tasks.json", folder / "reports.json"
    tasks_file.write_text(json.dumps(tasks_doc, ensure_ascii=False), encoding="utf-8")
    reports_file.write_text(json.dumps(reports_doc, ensure_ascii=False), encoding="utf-8")
    print(f"files: tasks {tasks_file.stat().st_size / 2**20:.1f} MB, reports "
          f"{reports_file.stat().st_size / 2**20:.1f} MB", flush=True)

    seconds, cpu = timed_import(tasks_file, args.chunk_size)
    print(f"{args.tasks:,} tasks imported in {seconds:.1f} s wall ({args.tasks / seconds:,.0f} tasks/s), "
          f"{cpu:.1f} s CPU ({args.tasks / cpu:,.0f} tasks per CPU second)", flush=True)
    seconds, cpu = timed_import(reports_file, args.chunk_size)
    print(f"{args.reports:,} reports imported (their {args.tasks:,} tasks unchanged) in {seconds:.1f} s wall "
          f"({args.reports / seconds:,.0f} reports/s), {cpu:.1f} s CPU ({args.reports / cpu:,.0f} per CPU second)",
          flush=True)
    seconds, cpu = timed_import(reports_file, args.chunk_size)
    print(f"the same reports file again (nothing to write) in {seconds:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores shared)", flush=True)

    counts = {
        "tasks": Task.objects.count(), "task history": Task.history.count(),
        "assignments": TaskAssignment.objects.count(), "assignment history": TaskAssignment.history.count(),
        "task keys": ExternalKey.objects.count(), "reports": ProgressReport.objects.count(),
        "report history": ProgressReport.history.count(), "report keys": ReportKey.objects.count(),
        "timeline events": TaskEvent.objects.count(), "batches": ImportBatch.objects.count(),
    }
    print("counts: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    expected_assignments = sum(1 + len(t["coordinating_agencies"]) for t in tasks_doc["tasks"])
    checks = {
        "tasks": counts["tasks"] == args.tasks, "task history": counts["task history"] == args.tasks,
        "task keys": counts["task keys"] == args.tasks, "assignments": counts["assignments"] == expected_assignments,
        "reports": counts["reports"] == args.reports, "report history": counts["report history"] == args.reports,
        "report keys": counts["report keys"] == args.reports,
        "events": counts["timeline events"] >= args.tasks + args.reports,
        "batches done": not ImportBatch.objects.exclude(status="done").exists(),
    }
    failed = [name for name, ok in checks.items() if not ok]
    print("checks: " + ("all right" if not failed else "FAILED " + ", ".join(failed)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
