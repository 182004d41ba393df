"""Matching quality of the 3 Nhà hub on a labelled set: precision@5 and recall@10 of ``hub.matching`` against
plain keyword search.

    .venv/bin/python bench/hub_matching.py [--data bench/data/hub_matching.jsonl]

The set (``bench/data/hub_matching.jsonl``) was written for this purpose: 50 problems (đầu bài) and 200 results, short
realistic Vietnamese texts across the 11 strategic-technology groups. For each problem three results were written to
answer it, mostly in other words (paraphrase, the same need seen from another angle), and one distractor that shares
its words but not its need; a problem's ``relevant`` list was chosen by reading. The labels are never shown to the
matcher. Each item is posted through the real services (so the field, search index and the embedding job run as in
production) into a throwaway SQLite database; then, for every problem:

- ``hub``: ``matching.offers_for_problem`` (embeddings + words + field + TRL), and two ablations: without the
  embedding signal, and the embedding alone;
- ``keyword (title)``: the platform search (``search.selectors.search``) with the problem's title as the query;
- ``keyword (full text)``: the same search with the problem's whole public text (no entry holds every word, so it is
  an OR query ranked by BM25).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def prepare_environment() -> None:
    os.environ["NQ57_DATA_DIR"] = tempfile.mkdtemp(prefix="nq57-bench-")
    os.environ["NQ57_TESTING"] = "1"
    os.environ["HUEY_IMMEDIATE"] = "1"  # the embedding job runs when the post commits, as a worker would
    os.environ["HUB_POSTS_PER_HOUR"] = "100000"
    os.environ["DJANGO_SETTINGS_MODULE"] = "nq57.settings"
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)


def load(path: Path) -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["kind"] == "problem"], [r for r in rows if r["kind"] == "result"]


def post_all(problems: list[dict], results: list[dict]) -> tuple[dict, dict, float]:
    from nq57.agencies.models import Agency, AgencyKind
    from nq57.core.testing import UserFactory
    from nq57.hub import services
    from nq57.hub.roles import HUB_MEMBER
    from nq57.taxonomy.models import TechnologyField

    groups = {f.code: f for f in TechnologyField.objects.filter(version__is_current=True, parent__isnull=True)}
    problem_ids, result_ids = {}, {}
    started = time.perf_counter()
    for i, row in enumerate(problems):
        org = Agency.objects.create(name=f"Doanh nghiệp đặt hàng {i}", kind=AgencyKind.ENTERPRISE)
        user = UserFactory(username=f"dn{i}", memberships=[(org, HUB_MEMBER)])
        p = services.problem_create(actor=user, organisation=org, title=row["title"], summary=row["text"],
                                    expected_result="Theo đầu bài.", trl_required=row["trl"],
                                    field=groups.get(row["field"]))
        problem_ids[p.pk] = row["id"]
    universities = []
    for i in range(20):
        org = Agency.objects.create(name=f"Trường, viện nghiên cứu {i}",
                                    kind=AgencyKind.UNIVERSITY if i % 2 else AgencyKind.INSTITUTE)
        universities.append((org, UserFactory(username=f"dh{i}", memberships=[(org, HUB_MEMBER)])))
    for i, row in enumerate(results):
        org, user = universities[i % len(universities)]
        o = services.offer_create(actor=user, organisation=org, title=row["title"], summary=row["text"],
                                  trl=row["trl"], field=groups.get(row["field"]))
        result_ids[o.pk] = row["id"]
    return problem_ids, result_ids, time.perf_counter() - started


def scores(ranked: list[str], relevant: set[str]) -> tuple[float, float]:
    return len(set(ranked[:5]) & relevant) / 5, len(set(ranked[:10]) & relevant) / len(relevant)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "bench" / "data" / "hub_matching.jsonl"))
    args = parser.parse_args()
    prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import numpy as np

    from nq57.hub import matching
    from nq57.hub.models import Offer, Problem
    from nq57.search.selectors import search

    problems, results = load(Path(args.data))
    problem_ids, result_ids, seconds = post_all(problems, results)
    missing = (Offer.objects.filter(embedding__isnull=True).count()
               + Problem.objects.filter(embedding__isnull=True).count())
    print(f"posted {len(problems)} problems and {len(results)} results through the services in {seconds:.1f} s "
          f"(embedding jobs included; items without an embedding: {missing})")
    relevant = {row["id"]: set(row["relevant"]) for row in problems}
    half = {pk: "tuning" if int(label[1:3]) % 2 else "held-out" for pk, label in problem_ids.items()}
    sources = list(Problem.objects.select_related("field").order_by("id"))
    scored = {}
    for problem in sources:  # the candidates and their four signals do not depend on the weights
        scored[problem.pk] = matching.score(problem, matching.offer_candidates(problem), source_is_problem=True)

    def evaluate(weights: dict, only: str | None = None) -> tuple[float, float]:
        p5, r10 = [], []
        for problem in sources:
            if only and half[problem.pk] != only:
                continue
            s = scored[problem.pk]
            order = np.argsort(-s.scores(weights), kind="stable")[:10]
            a, b = scores([result_ids[s.rows[i]["id"]] for i in order], relevant[problem_ids[problem.pk]])
            p5.append(a)
            r10.append(b)
        return statistics.mean(p5), statistics.mean(r10)

    # weights tuned on the tuning half only (odd problem numbers), a grid in steps of 0.05 summing to 1
    grid = []
    for meaning in range(0, 21):
        for words in range(0, 21 - meaning):
            for fld in range(0, 21 - meaning - words):
                grid.append({"meaning": meaning / 20, "words": words / 20, "field": fld / 20,
                             "trl": (20 - meaning - words - fld) / 20})
    tuned = max(grid, key=lambda w: (sum(evaluate(w, "tuning")), -sum(abs(w[k] - matching.WEIGHTS[k]) for k in w)))
    methods = {
        "hub, weights in matching.WEIGHTS": dict(matching.WEIGHTS),
        "hub, weights tuned on the tuning half": tuned,
        "hub without embeddings (words + field + TRL)": {"meaning": 0.0, **matching.WEIGHTS_NO_MEANING},
        "embeddings alone": {"meaning": 1.0, "words": 0.0, "field": 0.0, "trl": 0.0},
    }
    table = {name: [evaluate(w), evaluate(w, "tuning"), evaluate(w, "held-out")] for name, w in methods.items()}
    timings = []
    for problem in sources:
        t = time.perf_counter()
        matching.offers_for_problem(problem, limit=10)
        timings.append(time.perf_counter() - t)
    baselines = (("keyword search (title)", lambda p: p.title),
                 ("keyword search (full text, BM25 OR)", lambda p: f"{p.title} {p.summary}"))
    for name, query_of in baselines:
        per = {"all": ([], []), "tuning": ([], []), "held-out": ([], [])}
        for problem in sources:
            hits = search("hub.offer", query_of(problem), limit=10, public_only=True, with_snippets=False)
            a, b = scores([result_ids[h.object_id] for h in hits], relevant[problem_ids[problem.pk]])
            for key in ("all", half[problem.pk]):
                per[key][0].append(a)
                per[key][1].append(b)
        table[name] = [(statistics.mean(per[k][0]), statistics.mean(per[k][1])) for k in ("all", "tuning", "held-out")]
    reach = [len({result_ids[r["id"]] for r in scored[p.pk].rows} & relevant[problem_ids[p.pk]]) / 3 for p in sources]
    print(f"\ntuned weights (tuning half: {sum(1 for v in half.values() if v == 'tuning')} problems): {tuned}")
    print(f"candidates per problem: median {statistics.median(len(s.rows) for s in scored.values()):.0f}; relevant "
          f"results among the candidates: {statistics.mean(reach):.3f}; match list median "
          f"{statistics.median(timings) * 1000:.1f} ms")
    print(f"\n{'method':46} {'P@5 all':>8} {'R@10 all':>8} {'P@5 tune':>8} {'R@10 tune':>9} {'P@5 held':>8} "
          f"{'R@10 held':>9}")
    for name, rows in table.items():
        print(f"{name:46} " + " ".join(f"{p5:8.3f} {r10:9.3f}" for p5, r10 in rows))
    print("\n(P@5 is at most 0.6 here: each problem has 3 relevant results. Halves: odd problem numbers tune, even "
          "ones are held out.)")


if __name__ == "__main__":
    main()
