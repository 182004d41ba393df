"""Duplicate suggestion measured on a labelled set written for the purpose (``bench/data/intake_labelled.jsonl``:
310 short submissions; 100 of them are rewrites of an earlier one - other words, sometimes typed without diacritics
or with the other tone-mark placement, marked ``"d": <id of the original>``; the rest include near misses on the same
topics). Each submission in turn is compared with every earlier one, as when it arrives at the office's queue:

* ours: ``search.selectors.similar`` (full text over the rarest words and word pairs, TF-IDF re-ranking);
* baseline: plain keywords - the lower-cased words as typed (no Unicode normalisation, no folding of diacritics, no
  weights), cosine of the two word sets.

Prints recall of the top 3 (a submission with an earlier duplicate has one in its top 3), and precision / recall of
the suggestions shown (top 3 at or above a score threshold: the service's ``DUPLICATE_SCORE`` for ours, and for both
the threshold with the best F1).

    .venv/bin/python bench/intake_duplicates.py
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_scale import prepare_environment  # noqa: E402

DATA = ROOT / "bench" / "data" / "intake_labelled.jsonl"
KIND = "bench.duplicate"


def load() -> list[dict]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: r["id"])
    return rows


def keyword_top(rows_before: list[dict], row: dict, k: int = 3) -> list[tuple[int, float]]:
    def words(r):
        return set(re.findall(r"\w+", f"{r['t']} {r['c']}".lower()))

    mine = words(row)
    scored = []
    for other in rows_before:
        theirs = words(other)
        common = len(mine & theirs)
        if common:
            scored.append((common / math.sqrt(len(mine) * len(theirs)), other["id"]))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(oid, score) for score, oid in scored[:k]]


def evaluate(name: str, rankings: dict[int, list[tuple[int, float]]], rows: list[dict], thresholds) -> dict:
    cluster = {r["id"]: r.get("d") or r["id"] for r in rows}
    seen: set[int] = set()
    has_earlier = {}
    for r in rows:
        has_earlier[r["id"]] = any(cluster[o] == cluster[r["id"]] for o in seen)
        seen.add(r["id"])
    positives = sum(has_earlier.values())
    found3 = sum(1 for rid, hits in rankings.items()
                 if has_earlier[rid] and any(cluster[o] == cluster[rid] for o, _ in hits))
    top1 = sum(1 for rid, hits in rankings.items() if has_earlier[rid] and hits and cluster[hits[0][0]] == cluster[rid])
    out = {"name": name, "positives": positives, "recall@3": found3 / positives, "top1": top1 / positives}
    best = None
    for t in thresholds:
        shown = [(rid, o) for rid, hits in rankings.items() for o, s in hits if s >= t]
        right = sum(1 for rid, o in shown if cluster[o] == cluster[rid])
        found = len({rid for rid, o in shown if cluster[o] == cluster[rid]})
        p = right / len(shown) if shown else 1.0
        rc = found / positives
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        row = (f1, t, p, rc, len(shown))
        out.setdefault("by_threshold", {})[t] = row
        if best is None or f1 > best[0]:
            best = row
    out["best"] = best
    return out


def main() -> None:
    prepare_environment(None)
    import django

    django.setup()
    from django.core.management import call_command

    from nq57.intake.services import DUPLICATE_SCORE
    from nq57.search import selectors, services

    call_command("migrate", verbosity=0)
    rows = load()
    ours, baseline = {}, {}
    before: list[dict] = []
    for r in rows:
        text = f"{r['t']}\n{r['c']}"
        ours[r["id"]] = [(h.object_id, h.score) for h in selectors.similar(KIND, text, limit=3, passages=False)]
        baseline[r["id"]] = keyword_top(before, r)
        services.entry_index(kind=KIND, object_id=r["id"], title=r["t"], text=r["c"])
        before.append(r)
    grid = [round(0.05 * i, 2) for i in range(1, 19)]
    for result in (evaluate("ours (search.similar)", ours, rows, sorted({*grid, DUPLICATE_SCORE})),
                   evaluate("keyword baseline", baseline, rows, grid)):
        print(f"{result['name']}: {len(rows)} submissions, {result['positives']} with an earlier duplicate")
        print(f"  recall of the top 3 (no threshold): {result['recall@3']:.3f}; top 1: {result['top1']:.3f}")
        if result["name"].startswith("ours"):
            f1, t, p, rc, n = result["by_threshold"][DUPLICATE_SCORE]
            print(f"  shown at the service threshold {t}: precision {p:.3f}, recall {rc:.3f}, F1 {f1:.3f} "
                  f"({n} suggestions)")
        f1, t, p, rc, n = result["best"]
        print(f"  best threshold {t}: precision {p:.3f}, recall {rc:.3f}, F1 {f1:.3f} ({n} suggestions)")


if __name__ == "__main__":
    main()
