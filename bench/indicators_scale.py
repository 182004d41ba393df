"""Indicators at scale: 5,000 indicators and 500,000 values in a throwaway database, then the indicator dashboard,
the indicator list, an indicator page (chart with 100 values and its projection) and one value entry, timed.

    .venv/bin/python bench/indicators_scale.py [--indicators 5000] [--values 500000] [--repeat 7]
    .venv/bin/python bench/indicators_scale.py --database-url postgres://postgres@127.0.0.1:5432/nq57_ind15_bench

SQLite lives in a temporary NQ57_DATA_DIR; a PostgreSQL database named in --database-url is dropped and created
afresh (it must not be one you care about). Values are bulk-created; each indicator's stored status is computed with
the same functions the services use (``indicators.services.indicator_status``). Prints the median of --repeat runs
per measure; target: every median under 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_scale import prepare_environment as shared_environment  # noqa: E402 - after the path

prepare_environment = shared_environment


def build(*, n_indicators: int, n_values: int, seed: int = 57):
    from django.db import transaction
    from django.utils import timezone

    from nq57.agencies.models import Agency, AgencyKind
    from nq57.core.testing import make_focal_point, make_office
    from nq57.indicators import projection
    from nq57.indicators.models import Indicator, IndicatorTarget, IndicatorValue
    from nq57.indicators.services import indicator_status
    from nq57.taxonomy.models import Theme
    from nq57.text.vietnamese import fold

    rng = random.Random(seed)
    started = time.perf_counter()
    per = max(1, n_values // n_indicators)
    with transaction.atomic():
        agencies = [Agency.objects.create(name=f"Bộ thử nghiệm số {i}", kind=AgencyKind.MINISTRY) for i in range(60)]
        themes = list(Theme.objects.all()) or [None]
        office = make_office("bench-office")
        focal = make_focal_point("bench-focal", agencies[0])
        rows = []
        for i in range(n_indicators):
            name = f"Chỉ tiêu thử nghiệm số {i} về đổi mới sáng tạo"
            rows.append(Indicator(name=name, search_key=fold(name), unit="%", agency=agencies[i % 60],
                                  theme=themes[i % len(themes)], period="quarterly" if i % 2 else "yearly",
                                  direction="lower" if i % 7 == 0 else "higher"))
        indicators = Indicator.objects.bulk_create(rows, batch_size=1000)
        targets, values = [], []
        now = timezone.now()
        for indicator in indicators:
            year0 = 2025 - (per // 4 if indicator.period == "quarterly" else per) + 1
            slope = rng.uniform(-1, 3)
            targets.append(IndicatorTarget(indicator=indicator, year=2030, value=Decimal(rng.randint(20, 120))))
            targets.append(IndicatorTarget(indicator=indicator, year=2045, value=Decimal(rng.randint(50, 200))))
            for k in range(per):
                year, quarter = (year0 + k // 4, k % 4 + 1) if indicator.period == "quarterly" else (year0 + k, 0)
                values.append(IndicatorValue(indicator=indicator, year=year, quarter=quarter, entered_at=now,
                                             value=Decimal(str(round(10 + slope * k / 4 + rng.uniform(-2, 2), 2))),
                                             state="validated"))
            if len(values) >= 50000:
                IndicatorValue.objects.bulk_create(values, batch_size=5000)
                values = []
        IndicatorValue.objects.bulk_create(values, batch_size=5000)
        IndicatorTarget.objects.bulk_create(targets, batch_size=5000)
    print(f"built {n_indicators} indicators, {IndicatorValue.objects.count()} values in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    today = timezone.localdate()
    series: dict[int, list] = {}
    for indicator_id, year, quarter, value in IndicatorValue.objects.values_list("indicator_id", "year", "quarter",
                                                                                 "value").iterator(chunk_size=20000):
        series.setdefault(indicator_id, []).append((year, quarter, value))
    target_rows: dict[int, list] = {}
    for indicator_id, year, value in IndicatorTarget.objects.values_list("indicator_id", "year", "value"):
        target_rows.setdefault(indicator_id, []).append((year, float(value)))
    with transaction.atomic():
        for indicator in indicators:
            rows = sorted(series.get(indicator.pk, []), key=lambda r: (r[0], r[1] or 5))
            points = sorted((projection.period_t(y, q), float(v)) for y, q, v in rows)
            status = indicator_status(indicator, today=today, points=points, targets=target_rows[indicator.pk])
            indicator.latest_year, indicator.latest_quarter, indicator.latest_value = rows[-1]
            indicator.values_count, indicator.status = len(rows), status.code
            indicator.next_target_year = status.target[0] if status.target else None
            indicator.next_target_value = Decimal(str(status.target[1])) if status.target else None
            indicator.projected_value = (Decimal(str(round(status.projection.central, 4)))
                                         if status.projection else None)
        Indicator.objects.bulk_update(indicators, ["latest_year", "latest_quarter", "latest_value", "values_count",
                                                   "status", "next_target_year", "next_target_value",
                                                   "projected_value"], batch_size=1000)
    print(f"statuses computed in {time.perf_counter() - started:.1f} s", flush=True)
    return office, focal, indicators


def timed(label: str, func, repeat: int, results: dict) -> None:
    func()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    results[label] = statistics.median(times)
    print(f"  {label:<48} median {statistics.median(times) * 1000:8.1f} ms   min {min(times) * 1000:7.1f} ms   "
          f"max {max(times) * 1000:7.1f} ms", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--indicators", type=int, default=5000)
    parser.add_argument("--values", type=int, default=500000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    prepare_environment(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    office, focal, indicators = build(n_indicators=args.indicators, n_values=args.values)
    client = Client()
    client.force_login(office)
    one = indicators[len(indicators) // 2 + 1]
    agency_id = one.agency_id

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return run

    results: dict[str, float] = {}
    timed("dashboard /indicators/dashboard/", get("/indicators/dashboard/"), args.repeat, results)
    timed("indicator list (first page)", get("/indicators/"), args.repeat, results)
    timed("indicator list filtered (agency + status)", get(f"/indicators/?agency={agency_id}&status=on_track"),
          args.repeat, results)
    timed(f"indicator page ({one.values_count} values, chart)", get(f"/indicators/{one.pk}/"), args.repeat, results)
    from nq57.indicators.services import value_submit

    counter = iter(range(1000))

    def enter():
        value_submit(actor=office, indicator=one, year=2025, quarter=one.latest_quarter or 0,
                     value=Decimal(next(counter)), at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    timed("value entry (write + status refresh)", enter, args.repeat, results)
    from nq57.indicators.services import statuses_refresh

    started = time.perf_counter()
    changed = statuses_refresh(today=dt.date(2031, 1, 2))  # the 2030 targets have passed: most statuses change
    print(f"  daily status refresh of every indicator ({changed} changed)  {time.perf_counter() - started:.1f} s "
          "(the nightly job; not a page)", flush=True)
    slow = [label for label, median in results.items() if median >= 0.3]
    print("all medians under 300 ms" if not slow else f"over 300 ms: {', '.join(slow)}")
    print(f"load average: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
