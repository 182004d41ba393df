"""nq57 side by side with Redmine on the same 100,000 tasks (the shared data set of ../shared/peers/redmine/).

    .venv/bin/python bench/vs_redmine.py [--count 100000] [--today 2026-11-22] [--duration 10] [--rounds 2]
        [--database-url postgres://postgres@127.0.0.1:5432/nq57_vsredmine] [--redmine-dir /opt/redmine-peer]
        [--skip-redmine] [--workers 2 --threads 4]

Redmine runs through the peer harness (``bash run_all.sh`` of ``../shared/peers/redmine``, copied somewhere writable
because it writes ``run/``; ``TODAY=2026-11-22`` pins the data set). This script:

1. generates the same tasks with ``dataset.generate`` (same count, seed and ``--today``) and loads them into a
   throwaway nq57 database (SQLite in a temporary NQ57_DATA_DIR, or the PostgreSQL database named by
   ``--database-url``, dropped and created afresh) through the models' bulk paths **with their audit history**
   (``simple_history.utils.bulk_create_with_history``): agencies, one notice per agency, tasks (id = the data set's
   number = Redmine's issue id) with their lead assignment, one progress report and one timeline event per Redmine
   journal. The exchange import (``nq57 exchange import``) is not used here: it is another branch's work.
   Mapping: new / in_progress / resolved -> ``open`` (Redmine's open statuses; progress = done_ratio),
   closed -> ``done`` (completed on the closing day);
2. serves nq57 as README's deployment section says: ``gunicorn nq57.wsgi`` with the repository's
   ``gunicorn.conf.py`` (gthread workers sized for 2 cores, keep-alive), DEBUG off, access log off;
3. runs wrk (``-t2 -c4``, as the harness's bench.sh) against equivalent pages and calls of both, in interleaved
   rounds (the order of the two systems alternates each round), and prints req/s, latency percentiles, non-2xx and
   socket errors, the nq57/Redmine ratio and the resident memory of each server (gunicorn master + workers, puma
   master + workers). Redmine answers its HTML to the anonymous user (public projects) and its API to the admin key;
   nq57's API answers to the Standing Office (sees everything, like Redmine's admin key) by token; its HTML to a
   leader (reads every page, changes nothing, like Redmine's anonymous reader) by session cookie, and the task page
   once more to the office, whose page also carries the edit forms.
   The API's rate limit is off for the run (Redmine has none). nq57's list counts are computed on every request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SHARED_HARNESS = ROOT.parent.parent / "shared" / "peers" / "redmine"

STATUS = {"new": "open", "in_progress": "open", "resolved": "open", "closed": "done"}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_database(url: str, *, drop_only: bool = False) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


# ---------------------------------------------------------------------------------------------------------------------
# Loading the data set
# ---------------------------------------------------------------------------------------------------------------------

def reader_session() -> str:
    """A session of a leader (reads every page, changes nothing), the nq57 user closest to Redmine's anonymous
    reader of public projects: the HTML comparisons use it (the office's pages also carry its edit forms)."""
    from django.test import Client

    from nq57.accounts.models import User
    from nq57.core.testing import make_leader

    leader = User.objects.filter(username="bench-leader").first() or make_leader("bench-leader")
    client = Client()
    client.force_login(leader)
    return client.cookies["sessionid"].value


def load(dataset, *, count: int, today: dt.date, history: bool = True) -> dict:
    """Migrate and load the data set; returns the ids and credentials the bench needs and the counts to check."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from nq57.agencies.models import Agency, AgencyKind
    from nq57.api.services import token_create
    from nq57.core.testing import make_focal_point, make_office
    from nq57.extraction.vietnamese import fold
    from nq57.notices.models import Notice
    from nq57.reports.models import ProgressReport
    from nq57.tasks.models import Task, TaskAssignment, TaskEvent, TaskEventKind, task_search_key
    from nq57.taxonomy.models import Programme

    call_command("migrate", verbosity=0)
    zone = timezone.get_current_timezone()
    started = time.monotonic()
    ags = dataset.agencies()
    with transaction.atomic():
        agencies = {}
        for a in ags:
            kind = (AgencyKind.PROVINCE if a["name"].startswith("Ủy ban nhân dân") else
                    AgencyKind.MINISTRY if a["name"].startswith("Bộ") else AgencyKind.GOVERNMENT_BODY)
            agencies[a["slug"]] = Agency.objects.create(name=a["name"], kind=kind, search_key=fold(a["name"]))
        programme = Programme.objects.filter(is_default=True).first() or Programme.objects.create(
            code="57-NQ/TW", name="Nghị quyết 57-NQ/TW", is_default=True)
        notices = {slug: Notice.objects.create(programme=programme, number=f"{i + 1}-TB/BENCH",
                                               issued_on=dt.date(2024, 12, 1) + dt.timedelta(days=i),
                                               title=f"Kế hoạch công tác của {agencies[slug].name}")
                   for i, slug in enumerate(agencies)}
        office = make_office("bench-office")
        focal = {slug: make_focal_point(f"fp-{slug[:40]}", agency) for slug, agency in agencies.items()}
        _, office_token = token_create(user=office, name="bench")
        first_slug = ags[0]["slug"]
        _, focal_token = token_create(user=focal[first_slug], name="bench")

    def aware(value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=zone)

    # bulk_create must keep the data set's own creation/update times
    created_field, updated_field = Task._meta.get_field("created_at"), Task._meta.get_field("updated_at")
    created_field.auto_now_add, updated_field.auto_now = False, False
    expected = {"total": 0, "open": 0, "due_le_today_open": 0, "agency_open": 0, "reports": 0}
    sample_task = None
    focal_tasks: list[int] = []
    batch_size = 10_000
    tasks, assignments, reports, events = [], [], [], []

    def flush():
        with transaction.atomic():
            if history:
                bulk_create_with_history(tasks, Task, batch_size=2000, default_user=office)
                bulk_create_with_history(assignments, TaskAssignment, batch_size=2000, default_user=office)
                bulk_create_with_history(reports, ProgressReport, batch_size=2000, default_user=office)
            else:
                Task.objects.bulk_create(tasks, batch_size=2000)
                TaskAssignment.objects.bulk_create(assignments, batch_size=2000)
                ProgressReport.objects.bulk_create(reports, batch_size=2000)
            TaskEvent.objects.bulk_create(events, batch_size=2000)
        for rows in (tasks, assignments, reports, events):
            rows.clear()

    for t in dataset.generate(count, today=today):
        n, slug = t["number"], t["agency"]
        agency, status = agencies[slug], STATUS[t["status"]]
        text = f"{t['subject']}. {t['description']}"
        journals = t["journals"]
        tasks.append(Task(
            id=n, notice=notices[slug], path=str(n), position=n, text=text, search_key=task_search_key(text, str(n)),
            deadline_kind="date", deadline_due=t["due_date"], original_deadline_due=t["due_date"],
            deadline_text=f"trước ngày {t['due_date']:%d/%m/%Y}", status=status, progress=t["done_ratio"],
            completed_on=t["closed_at"].date() if t["closed_at"] else None,
            last_report_at=aware(journals[-1]["at"]) if journals else None,
            created_at=aware(t["created_at"]), updated_at=aware(t["updated_at"])))
        assignments.append(TaskAssignment(task_id=n, agency=agency, role="lead", assigned_name=agency.name))
        events.append(TaskEvent(task_id=n, kind=TaskEventKind.CREATED, actor=office, at=aware(t["created_at"]),
                                summary="Tạo nhiệm vụ"))
        previous = t["created_at"]
        for j in journals:
            at = aware(j["at"])
            reports.append(ProgressReport(
                task_id=n, agency=agency, author=focal[slug], period_start=min(previous.date(), j["at"].date()),
                period_end=j["at"].date(), text=j["notes"], percent=j["done_ratio"], claimed_status=STATUS[j["to"]],
                state="accepted", submitted_at=at))
            events.append(TaskEvent(task_id=n, kind=TaskEventKind.REPORT_SUBMITTED, actor=focal[slug], at=at,
                                    summary=f"Báo cáo tiến độ {j['done_ratio']}%: {j['notes']}"))
            previous = j["at"]
        expected["total"] += 1
        expected["reports"] += len(journals)
        if status != "done":
            expected["open"] += 1
            expected["due_le_today_open"] += t["due_date"] <= today
            if slug == first_slug:
                expected["agency_open"] += 1
                if len(focal_tasks) < 500:
                    focal_tasks.append(n)
        if sample_task is None and slug == first_slug and len(journals) == 3:
            sample_task = n
        if len(tasks) >= batch_size:
            flush()
    flush()
    created_field.auto_now_add, updated_field.auto_now = True, True
    with connection.cursor() as cursor:
        # on PostgreSQL also VACUUM, as autovacuum does on a live database minutes after a bulk load (its insert
        # threshold): it sets the visibility map that index-only scans need (monitoring_scale.py does the same)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    loaded_s = time.monotonic() - started
    got = {
        "total": Task.objects.count(),
        "open": Task.objects.exclude(status="done").count(),
        "due_le_today_open": Task.objects.exclude(status="done").filter(deadline_due__lte=today).count(),
        "agency_open": Task.objects.exclude(status="done").filter(assignments__agency=agencies[first_slug]).count(),
        "reports": ProgressReport.objects.count(),
    }
    client = Client()
    client.force_login(office)
    session = client.cookies["sessionid"].value
    size = database_size(connection)
    connection.close()
    return {"office_token": office_token, "focal_token": focal_token, "session": session,
            "agency_id": agencies[first_slug].pk, "agency_slug": first_slug, "sample_task": sample_task,
            "focal_tasks": focal_tasks, "expected": expected, "got": got, "loaded_s": loaded_s, "db_bytes": size}


def database_size(connection) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


# ---------------------------------------------------------------------------------------------------------------------
# wrk
# ---------------------------------------------------------------------------------------------------------------------

WRK_POST = r"""
local n = 0
local ids = IDS
request = function()
  n = n + 1
  local id = ids[(n - 1) % #ids + 1]
  return wrk.format(METHOD, string.format(PATH, id), HEADERS, string.format(BODY, n, n % 100))
end
"""


def lua(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    return json.dumps(value, ensure_ascii=False)


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, *, headers: dict, seconds: int, warmup: int, threads: int, connections: int,
            script: str | None, workdir: Path, cpu_of: int | None = None, db_cpu: bool = False) -> dict:
    args = ["wrk", f"-t{threads}", f"-c{connections}", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if script:
        path = workdir / f"wrk-{time.monotonic_ns()}.lua"
        path.write_text(script, encoding="utf-8")
        args += ["-s", str(path)]
    if warmup:
        subprocess.run([*args, f"-d{warmup}s", url], capture_output=True, text=True, timeout=warmup + 60)
    cpu_before = cpu_seconds(cpu_of) if cpu_of else 0.0
    db_before = postgres_cpu_seconds() if db_cpu else 0.0
    out = subprocess.run([*args, f"-d{seconds}s", "--latency", url], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    cpu_used = cpu_seconds(cpu_of) - cpu_before if cpu_of else float("nan")
    db_used = postgres_cpu_seconds() - db_before if db_cpu else 0.0
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
              "errors": 0}
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] = sum(int(x) for x in m.groups())
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        result[f"p{pct}"] = to_ms(m.group(1)) if m else float("nan")
    # a refused or failed request is not a request served: ratios compare the 2xx answers per second
    answered = max(result["requests"] - result["non2xx"] - result["errors"], 0)
    result["ok_rps"] = result["rps"] * answered / result["requests"] if result["requests"] else 0.0
    result["cpu_ms"] = cpu_used * 1000 / result["requests"] if result["requests"] else float("nan")
    result["db_cpu_ms"] = db_used * 1000 / result["requests"] if result["requests"] else float("nan")
    return result


def probe(base: str, path: str, headers: dict, method: str = "GET", body: str | None = None) -> tuple[int, int]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    conn.request(method, path, body=body.encode() if body else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, len(data)


def family(pid: int) -> list[int]:
    """A server's master process and its workers."""
    pids = [pid]
    try:
        pids += [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                                                text=True).stdout.split()]
    except OSError:
        pass
    return pids


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a server's master and workers: on a shared machine the CPU each
    request cost is a fairer figure than the wall clock. On SQLite it includes the database's work (in process);
    on PostgreSQL the database server's processes are measured apart (``postgres_cpu_seconds``)."""
    ticks = 0
    for p in family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        if p == pid:  # the master's reaped workers (gunicorn restarts one every ~2,000 requests): cutime, cstime
            ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time (user + system) of the local PostgreSQL server's processes, the backends that exited included (the
    postmaster's reaped children): on PostgreSQL, the database's share of each request's cost. (Any other client
    of the same server during the run is counted too: run nothing else.)"""
    ticks = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() not in ("postgres", "postmaster"):
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
        if fields[1] == "1":  # the postmaster (its parent is init): the backends it reaped
            ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> tuple[int, int]:
    """Resident memory (MiB) of a process and its children, and how many processes."""
    pids = family(pid)
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total // 1024, len(pids)


# ---------------------------------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 22),
                        help="the data set's reference date (the harness's TODAY)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads-wrk", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads (default: gunicorn.conf.py)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redmine-url", default="http://127.0.0.1:3100")
    parser.add_argument("--redmine-dir", default="/opt/redmine-peer", help="the harness copy holding run/")
    parser.add_argument("--skip-redmine", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--no-history", action="store_true", help="load without audit history (size comparison)")
    parser.add_argument("--data-dir", default="", help="keep the SQLite data (or, with --database-url, "
                        "the PostgreSQL database, not dropped) and reuse it (migrated, not reloaded) on the next run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    harness = Path(args.redmine_dir)
    sys.path.insert(0, str(harness if (harness / "dataset.py").exists() else SHARED_HARNESS))
    import dataset

    keep = bool(args.data_dir)
    data_dir = Path(args.data_dir).resolve() if keep else Path(tempfile.mkdtemp(prefix="nq57-vs-redmine-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nq57.settings", "NQ57_DATA_DIR": str(data_dir), "DEBUG": "0",
           "API_RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING", "HUEY_IMMEDIATE": "0"}
    for key in ("REDIS_URL", "DATABASE_URL"):
        env.pop(key, None)
    saved = data_dir / "vs_redmine.json"
    reuse = keep and saved.exists()  # --data-dir keeps the loaded data (and the PostgreSQL database) for another run
    if args.database_url:
        env["DATABASE_URL"] = args.database_url if reuse else pg_database(args.database_url)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    redmine = None
    if not args.skip_redmine:
        run = harness / "run"
        params = dict(line.split("=", 1) for line in (run / "bench_params.env").read_text().split())
        if params["TODAY"] != args.today.isoformat() or int(params["COUNT"]) != args.count:
            raise SystemExit(f"Redmine holds count={params['COUNT']} today={params['TODAY']}: load it with "
                             f"TODAY={args.today} COUNT={args.count} python3 load.py, or pass the same --today/--count")
        redmine = {"key": (run / "api_key").read_text().strip(), "pid": int((run / "puma.pid").read_text()),
                   "agency": params["AGENCY"], "issue": int(params["ISSUE_ID"])}

    print(f"loading {args.count:,} tasks (today={args.today}) into "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}...", flush=True)
    if reuse:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        info = json.loads(saved.read_text())
        print("reusing the data set loaded earlier in --data-dir", flush=True)
    else:
        info = load(dataset, count=args.count, today=args.today, history=not args.no_history)
    if "reader_session" not in info:
        info["reader_session"] = reader_session()
    if keep:
        saved.write_text(json.dumps(info))
    ok = info["got"] == info["expected"]
    print(f"loaded in {info['loaded_s']:.1f} s ({args.count / info['loaded_s']:,.0f} tasks/s, with history: "
          f"{not args.no_history}); database {info['db_bytes'] / 2**20:.0f} MiB; counts "
          + ", ".join(f"{k}={info['got'][k]} (expected {info['expected'][k]})" for k in info["expected"])
          + ("  OK" if ok else "  MISMATCH"), flush=True)
    if redmine and redmine["issue"] != info["sample_task"]:
        print(f"note: Redmine's sample issue {redmine['issue']} != nq57's {info['sample_task']}", flush=True)
    task = redmine["issue"] if redmine else info["sample_task"]
    today = args.today.isoformat()

    port = free_port()
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "nq57.wsgi", "-b", f"127.0.0.1:{port}",
                "--log-level", "warning"]
    if args.workers:
        gunicorn += ["-w", str(args.workers)]
    if args.threads:
        gunicorn += ["--threads", str(args.threads)]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if probe(base, "/healthz", {})[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        html = {"Cookie": f"sessionid={info['reader_session']}"}  # a leader: reads all, like Redmine's anonymous
        office_html = {"Cookie": f"sessionid={info['session']}"}
        api = {"Authorization": f"Bearer {info['office_token']}"}
        agency, slug = info["agency_id"], info["agency_slug"]
        rkey = {"X-Redmine-API-Key": redmine["key"]} if redmine else {}
        # name: (nq57 path, headers), (redmine path, headers)
        pairs = {
            "agency_open_by_due_html": ((f"/tasks/?agency={agency}&status=open&sort=due", html),
                                        (f"/projects/{slug}/issues?set_filter=1&status_id=o&sort=due_date"
                                         "&per_page=50", {})),
            "agency_open_by_due_api": ((f"/api/v1/tasks?agency={agency}&status=open&sort=due&page_size=50", api),
                                       (f"/issues.json?limit=50&project_id={slug}&status_id=open&sort=due_date",
                                        rkey)),
            "open_due_by_date_html": ((f"/tasks/?status=open&due_to={today}&sort=due", html),
                                      ("/issues?set_filter=1&f[]=status_id&op[status_id]=o&f[]=due_date"
                                       f"&op[due_date]=%3C%3D&v[due_date][]={today}&sort=due_date&per_page=50", {})),
            "open_due_by_date_api": ((f"/api/v1/tasks?status=open&due_to={today}&page_size=50", api),
                                     (f"/issues.json?limit=50&due_date=%3C%3D{today}&status_id=open", rkey)),
            "task_with_history_html": ((f"/tasks/{task}/", html), (f"/issues/{task}", {})),
            # the task's audit trail (every field before -> after), on its own page since issue 11; Redmine shows its
            # journals' details on the issue page
            "task_change_log_html": ((f"/tasks/{task}/changes/", html), (f"/issues/{task}", {})),
            # the same page as the Standing Office sees it, with its edit forms (Redmine still anonymous)
            "task_page_html_as_office": ((f"/tasks/{task}/", office_html), (f"/issues/{task}", {})),
            "task_api": ((f"/api/v1/tasks/{task}", api), (f"/issues/{task}.json?include=journals", rkey)),
            "task_reports_api": ((f"/api/v1/tasks/{task}/reports", api),
                                 (f"/issues/{task}.json?include=journals", rkey)),
            "overview_html": (("/", html), (f"/projects/{slug}/issues/report", {})),
            "dashboard_html": (("/dashboard/", html), (f"/projects/{slug}/issues/report", {})),
            "agency_page_html": ((f"/agencies/{agency}/", html), (f"/projects/{slug}/issues/report", {})),
        }
        report_body = json.dumps({"period_start": today, "period_end": today, "text": "Báo cáo tiến độ số %d",
                                  "percent": 0, "claimed_status": "open"}, ensure_ascii=False)
        report_body = report_body.replace('"percent": 0', '"percent": %d')
        nq_post = WRK_POST.replace("IDS", lua(info["focal_tasks"][:200])).replace("METHOD", '"POST"') \
            .replace("PATH", lua("/api/v1/tasks/%d/reports")) \
            .replace("HEADERS", lua({"Authorization": f"Bearer {info['focal_token']}",
                                     "Content-Type": "application/json"})) \
            .replace("BODY", lua(report_body))
        rm_body = json.dumps({"issue": {"notes": "Báo cáo tiến độ số %d", "done_ratio": 0}}, ensure_ascii=False) \
            .replace('"done_ratio": 0', '"done_ratio": %d')
        rm_post = WRK_POST.replace("IDS", lua(info["focal_tasks"][:200])).replace("METHOD", '"PUT"') \
            .replace("PATH", lua("/issues/%d.json")) \
            .replace("HEADERS", lua({**rkey, "Content-Type": "application/json"})).replace("BODY", lua(rm_body))
        pairs["report_written_api"] = (("/", {}, nq_post), ("/", {}, rm_post))
        if args.only:
            pairs = {k: v for k, v in pairs.items() if k in args.only.split(",")}

        print("single requests (status, bytes):", flush=True)
        for name, (mine, theirs) in pairs.items():
            line = f"  {name:<26} nq57 {base}{mine[0]} -> {probe(base, mine[0], mine[1]) if len(mine) == 2 else '-'}"
            if redmine:
                line += (f"; redmine {theirs[0]} -> "
                         f"{probe(args.redmine_url, theirs[0], theirs[1]) if len(theirs) == 2 else '-'}")
            print(line, flush=True)
        mem_before = {"nq57": rss_mib(server.pid), "redmine": rss_mib(redmine["pid"]) if redmine else None}
        print(f"gunicorn: {' '.join(gunicorn[1:])} (+ gunicorn.conf.py); wrk -t{args.threads_wrk} "
              f"-c{args.connections}, {args.duration} s per run (+{args.warmup} s warm-up), {args.rounds} rounds; "
              f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        results: dict[str, dict[str, list]] = {name: {"nq57": [], "redmine": []} for name in pairs}
        for round_no in range(args.rounds):
            for name, (mine, theirs) in pairs.items():
                order = [("nq57", base, mine), ("redmine", args.redmine_url, theirs)]
                if not redmine:
                    order = order[:1]
                if round_no % 2:
                    order.reverse()
                for system, url, (path, headers, *script) in order:
                    pid = server.pid if system == "nq57" else redmine["pid"]
                    result = run_wrk(url + path, headers=headers, seconds=args.duration, warmup=args.warmup,
                                     threads=args.threads_wrk, connections=args.connections,
                                     script=script[0] if script else None, workdir=data_dir, cpu_of=pid,
                                     db_cpu=bool(args.database_url) and system == "nq57")
                    results[name][system].append(result)
                    print(f"  round {round_no + 1} {name:<26} {system:<7} {result['rps']:8.1f} req/s  "
                          f"({result['ok_rps']:.1f} answered 2xx)  "
                          f"p50 {result['p50']:7.1f} ms  p90 {result['p90']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
                          f"non2xx {result['non2xx']}  errors {result['errors']}  "
                          f"server CPU {result['cpu_ms']:.1f} ms/request"
                          + (f" + PostgreSQL {result['db_cpu_ms']:.1f} ms" if result["db_cpu_ms"] else ""),
                          flush=True)
        mem_after = {"nq57": rss_mib(server.pid), "redmine": rss_mib(redmine["pid"]) if redmine else None}
        print(f"\n==== summary ({'PostgreSQL' if args.database_url else 'SQLite'}, {args.count:,} tasks; median "
              f"of {args.rounds} rounds; ratio = nq57 / Redmine answers (2xx) per second; "
              "CPU ratio = Redmine's server CPU per request / nq57's"
          + (", nq57's PostgreSQL processes included" if args.database_url else "") + ")")
        print(f"{'page/call':<26} {'nq57 req/s':>10} {'p50':>7} {'p99':>7} {'redmine':>8} {'p50':>7} {'p99':>7} "
              f"{'ratio':>6}  {'errors nq/rm':>13}  CPU ms/request nq57 redmine  CPU ratio")
        worst = None
        for name, systems in results.items():
            def med(rows, key):
                values = sorted(r[key] for r in rows)
                if not values:
                    return float("nan")
                middle = len(values) // 2
                return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

            mine, theirs = systems["nq57"], systems["redmine"]
            mine_cpu = med(mine, "cpu_ms") + med(mine, "db_cpu_ms")  # on PostgreSQL its processes' CPU too
            theirs_rps = med(theirs, "ok_rps") if theirs else float("nan")
            ratio = (med(mine, "ok_rps") / theirs_rps if theirs_rps else float("inf")) if theirs else float("nan")
            worst = ratio if worst is None or ratio < worst else worst
            errors = (f"{sum(r['non2xx'] + r['errors'] for r in mine)}/"
                      f"{sum(r['non2xx'] + r['errors'] for r in theirs) if theirs else '-'}")
            print(f"{name:<26} {med(mine, 'ok_rps'):10.1f} {med(mine, 'p50'):7.1f} {med(mine, 'p99'):7.1f} "
                  f"{med(theirs, 'ok_rps'):8.1f} {med(theirs, 'p50'):7.1f} {med(theirs, 'p99'):7.1f} {ratio:6.2f}  "
                  f"{errors:>13}  {mine_cpu:7.1f} {med(theirs, 'cpu_ms'):7.1f}  "
                  f"{med(theirs, 'cpu_ms') / mine_cpu if theirs else float('nan'):6.2f}")
        print(f"lowest ratio: {worst:.2f}" if worst is not None else "lowest ratio: - (no pair measured)")
        print(f"memory RSS MiB (processes): nq57 {mem_before['nq57']} -> {mem_after['nq57']}"
              + (f"; redmine {mem_before['redmine']} -> {mem_after['redmine']}" if redmine else ""))
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.database_url and not keep:
            from django.db import connections

            connections.close_all()
            pg_database(args.database_url, drop_only=True)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
