"""Extractor throughput: runs the extractor over the seed notices repeatedly in one process.

    .venv/bin/python bench/extract_throughput.py [--seconds 2] [SHARED_DIR]

Prints notices/second per document (and its size), overall, and the "seed-size" figure: the four seed notices
(8-21 KiB) together, without the 97 KiB action programme of the corpus. "overall" and "seed-size" are the rate of a
stream that contains each document once (documents / sum of the time per document), so a slow document weighs in
fully. Target: >= 100 notices/s of seed size on one core. The extractor is single-threaded pure Python, so every
figure is for one core.

Both wall-clock and CPU (process) time are reported: on a loaded machine the wall-clock figure drops while the CPU
figure stays close to what a dedicated core would do. Each document is run repeatedly, so the small caches of the
extractor (folded words and agency names, shared by all documents) are warm, as in a long-running server; no
per-document result is cached between runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nq57.extraction import extract_text  # noqa: E402


def _run(text: str, source: str, seconds: float) -> tuple[int, float, float]:
    """(runs, wall seconds, cpu seconds) of extracting *text* repeatedly for about *seconds*."""
    n = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall0 < seconds:
        extract_text(text, source=source)
        n += 1
    return n, time.perf_counter() - wall0, time.process_time() - cpu0


def _line(label: str, size: str, n: float, wall: float, cpu: float) -> str:
    return (f"{label:<32} {size:>10}  {n / wall:8.1f} notices/s  ({wall / n * 1000:6.1f} ms each)"
            f"  cpu {n / cpu:8.1f} notices/s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", nargs="?", default=str(ROOT.parent / "shared"))
    ap.add_argument("--seconds", type=float, default=2.0, help="time spent per document")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    seeds = sorted((shared / "seeds").glob("*.txt"))
    files = seeds + sorted((shared / "corpus").glob("*.txt"))
    if not files:
        print(f"no documents under {shared}", file=sys.stderr)
        return 1
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"single-threaded Python: one core (load average {load}, {os.cpu_count()} CPUs)")
    extract_text("Bộ Tài chính chủ trì, phối hợp với các bộ, ngành, địa phương.")  # warm caches
    totals = {"all": [0, 0.0, 0.0], "seed": [0, 0.0, 0.0]}  # documents, wall and cpu seconds per notice
    for f in files:
        text = f.read_text(encoding="utf-8")
        extract_text(text, source=f.name)  # first run outside the timing (imports, lazily built tables)
        n, wall, cpu = _run(text, f.name, args.seconds)
        for key in ("all", "seed") if f in seeds else ("all",):
            t = totals[key]
            t[0] += 1
            t[1] += wall / n
            t[2] += cpu / n
        print(_line(f.name, f"{len(text) / 1024:.1f} KiB", n, wall, cpu))
    print(_line("overall", "", *totals["all"]))
    if totals["seed"][0]:
        print(_line(f"seed-size ({len(seeds)} seeds)", "", *totals["seed"]) + "   target >= 100")
    return 0


if __name__ == "__main__":
    sys.exit(main())
