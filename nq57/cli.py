"""The ``nq57`` command.

    nq57 up [--host H] [--port P] [--no-demo]   migrate, load demo data, start the web app and the job worker
    nq57 serve [--host H] [--port P] [--threads N]   web app only (waitress); production runs gunicorn (README)
    nq57 worker                         the Huey job worker (SQLite queue by default, Redis with REDIS_URL)
    nq57 extract PATH... [--format json|jsonl|table]   task extraction, no database needed
    nq57 <any manage.py command> ...     e.g. nq57 migrate, nq57 report ..., nq57 exchange export ...
"""

import os
import signal
import subprocess
import sys
import time


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nq57.settings")
    import django

    django.setup()


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from nq57.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="nq57")


def _option(argv: list[str], name: str, default: str) -> str:
    if name in argv:
        index = argv.index(name)
        if index + 1 < len(argv):
            return argv[index + 1]
    return default


def cmd_up(argv: list[str]) -> int:
    from django.core.management import call_command

    _django_setup()
    host, port = _option(argv, "--host", "127.0.0.1"), int(_option(argv, "--port", "8000"))
    call_command("migrate", interactive=False, verbosity=0)
    if "--no-demo" not in argv:
        call_command("load_demo", verbosity=1)
    worker = subprocess.Popen([sys.executable, "-m", "nq57.cli", "worker"])
    print(f"\nnq57 đang chạy tại http://{host}:{port}/  (Ctrl+C để dừng)\n", flush=True)

    def stop(*_):
        worker.terminate()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        _serve(host, port, 8)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0


def cmd_serve(argv: list[str]) -> int:
    _django_setup()
    _serve(_option(argv, "--host", "127.0.0.1"), int(_option(argv, "--port", "8000")),
           int(_option(argv, "--threads", "8")))
    return 0


def cmd_worker(argv: list[str]) -> int:
    from django.core.management import call_command

    _django_setup()
    while True:  # the consumer exits on SIGTERM/SIGINT; a crash is logged and it restarts
        try:
            call_command("run_huey", *argv)
            return 0
        except KeyboardInterrupt:
            return 0
        except Exception as exc:  # pragma: no cover - defensive restart loop
            print(f"nq57 worker: {exc!r}; khởi động lại sau 5 giây", file=sys.stderr, flush=True)
            time.sleep(5)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "extract":
        from nq57.extraction.cli import main as extract_main

        return extract_main(rest)
    if command == "up":
        return cmd_up(rest)
    if command == "serve":
        return cmd_serve(rest)
    if command == "worker":
        return cmd_worker(rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nq57.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nq57", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
