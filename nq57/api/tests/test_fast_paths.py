"""The API's fast paths answer what the slow ones did: the task list (plain rows, timing computed per row, counts
computed on every request, sorted orders walked by cursor) matches the detail endpoint and the database's timing
rule; the per-process token cache never outlives a revocation by more than ``TOKEN_CACHE_SECONDS``; the batched
rate-limit counter still stops at the limit."""

import datetime as dt

import time_machine
from django.test import override_settings
from django.utils import timezone

from nq57.api import http, services
from nq57.api.models import ApiToken
from nq57.api.services import token_create, token_revoke
from nq57.api.tests.helpers import ApiClient, assert_error
from nq57.core.testing import make_task
from nq57.tasks.models import Task, TaskAssignment
from nq57.taxonomy.models import Theme


def _varied_tasks(cast) -> None:
    """Done on time / late / without due date, overdue, overdue report, due soon, in time, a sub-task, themes,
    an agency renamed after assignment."""
    today = timezone.localdate()
    theme_a = Theme.objects.create(code="ai", name="Trí tuệ nhân tạo")
    theme_b = Theme.objects.create(code="3nha", name="3 Nhà")
    cases = [
        {"status": "done", "completed_on": today, "deadline_due": today + dt.timedelta(days=3)},
        {"status": "done", "completed_on": today, "deadline_due": today - dt.timedelta(days=3)},
        {"status": "done", "completed_on": today, "deadline_due": None},
        {"status": "open", "deadline_due": today - dt.timedelta(days=1)},
        {"status": "partly_done", "deadline_due": today + dt.timedelta(days=60),
         "next_report_due": today - dt.timedelta(days=1), "report_cadence": "monthly"},
        {"status": "open", "deadline_due": today + dt.timedelta(days=2)},
        {"status": "open", "deadline_due": today + dt.timedelta(days=400), "progress": 30},
    ]
    for i, fields in enumerate(cases):
        task = make_task(notice=cast.notice, lead=[cast.kh], coordinating=[cast.tc, cast.xd], text=f"Nhiệm vụ {i}",
                         path=f"9.{i}")
        Task.objects.filter(pk=task.pk).update(**fields)
        if i % 2:
            task.themes.add(theme_b, theme_a)
    sub = make_task(notice=cast.notice, lead=[cast.xd_unit], text="Nhiệm vụ con", path="9.0.1")
    Task.objects.filter(pk=sub.pk).update(parent=cast.task_kh)
    TaskAssignment.objects.filter(task=cast.task_tc, agency=cast.tc).update(assigned_name="Bộ Tài chính (tên cũ)")


