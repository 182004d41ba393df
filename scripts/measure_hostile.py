"""Measure reading each hostile file once: ``python scripts/measure_hostile.py FILE`` prints wall time, peak memory
(this process and its children) and the outcome. Run it under the code to compare (PYTHONPATH selects a checkout)."""

import resource
import sys
import threading
import time
from pathlib import Path


def read_xlsx(data: bytes):
    try:
        from nq57.exchange.sheet import read_first_sheet
    except ImportError:  # the code before the sheet reader: what excel_parse did, without the database lookups
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    return len(read_first_sheet(data))


def _watch(started: float) -> None:
    """Every 10 s, the peak resident size so far (a run killed by a time limit still tells how far it grew)."""
    while True:
        time.sleep(10)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"  … {time.monotonic() - started:.0f} s, peak RSS {peak} MB", file=sys.stderr, flush=True)


def main(path: str, sandboxed: bool) -> None:
    from nq57.extraction import extract_text, read_document

    data = Path(path).read_bytes()
    started = time.monotonic()
    threading.Thread(target=_watch, args=(started,), daemon=True).start()
    try:
        if path.endswith(".xlsx"):
            work, args = read_xlsx, (data,)
        else:
            def work(data, name):
                return len(extract_text(read_document(data, name))["tasks"])
            args = (data, Path(path).name)
        if sandboxed:
            from nq57.core.sandbox import run_limited

            outcome = f"ok: {run_limited(work if path.endswith('.xlsx') else _read_and_extract, *args)}"
        else:
            outcome = f"ok: {work(*args)}"
    except Exception as exc:  # noqa: BLE001 - reported as the outcome
        outcome = f"refused: {type(exc).__name__}: {str(exc)[:150]}"
    elapsed = time.monotonic() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{Path(path).name}\t{len(data)} B\t{elapsed:.1f} s\tpeak RSS {own} MB\t{outcome}")


def _read_and_extract(data, name):
    from nq57.extraction import extract_text, read_document

    return len(extract_text(read_document(data, name))["tasks"])


if __name__ == "__main__":
    main(sys.argv[1], "--sandbox" in sys.argv)
