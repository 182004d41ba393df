"""In Chromium: a focal point enters a value; the status changes and the chart is redrawn with its projection."""

import datetime as dt

import pytest

from nq57.core.testing import PASSWORD, build_cast
from nq57.core.tests.browser import login
from nq57.indicators import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AT = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def _traces(page, pk: int) -> list[str]:
    return page.evaluate(f"() => document.getElementById('chart-indicator-{pk}').data.map(t => t.name)")


def test_entering_a_value_changes_status_and_redraws_the_projection(page):
    cast = build_cast()
    indicator = services.indicator_create(actor=cast.office, name="Số doanh nghiệp khởi nguồn từ đại học",
                                          unit="doanh nghiệp", agency=cast.kh, targets=[(2030, 40, "40")])
    services.value_submit(actor=cast.alice, indicator=indicator, year=2023, value=10, at=AT)
    login(page, "alice", PASSWORD)
    page.goto(f"/indicators/{indicator.pk}/")
    page.wait_for_selector(f"#chart-indicator-{indicator.pk}[data-ready='1']")
    assert page.get_attribute("#indicator-status", "data-status") == "no_data"
    assert "Xu hướng tuyến tính" not in _traces(page, indicator.pk)  # one value: no projection yet

    page.fill("#id_year", "2024")
    page.select_option("#id_quarter", "0")
    page.fill("#id_value", "16")
    page.click("#value-form button[type=submit]")
    page.wait_for_url(f"**/indicators/{indicator.pk}/")
    page.wait_for_selector(f"#chart-indicator-{indicator.pk}[data-ready='1']")
    # 10 then 16: +6 a year, 2030 -> 52 ≥ 40 by both trends
    assert page.get_attribute("#indicator-status", "data-status") == "on_track"
    traces = _traces(page, indicator.pk)
    assert {"Giá trị thực tế", "Mục tiêu", "Xu hướng tuyến tính", "Xu hướng 3 kỳ gần nhất",
            "Khoảng dự báo"} <= set(traces)
    assert page.inner_text("#indicator-projection") in ("52,00", "52.00")


def test_a_dashboard_bar_opens_its_indicators(page):
    cast = build_cast()
    indicator = services.indicator_create(actor=cast.office, name="Tỷ lệ doanh nghiệp đổi mới sáng tạo",
                                          agency=cast.kh, targets=[(2030, 40, "40")])
    login(page, "leader", PASSWORD)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/indicators/dashboard/")
    page.wait_for_selector("#chart-ind-year[data-ready='1']")
    assert all(url.startswith(page.url.split("/indicators/")[0]) for url in requests), "nothing external"
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('#chart-ind-year .bars .point path'))
        .map(p => p.getBoundingClientRect()).filter(r => r.width > 1 && r.height > 1)
        .map(r => ({x: r.x + r.width / 2, y: r.y + r.height / 2}))""")
    assert len(boxes) == 1  # one indicator, target year 2030, no data yet
    page.mouse.click(boxes[0]["x"], boxes[0]["y"])
    page.wait_for_url("**/indicators/?**")
    assert "year=2030" in page.url and "status=no_data" in page.url
    assert indicator.name in page.content()
