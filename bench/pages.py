"""Page timings: the main HTML pages and the XLSX export, on the demo data and on 20,000 generated tasks.

    .venv/bin/python bench/pages.py [--tasks 20000] [--runs 7] [--database-url postgres://...]

Each dataset gets its own throwaway database (SQLite in a temporary NQ57_DATA_DIR; with --database-url a new
PostgreSQL database next to the one named, dropped afterwards), built in a child process: migrate + load_demo, then,
for the large dataset, tasks bulk-created across agencies, notices, statuses, deadlines and themes. Pages are fetched
in-process with the Django test client as the Standing Office (full page render, middleware included; no network),
once to warm up, then ``--runs`` times; the table shows the median and the slowest run in milliseconds.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pg_database(url: str, name: str, *, drop: bool) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def generate(n_tasks: int) -> None:
    """Bulk-create ``n_tasks`` top-level tasks (plus a few sub-tasks) spread over 200 notices and the agencies."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from nq57.agencies.models import Agency
    from nq57.notices.models import Notice
    from nq57.tasks.models import Task, TaskAssignment, task_search_key
    from nq57.taxonomy.models import Programme, Theme

    rng = random.Random(57)
    today = timezone.localdate()
    programme = Programme.objects.get(is_default=True)
    agencies = list(Agency.objects.filter(dissolved_on__isnull=True).exclude(kind="collective").order_by("id")[:80])
    themes = list(Theme.objects.all())
    words = ("xây dựng cơ chế vận hành phòng thí nghiệm trọng điểm; hoàn thiện thể chế về khoa học, công nghệ, "
             "đổi mới sáng tạo; phát triển hạ tầng số, trung tâm dữ liệu; đào tạo nhân lực trí tuệ nhân tạo; "
             "khu công nghệ cao; đô thị thông minh; mô hình hợp tác 3 Nhà; thương mại hóa kết quả nghiên cứu").split()
    with transaction.atomic():
        notices = Notice.objects.bulk_create([
            Notice(programme=programme, number=f"B{i}-TB/TGV", title=f"Thông báo kết luận số {i} (dữ liệu đo)",
                   issued_on=today - dt.timedelta(days=rng.randint(10, 700)), issuer="Tổ Giúp việc")
            for i in range(200)
        ])
        tasks = []
        for i in range(n_tasks):
            notice = notices[i % len(notices)]
            text = " ".join(rng.choice(words) for _ in range(rng.randint(12, 30))).capitalize() + "."
            due = notice.issued_on + dt.timedelta(days=rng.randint(20, 500)) if rng.random() < 0.85 else None
            status = rng.choices(["open", "partly_done", "done"], [5, 2, 3])[0]
            completed = (due or today) + dt.timedelta(days=rng.randint(-60, 30)) if status == "done" else None
            path = f"{i // len(notices) + 1}"
            tasks.append(Task(
                notice=notice, path=path, position=i // len(notices) + 1, text=text,
                search_key=task_search_key(text, path), deadline_kind="date" if due else "none", deadline_due=due,
                original_deadline_due=due, deadline_text=f"trước ngày {due:%d/%m/%Y}" if due else "",
                status=status, progress=100 if status == "done" else rng.choice([0, 20, 40, 60, 80]),
                completed_on=min(completed, today) if completed else None,
            ))
        tasks = Task.objects.bulk_create(tasks, batch_size=2000)
        assignments, theme_rows = [], []
        through = Task.themes.through
        for task in tasks:
            chosen = rng.sample(agencies, 3)
            assignments.append(TaskAssignment(task=task, agency=chosen[0], role="lead", assigned_name=chosen[0].name))
            for partner in chosen[1:rng.randint(1, 3)]:
                assignments.append(TaskAssignment(task=task, agency=partner, role="coordinating",
                                                  assigned_name=partner.name))
            for theme in rng.sample(themes, rng.randint(0, 2)):
                theme_rows.append(through(task_id=task.pk, theme_id=theme.pk))
        TaskAssignment.objects.bulk_create(assignments, batch_size=5000)
        through.objects.bulk_create(theme_rows, batch_size=5000)


