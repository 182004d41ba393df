"""Run untrusted-input work (reading an uploaded document or workbook) in a child process with bounded memory, CPU
time and wall-clock time, so a hostile file can cost the web process nothing but a refusal.

Plain Python (no Django): the function given must be importable by name and must not touch the database. The child
is forked from a small fork server (``multiprocessing`` "forkserver" context), not from the web process, so it holds
no database connection or lock of the web process, and the address-space limit is counted from a small base.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time

from nq57.core.errors import ServiceError

logger = logging.getLogger(__name__)

DEFAULT_MEMORY_MB = 1024
DEFAULT_SECONDS = 60
REFUSAL = ("Tệp quá lớn hoặc quá phức tạp để đọc (vượt giới hạn {what} dành cho một tệp); hãy tách văn bản thành "
           "các tệp nhỏ hơn, hoặc lưu lại tệp từ phần mềm soạn thảo rồi tải lên lại.")
_context = None


def _mp_context():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # the fork server imports only this module, not the web process's __main__ (manage.py, gunicorn, pytest)
        _context.set_forkserver_preload(["nq57.core.sandbox"])
    return _context


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(conn, memory_mb: int, seconds: int, func, args, kwargs) -> None:
    try:
        base = _address_space_bytes()
    except OSError:  # pragma: no cover - non-Linux
        base = 0
    limit = base + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        result = func(*args, **kwargs)
        message = ("ok", result)
    except MemoryError:
        message = ("limit", "bộ nhớ")
    except ValueError as exc:  # ExtractionError and friends: a Vietnamese message for the user
        message = ("refused", str(exc))
    except ServiceError as exc:
        message = ("refused", exc.message)
    except BaseException as exc:  # noqa: BLE001 - anything else is reported to the parent, which logs it
        message = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("limit", "bộ nhớ"))
    finally:
        conn.close()


def run_limited(func, *args, memory_mb: int = DEFAULT_MEMORY_MB, seconds: int = DEFAULT_SECONDS,
                field: str | None = None, **kwargs):
    """``func(*args, **kwargs)`` run in a child process limited to *memory_mb* more address space and *seconds* of
    CPU and of wall-clock time. Returns its result; raises ServiceError (Vietnamese, on *field*) when the child ran
    out of memory or time, was killed, or refused the input with a ValueError."""
    ctx = _mp_context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, memory_mb, seconds, func, args, kwargs), daemon=True)
    started = time.monotonic()
    process.start()
    sender.close()
    try:
        # the wall-clock limit: a child sleeping or blocked uses no CPU but must not hold the request either
        if not receiver.poll(seconds + 2):
            logger.warning("sandbox: %s exceeded %s s wall-clock time, killed", func.__qualname__, seconds)
            raise ServiceError(REFUSAL.format(what="thời gian"), field=field)
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):  # killed by RLIMIT_CPU (SIGXCPU/SIGKILL) or crashed while out of memory
            process.join(5)
            what = "thời gian" if time.monotonic() - started >= seconds else "bộ nhớ"
            logger.warning("sandbox: %s died (exit code %s)", func.__qualname__, process.exitcode)
            raise ServiceError(REFUSAL.format(what=what), field=field) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if status == "ok":
        return payload
    if status == "refused":
        raise ServiceError(payload, field=field)
    if status == "limit":
        raise ServiceError(REFUSAL.format(what=payload), field=field)
    logger.error("sandbox: %s failed: %s", func.__qualname__, payload)
    raise ServiceError("Không đọc được tệp: nội dung tệp bị hỏng hoặc không đúng định dạng.", field=field)


def child_peak_memory_kb() -> int:
    """Largest resident size of any finished child of this process (for measurements)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


__all__ = ["run_limited", "child_peak_memory_kb", "REFUSAL"]
