"""In Chromium: the dashboard draws its charts with the local plotly.js, and clicking a bar opens the task list
filtered to the tasks behind that bar."""

from urllib.parse import parse_qs, urlsplit

import pytest

from nq57.core.testing import PASSWORD, build_cast
from nq57.core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_a_bar_opens_the_filtered_task_list(page):  # noqa: F811
    cast = build_cast()  # Bộ KH&CN leads task_kh, Bộ Tài chính leads task_tc; both open
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    login(page, "leader", PASSWORD)
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-status-by-agency[data-ready='1']")
    assert all(url.startswith(page.url.split("/dashboard/")[0]) for url in requests), "no CDN, nothing external"

    # the visible bars of the chart (zero-length segments have no width); Bộ KH&CN's bar is the top one
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('#chart-status-by-agency .bars .point path'))
        .map(p => p.getBoundingClientRect()).filter(r => r.width > 1 && r.height > 1)
        .map(r => ({x: r.x + r.width / 2, y: r.y + r.height / 2}))""")
    assert len(boxes) == 2
    top = min(boxes, key=lambda box: box["y"])
    page.mouse.move(top["x"], top["y"])
    page.mouse.click(top["x"], top["y"])
    page.wait_for_url("**/tasks/?**")

    parts = urlsplit(page.url)
    assert parts.path == "/tasks/"
    assert parse_qs(parts.query) == {"agency": [str(cast.kh.pk)], "role": ["lead"], "status": ["open"]}
    body = page.content()
    if "Page not found" not in body:  # the task list is another engineer's page; check it when it is there
        assert cast.task_kh.text in body
        assert cast.task_tc.text not in body