def measure(runs: int) -> list[tuple[str, str, list[float]]]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from nq57.accounts.models import User
    from nq57.agencies.models import Agency
    from nq57.notices.models import Notice
    from nq57.tasks.models import Task

    client = Client()
    client.force_login(User.objects.get(username="thuongtruc"))
    kh = Agency.objects.get(name="Bộ Khoa học và Công nghệ")
    busy_task = Task.objects.annotate(n=Count("events")).order_by("-n", "id").first()
    notice = Notice.objects.annotate(n=Count("tasks")).order_by("-n", "id").first()
    pages = []
    try:
        pages.append(("overview", reverse("monitoring:overview")))
    except NoReverseMatch:
        pass
    tasks = reverse("tasks:task_list")
    pages += [
        ("task list, page 1", tasks),
        ("task list, page 5", tasks + "?page=5"),
        ("task list, agency+lead+overdue", f"{tasks}?agency={kh.pk}&role=lead&timing=open_overdue"),
        ("task list, search 'cong nghe'", f"{tasks}?q=cong+nghe"),
        ("task list, search 'cong nghe so'", f"{tasks}?q=cong+nghe+so"),
        ("task list, search '\"ha tang so\"'", f"{tasks}?q=%22ha+tang+so%22"),
        ("task list, search notice 'B7 TB TGV'", f"{tasks}?q=B7+TB+TGV"),
        ("task page", busy_task.get_absolute_url()),
        ("agency page", kh.get_absolute_url()),
        ("notice page", notice.get_absolute_url()),
        ("notice list", reverse("notices:notice_list")),
        ("agency list", reverse("agencies:agency_list")),
        ("export, agency filter", f"{reverse('tasks:task_export')}?agency={kh.pk}"),
        ("export, everything", reverse("tasks:task_export")),
    ]
    results = []
    for label, url in pages:
        timings = []
        for attempt in range(runs + 1):
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if attempt:
                timings.append(elapsed)
        results.append((label, f"{len(body) / 1024:.0f} KB", timings))
    return results


def child(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from nq57.tasks.models import Task

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    if args.tasks:
        generate(args.tasks)
    built = time.perf_counter() - started
    rows = measure(args.runs)
    print(json.dumps({"tasks": Task.objects.count(), "built": built, "rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    outputs = []
    for label, n_tasks in (("demo data", 0), (f"demo + {args.tasks:,} tasks", args.tasks)):
        data_dir = tempfile.mkdtemp(prefix="nq57-bench-pages-")
        env = {**os.environ, "NQ57_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "nq57.settings",
               "HUEY_IMMEDIATE": "1", "DEBUG": "0", "LOG_LEVEL": "ERROR"}
        name = f"nq57_bench_pages_{os.getpid()}_{n_tasks}"
        if args.database_url:
            env["DATABASE_URL"] = pg_database(args.database_url, name, drop=False)
        else:
            env.pop("DATABASE_URL", None)
        try:
            proc = subprocess.run([sys.executable, __file__, "--child", "--tasks", str(n_tasks), "--runs",
                                   str(args.runs)], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
            if proc.returncode:
                sys.stderr.write(proc.stderr)
                raise SystemExit(proc.returncode)
            outputs.append((label, json.loads(proc.stdout.strip().splitlines()[-1])))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
            if args.database_url:
                pg_database(args.database_url, name, drop=True)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    for label, out in outputs:
        print(f"\n{label} — {out['tasks']:,} tasks in the database ({backend}, built in {out['built']:.1f} s), "
              f"median of {args.runs} runs")
        print(f"{'page':<34} {'median ms':>10} {'max ms':>9} {'size':>8}")
        for page, size, timings in out["rows"]:
            print(f"{page:<34} {statistics.median(timings):>10.1f} {max(timings):>9.1f} {size:>8}")


if __name__ == "__main__":
    main()
