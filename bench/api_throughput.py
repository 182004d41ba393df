"""API throughput: task listing (50 tasks a page with their agencies) and report submission, served by gunicorn.

    .venv/bin/python bench/api_throughput.py [--tasks 100000] [--workers 4] [--clients 16] [--requests 3000]
                                             [--reports 600] [--database-url postgres://postgres@127.0.0.1:5432/nq57]
                                             [--client wrk|python] [--worker-class sync] [--threads 1]

Builds a throwaway database (SQLite in a temporary NQ57_DATA_DIR; with --database-url a new database created next to
the one named, dropped afterwards), fills it with --tasks tasks (two agencies each), serves the app as in production
(``gunicorn nq57.wsgi -w 4 -b 127.0.0.1:PORT``) and drives it on loopback with --clients concurrent connections,
authenticated with API tokens. Prints requests/second and latency percentiles.

The client shares the machine's cores with the server, so it should cost as little as possible: by default ``wrk``
(Debian package ``wrk``; one thread, a Lua script picks the page / builds the report, sets the headers and counts
statuses) runs each phase for as long as --requests (or --reports) take; without wrk, or with --client python, a pool
of http.client threads sends exactly that many requests.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_database(url: str, name: str, *, drop: bool) -> str:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def build(n_tasks: int) -> dict:
    """Migrate and fill the database (runs in this process, settings from the environment)."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from nq57.agencies.models import Agency, AgencyKind
    from nq57.api.services import token_create
    from nq57.core.testing import make_focal_point, make_office
    from nq57.notices.models import Notice
    from nq57.tasks.models import Task, TaskAssignment, task_search_key
    from nq57.taxonomy.models import Programme

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    with transaction.atomic():
        agencies = [Agency.objects.create(name=f"Bộ thử nghiệm số {i}", kind=AgencyKind.MINISTRY) for i in range(60)]
        programme = Programme.objects.filter(is_default=True).first() or Programme.objects.create(
            code="57-NQ/TW", name="Nghị quyết 57-NQ/TW", is_default=True)
        notices = [Notice.objects.create(programme=programme, number=f"{i}-TB/BENCH", issued_on=dt.date(2025, 1, 1)
                                         + dt.timedelta(days=i)) for i in range(200)]
        # roles are memberships (accounts.Membership): the Standing Office's office role, a focal point of agency 0
        office = make_office("bench-office")
        focal = make_focal_point("bench-focal", agencies[0])
        rng = random.Random(57)
        batch = 5000
        for start in range(0, n_tasks, batch):
            rows = []
            for i in range(start, min(n_tasks, start + batch)):
                text = f"Nhiệm vụ thử nghiệm số {i}: xây dựng cơ chế chia sẻ dữ liệu khoa học và công nghệ"
                path = f"{i % 9 + 1}.{i}"
                due = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
                rows.append(Task(notice=notices[i % len(notices)], path=path, position=i, text=text,
                                 deadline_kind="date", deadline_due=due, original_deadline_due=due,
                                 deadline_text=f"trước ngày {due:%d/%m/%Y}", search_key=task_search_key(text, path)))
            Task.objects.bulk_create(rows, batch_size=1000)
        ids = list(Task.objects.order_by("id").values_list("id", flat=True))
        assignments = []
        for index, task_id in enumerate(ids):
            lead = agencies[index % len(agencies)]
            partner = agencies[(index * 7 + 1) % len(agencies)]
            assignments.append(TaskAssignment(task_id=task_id, agency=lead, role="lead", assigned_name=lead.name))
            if partner != lead:
                assignments.append(TaskAssignment(task_id=task_id, agency=partner, role="coordinating",
                                                  assigned_name=partner.name))
        TaskAssignment.objects.bulk_create(assignments, batch_size=2000)
        _, office_token = token_create(user=office, name="bench")
        _, focal_token = token_create(user=focal, name="bench")
    focal_tasks = [ids[i] for i in range(0, len(ids), len(agencies))][:5000]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    print(f"built {len(ids)} tasks, {len(assignments)} assignments in {time.monotonic() - started:.1f} s", flush=True)
    return {"office": office_token, "focal": focal_token, "focal_tasks": focal_tasks, "pages": len(ids) // 50}


def drive(port: int, n_requests: int, clients: int, make_request) -> tuple[float, list[float], dict]:
    """Run ``n_requests`` requests from ``clients`` threads; return elapsed seconds, latencies (ms), status counts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(n_requests))

    def worker(seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            method, path, body, headers = make_request(rng, index)
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, statuses


def report(label: str, elapsed: float, latencies: list[float], statuses: dict) -> None:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    print(f"{label}: {len(latencies)} requests in {elapsed:.1f} s = {len(latencies) / elapsed:.0f} req/s; "
          f"latency ms p50 {pct(50):.1f} p90 {pct(90):.1f} p99 {pct(99):.1f} max {ordered[-1]:.1f} "
          f"(mean {statistics.mean(ordered):.1f}); statuses {dict(sorted(statuses.items()))}", flush=True)


WRK_COMMON = r"""
statuses = {}  -- per wrk thread; collected by done() through thread:get
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(counts) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  io.write(string.format('WRK-RESULT {"requests": %d, "duration_us": %d, "socket_errors": %d, '
    .. '"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %f, "statuses": {%s}}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
"""

WRK_LIST = r"""
wrk.headers["Authorization"] = AUTHORIZATION
math.randomseed(57)
request = function()
  return wrk.format("GET", "/api/v1/tasks?page=" .. math.random(1, PAGES) .. "&page_size=50")
end
"""

WRK_REPORT = r"""
local tasks = TASKS
local n = 0
math.randomseed(71)
request = function()
  n = n + 1
  local body = string.format(BODY, n, math.random(0, 100))
  local task = tasks[(n - 1) % #tasks + 1]
  local headers = {["Authorization"] = AUTHORIZATION, ["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = KEY .. n}  -- wrk.format's own headers replace wrk.headers
  return wrk.format("POST", "/api/v1/tasks/" .. task .. "/reports", headers, body)
end
"""


class CpuMeter:
    """CPU seconds spent by the gunicorn processes, by this benchmark's PostgreSQL backends and by the client (wrk,
    or this process's threads), from /proc: a per-request cost that other jobs on a shared machine do not distort
    as much as requests/second (Linux; zeros elsewhere)."""

    def __init__(self, server_pid: int, pg_name: str | None, client: str):
        self.server_pid, self.pg_name, self.client = server_pid, pg_name, client
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _proc_cpu(self) -> tuple[float, float]:
        app = db = 0.0
        for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            cpu = (int(fields[11]) + int(fields[12])) / self.tick
            if int(entry.name) == self.server_pid or int(fields[1]) == self.server_pid:
                app += cpu
            elif self.pg_name and cmdline.startswith("postgres: ") and f" {self.pg_name} " in cmdline:
                db += cpu
        return app, db

    def sample(self) -> tuple[float, float, float]:
        import resource

        app, db = self._proc_cpu()
        if self.client == "wrk":
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        else:
            usage = resource.getrusage(resource.RUSAGE_SELF)
        return app, db, usage.ru_utime + usage.ru_stime

    @staticmethod
    def line(before: tuple, after: tuple, requests: int) -> str:
        app, db, client = ((b - a) * 1000 / max(requests, 1) for a, b in zip(before, after, strict=True))
        cores = os.cpu_count() or 1
        return (f"  CPU per request: app {app:.1f} ms + database {db:.1f} ms + client {client:.1f} ms "
                f"-> at most ~{cores * 1000 / max(app + db + client, 0.01):.0f} req/s on {cores} idle cores")


def lua_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # quotes and backslashes escaped as Lua reads them; UTF-8 as is


def drive_wrk(port: int, seconds: float, clients: int, script: str, workdir: Path) -> tuple[float, dict]:
    """Run wrk (one thread, ``clients`` connections) for ``seconds`` with ``script``; return (req/s, its summary)."""
    path = workdir / f"wrk-{time.monotonic_ns()}.lua"
    path.write_text(script + WRK_COMMON, encoding="utf-8")
    out = subprocess.run(["wrk", "-t", "1", "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--timeout", "60s",
                          "-s", str(path), f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK-RESULT "))
    result = json.loads(line.removeprefix("WRK-RESULT "))
    return result["requests"] / (result["duration_us"] / 1e6), result


def report_wrk(label: str, rate: float, result: dict) -> None:
    statuses = {int(k): v for k, v in result["statuses"].items()}
    if result["socket_errors"]:
        statuses[0] = result["socket_errors"]
    print(f"{label}: {result['requests']} requests in {result['duration_us'] / 1e6:.1f} s = {rate:.0f} req/s; "
          f"latency ms p50 {result['p50'] / 1000:.1f} p90 {result['p90'] / 1000:.1f} p99 {result['p99'] / 1000:.1f} "
          f"max {result['max'] / 1000:.1f} (mean {result['mean'] / 1000:.1f}); "
          f"statuses {dict(sorted(statuses.items()))} [wrk]", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000, help="task-list requests")
    parser.add_argument("--reports", type=int, default=600, help="report submissions")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python",
                        help="load generator (default: wrk when installed)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn --worker-class (sync, gthread)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn --threads (with gthread)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="nq57-bench-api-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nq57.settings", "NQ57_DATA_DIR": str(data_dir), "DEBUG": "0",
           "API_RATE_LIMIT_PER_MINUTE": "1000000000", "LOG_LEVEL": "WARNING", "HUEY_IMMEDIATE": "0"}
    env.pop("REDIS_URL", None)
    pg_name = f"nq57_bench_{os.getpid()}"
    if args.database_url:
        env["DATABASE_URL"] = pg_database(args.database_url, pg_name, drop=False)
    else:
        env.pop("DATABASE_URL", None)
    os.environ.update(env)
    for key in ("DATABASE_URL",):
        if key not in env:
            os.environ.pop(key, None)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        info = build(args.tasks)
        port = free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        server = subprocess.Popen([gunicorn, "nq57.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                                   "--worker-class", args.worker_class, "--threads", str(args.threads),
                                   "--log-level", "warning"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        print(f"gunicorn -w {args.workers} --worker-class {args.worker_class} --threads {args.threads} on "
              f"127.0.0.1:{port}, {args.clients} concurrent connections from "
              f"{'wrk -t 1' if args.client == 'wrk' else 'http.client threads'}, "
              f"{'PostgreSQL' if args.database_url else 'SQLite'}, {os.cpu_count()} CPUs, "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

        office = {"Authorization": f"Bearer {info['office']}"}
        pages = max(1, min(info["pages"], 100))  # the first 5,000 tasks; deep pages are what ?cursor= is for

        def list_request(rng, index):
            return "GET", f"/api/v1/tasks?page={rng.randint(1, pages)}&page_size=50", None, office

        focal = {"Authorization": f"Bearer {info['focal']}", "Content-Type": "application/json"}
        today = time.strftime("%Y-%m-%d")

        def report_request(rng, index):
            task_id = info["focal_tasks"][index % len(info["focal_tasks"])]
            body = json.dumps({"period_start": today, "period_end": today, "text": f"Báo cáo tiến độ số {index}",
                               "percent": rng.randint(0, 100), "claimed_status": "partly_done"})
            return "POST", f"/api/v1/tasks/{task_id}/reports", body, {**focal, "Idempotency-Key": f"bench-{index}"}

        drive(port, 200, args.clients, list_request)  # warm-up: every worker loaded and connected
        list_label, report_label = "task list (50/page, with agencies)", "report submission"
        meter = CpuMeter(server.pid, pg_name if args.database_url else None, args.client)
        if args.client == "python":
            for label, count, make in ((list_label, args.requests, list_request),
                                       (report_label, args.reports, report_request)):
                before = meter.sample()
                elapsed, latencies, statuses = drive(port, count, args.clients, make)
                report(label, elapsed, latencies, statuses)
                print(meter.line(before, meter.sample(), len(latencies)), flush=True)
            return 0
        # wrk: run each phase about as long as the request count takes at the rate a short probe measures
        list_script = (WRK_LIST.replace("AUTHORIZATION", lua_string(office["Authorization"]))
                       .replace("PAGES", str(pages)))
        probe, _ = drive_wrk(port, 2, args.clients, list_script, data_dir)
        before = meter.sample()
        rate, result = drive_wrk(port, args.requests / max(probe, 1), args.clients, list_script, data_dir)
        report_wrk(list_label, rate, result)
        print(meter.line(before, meter.sample(), result["requests"]), flush=True)
        body = json.dumps({"period_start": today, "period_end": today, "text": "Báo cáo tiến độ số %d",
                           "percent": 0, "claimed_status": "partly_done"}).replace('"percent": 0', '"percent": %d')
        report_script = (WRK_REPORT.replace("AUTHORIZATION", lua_string(focal["Authorization"]))
                         .replace("TASKS", "{" + ", ".join(str(t) for t in info["focal_tasks"]) + "}")
                         .replace("BODY", lua_string(body)))
        probe, _ = drive_wrk(port, 1, args.clients, report_script.replace("KEY", '"probe-"'), data_dir)
        before = meter.sample()
        rate, result = drive_wrk(port, args.reports / max(probe, 1), args.clients,
                                 report_script.replace("KEY", '"bench-"'), data_dir)
        report_wrk(report_label, rate, result)
        print(meter.line(before, meter.sample(), result["requests"]), flush=True)
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.database_url:
            from django.db import connections

            connections.close_all()
            pg_database(args.database_url, pg_name, drop=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