def test_list_rows_are_the_detail_bodies_and_timing_follows_the_database_rule(cast, api_as):
    _varied_tasks(cast)
    client = api_as(cast.leader)
    rows = client.get("tasks", {"parent": "all", "page_size": 200}).json()["results"]
    assert len(rows) == Task.objects.count() == 10
    for row in rows:
        assert row == client.get(f"tasks/{row['id']}").json()
    in_db = dict(Task.objects.with_timing(today=timezone.localdate()).values_list("id", "timing"))
    assert {row["id"]: row["timing"] for row in rows} == in_db
    assert len(set(in_db.values())) == 5
    for timing in set(in_db.values()):
        found = client.get("tasks", {"parent": "all", "timing": timing}).json()
        assert sorted(r["id"] for r in found["results"]) == sorted(k for k, v in in_db.items() if v == timing)
        assert found["count"] == len(found["results"])
    themed = client.get("tasks", {"parent": "all", "theme": "ai"}).json()
    assert themed["count"] == 3 and all(r["themes"] == ["3nha", "ai"] for r in themed["results"])
    walked, cursor = [], None
    while True:
        page = client.get("tasks", {"parent": "all", "page_size": 3, **({"cursor": cursor} if cursor else {})}).json()
        assert page["count"] == (None if cursor else 10)
        walked += page["results"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert walked == rows


def test_counts_are_computed_on_every_request(cast, api_as):
    client = api_as(cast.office)
    assert client.get("tasks").json()["count"] == 2
    make_task(notice=cast.notice, lead=[cast.kh], text="Thêm", path="8.1")
    assert client.get("tasks").json()["count"] == 3
    make_task(notice=cast.notice, lead=[cast.kh], text="Thêm nữa", path="8.2")
    page = client.get("tasks", {"page_size": 3}).json()
    assert page["count"] == 4 and len(page["results"]) == 3 and page["next_cursor"]
    assert not hasattr(http, "list_count")


def test_sorted_lists_walk_with_a_cursor_in_the_same_order_as_the_pages(cast, api_as):
    """Every ``?sort=`` order: the pages and the keyset cursor give the same rows in the same order (due dates with
    ties and NULLs, which come last in either direction)."""
    today = timezone.localdate()
    for i, due in enumerate([3, None, 1, 3, None, -2, 1]):
        make_task(notice=cast.notice, lead=[cast.tc if i % 2 else cast.kh], text=f"Sắp xếp {i}", path=f"9.{i}",
                  due=None if due is None else today + dt.timedelta(days=due))
    client = api_as(cast.office)
    for sort in ("due", "-due", "notice", "agency", "updated", "-updated"):
        everything = client.get("tasks", {"sort": sort, "page_size": 200}).json()
        ids = [row["id"] for row in everything["results"]]
        assert everything["count"] == len(ids) == 9
        walked, cursor = [], None
        while True:
            page = client.get("tasks", {"sort": sort, "page_size": 2, **({"cursor": cursor} if cursor else {})}).json()
            walked += [row["id"] for row in page["results"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert walked == ids, sort
        paged = [row["id"] for n in (1, 2, 3, 4, 5)
                 for row in client.get("tasks", {"sort": sort, "page_size": 2, "page": n}).json()["results"]]
        assert paged == ids, sort
    dues = [row["deadline_due"] for row in client.get("tasks", {"sort": "due", "page_size": 200}).json()["results"]]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[len(dated):] == [None] * (len(dues) - len(dated))
    late_first = client.get("tasks", {"sort": "-due", "page_size": 200}).json()["results"]
    assert late_first[0]["deadline_due"] == str(today + dt.timedelta(days=3)) and late_first[-1]["deadline_due"] is None
    assert_error(client.get("tasks", {"sort": "nonsense"}), 422, "invalid")
    assert_error(client.get("tasks", {"sort": "due", "cursor": "aWQ6Mw"}), 422, "invalid")  # an id-order cursor


def test_a_cached_token_is_refused_at_once_here_and_within_seconds_elsewhere(cast, monkeypatch):
    token, raw = token_create(user=cast.alice, name="Kết nối")
    client = ApiClient(raw)
    assert client.get("me").json()["username"] == "alice"
    assert services._token_cache  # remembered by this process
    token_revoke(token=token, actor=cast.alice)
    assert_error(client.get("me"), 401, "unauthorized")  # this process: at once

    token, raw = token_create(user=cast.bob, name="Kết nối")
    client = ApiClient(raw)
    assert client.get("me").status_code == 200
    # revoked by another process (no signal here): refused once TOKEN_CACHE_SECONDS have passed
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    later = services.time.monotonic() + services.TOKEN_CACHE_SECONDS + 0.01
    monkeypatch.setattr(services.time, "monotonic", lambda: later)
    assert "thu hồi" in assert_error(client.get("me"), 401, "unauthorized")["message"]


def test_deactivating_the_owner_drops_the_cached_token(cast):
    _, raw = token_create(user=cast.bob, name="Kết nối")
    client = ApiClient(raw)
    assert client.get("tasks").status_code == 200
    cast.bob.is_active = False
    cast.bob.save()
    assert "khóa" in assert_error(client.get("tasks"), 401, "unauthorized")["message"]


def test_each_request_gets_its_own_user_instance(cast):
    _, raw = token_create(user=cast.alice, name="Kết nối")
    first, second = services.token_authenticate(raw), services.token_authenticate(raw)
    assert first.user == second.user and first.user is not second.user
    assert first.user.organisation_ids() == second.user.organisation_ids() == (cast.kh.pk,)


@override_settings(API_RATE_LIMIT_PER_MINUTE=100)
def test_the_rate_limit_counts_in_batches_and_exactly_near_the_limit(cast, api_as, monkeypatch):
    from django.core.cache import caches

    # batches are flushed every RATE_FLUSH_SECONDS too: on a loaded machine 10 requests may take that long
    monkeypatch.setattr(http, "RATE_FLUSH_SECONDS", 3600.0)
    # the window is a wall-clock minute: hold the clock mid-minute so the 101 requests cannot straddle two windows
    with time_machine.travel(dt.datetime(2025, 8, 1, 9, 0, 30, tzinfo=dt.UTC), tick=False):
        _exercise_the_rate_limit(api_as(cast.alice), caches)


def _exercise_the_rate_limit(client, caches):
    assert all(client.get("me").status_code == 200 for _ in range(10))
    shared = [v for k, v in ((k, caches["api"].get(k)) for k in _rate_keys()) if v is not None]
    assert shared and shared[0] < 10  # not every request touched the shared cache
    assert all(client.get("me").status_code == 200 for _ in range(90))
    assert client.get("me").status_code == 429
    assert caches["api"].get(_rate_keys()[0]) == 101  # past half the limit every request is shared


def _rate_keys() -> list[str]:
    return [w.key for w in http._rate_windows.values()]


def test_a_page_that_ends_the_list_gives_the_count_without_counting(cast, api_as):
    """``page_count``: the last page (or an empty first one) tells the count exactly; any other page is counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        make_task(notice=cast.notice, lead=[cast.kh], text=f"Đếm {i}", path=f"8.{i}")
    client = api_as(cast.office)
    total = Task.objects.filter(parent__isnull=True).count()
    assert total == 5

    def answer(params):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("tasks", params).json()
        counted = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        return body, counted

    cases = [  # (params, rows on the page, counted by a query)
        ({"page_size": 10}, 5, False),      # the whole list on its first page
        ({"page_size": 5}, 5, False),       # exactly full, and nothing after it
        ({"page_size": 2}, 2, True),        # more follows: counted
        ({"page_size": 2, "page": 3}, 1, False),  # the last page: 2 pages before it + 1
        ({"page_size": 2, "page": 9}, 0, True),   # past the end: nothing to read the count off
        ({"q": "không có nhiệm vụ này"}, 0, False),  # an empty first page: 0
    ]
    for params, rows, counted in cases:
        body, was_counted = answer(params)
        assert len(body["results"]) == rows, params
        assert body["count"] == (0 if "q" in params else total), params
        assert was_counted is counted, params


def test_reports_of_a_missing_task_answer_404_and_a_task_without_reports_an_empty_list(cast, api_as):
    client = api_as(cast.office)
    assert_error(client.get("tasks/987654/reports"), 404)
    empty = client.get(f"tasks/{cast.task_kh.pk}/reports").json()
    assert empty["count"] == 0 and empty["results"] == []
