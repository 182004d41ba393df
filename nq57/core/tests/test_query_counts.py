"""The main pages and API calls run a fixed number of queries, whatever the number of rows they show (as NetBox pins
its views): each is counted with 5 rows, then with 50, and the counts must be equal and equal to the pinned number.
A change that adds a query per row (N+1) fails here; a deliberate new query updates ``PINNED``."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nq57.api.services import token_create
from nq57.api.tests.helpers import ApiClient
from nq57.core.testing import make_task
from nq57.reports.models import Verdict
from nq57.reports.services import report_assess, report_submit
from nq57.taxonomy.models import Theme

#: queries per page as the Standing Office, whatever the number of rows (tasks on the lists, reports, events,
#: sub-tasks and history on the task page)
PINNED = {
    "task list": 11,
    "task list, agency + open + due order": 13,  # the page's ids from the agency index, then their rows
    # its edit and sub-task forms are fetched when opened (tasks.pages.FETCHED_FORMS); it has sub-tasks here, and no
    # extension request (not read: task_for_page's has_extension_requests)
    "task page": 15,
    "task page, edit form open": 18,  # + both pickers' agencies and the theme list
    "task page, sub-task form open": 16,  # + the picker's agencies
    "task edit form, fetched": 9,  # session, account, memberships, the task with its agencies and themes, the lists
    "task sub-task form, fetched": 8,  # ... the picker's agencies and the pending extension its deadline hint names
    "task change log": 14,  # an assessment's history by its report's task (no list of the task's report ids first)
    "overview": 12,  # the tally's overdue counts per agency, then their names (was one join over every task)
    "dashboard": 11,  # the weekly overdue trend in one grouped read of the spans, after reading their zone
    "agency page": 14,
    "notice page": 9,
    # the API lists here end on their first page: their count is read off it (``api.http.page_count``; a list that
    # goes on is counted: test_fast_paths), and a task's reports found need no check that the task exists
    "api task list": 4,
    "api task list, agency + open + due order": 6,
    "api task": 4,
    "api task reports": 4,
}


def _grow(cast, rows: int, *, theme) -> None:
    """Tasks on the notice (lead: Bộ KH&CN, partner: Bộ Tài chính, one theme), sub-tasks and reports of task_kh, up
    to ``rows`` of each."""
    from nq57.tasks.models import Task

    today = timezone.localdate()
    have = Task.objects.filter(parent__isnull=True).count()
    for i in range(have, rows):
        task = make_task(notice=cast.notice, lead=[cast.kh], coordinating=[cast.tc], path=f"9.{i}",
                         text=f"Nhiệm vụ đo số truy vấn {i}", due=today + dt.timedelta(days=i - 2))
        task.themes.add(theme)
    have = cast.task_kh.subtasks.count()
    for i in range(have, rows):
        make_task(notice=cast.notice, lead=[cast.kh], parent=cast.task_kh, path=f"1.a.1.{i}", text=f"Việc con {i}")
    have = cast.task_kh.reports.count()
    for i in range(have, rows):
        # the first report carries a file and is assessed: the task page and the reports API then read attachments
        # and assessments (reports without either skip those reads)
        files = [SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4 do so truy van", "application/pdf")] if i == 0 else []
        report = report_submit(task=cast.task_kh, actor=cast.alice, period_start=today - dt.timedelta(days=30),
                               period_end=today, text=f"Báo cáo lần {i}", percent=min(100, i * 2),
                               claimed_status="open", attachments=files)
        if i == 0:
            report_assess(report=report, actor=cast.office, verdict=Verdict.ASK_FOR_MORE, comment="Bổ sung số liệu")


def _counts(cast, client, api) -> dict[str, int]:
    kh, task, notice = cast.kh.pk, cast.task_kh.pk, cast.notice.pk
    pages = {
        "task list": (client, "/tasks/"),
        "task list, agency + open + due order": (client, f"/tasks/?agency={kh}&status=open&sort=due"),
        "task page": (client, f"/tasks/{task}/"),
        "task page, edit form open": (client, f"/tasks/{task}/?open=edit"),
        "task page, sub-task form open": (client, f"/tasks/{task}/?open=subtask"),
        "task edit form, fetched": (client, f"/tasks/{task}/forms/edit/"),
        "task sub-task form, fetched": (client, f"/tasks/{task}/forms/subtask/"),
        "task change log": (client, f"/tasks/{task}/changes/"),
        "overview": (client, "/"),
        "dashboard": (client, "/dashboard/"),
        "agency page": (client, f"/agencies/{kh}/"),
        "notice page": (client, f"/notices/{notice}/"),
        "api task list": (api, "tasks"),
        "api task list, agency + open + due order": (api, f"tasks?agency={kh}&status=open&sort=due"),
        "api task": (api, f"tasks/{task}"),
        "api task reports": (api, f"tasks/{task}/reports"),
    }
    counts = {}
    for name, (who, url) in pages.items():
        who.get(url)  # warm: per-process caches (token, catalogue) are not what is measured
        with CaptureQueriesContext(connection) as queries:
            response = who.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_main_pages_run_as_many_queries_for_50_rows_as_for_5(cast, client):
    theme = Theme.objects.create(code="dem-truy-van", name="Đo số truy vấn")
    client.force_login(cast.office)
    _, raw = token_create(user=cast.office, name="đếm truy vấn")
    api = ApiClient(raw)
    _grow(cast, 5, theme=theme)
    few = _counts(cast, client, api)
    _grow(cast, 50, theme=theme)
    many = _counts(cast, client, api)
    assert many == few
    assert few == PINNED


#: a progress report written over the API by a focal point: memberships, the task, the agency scope (one query per
#: level of units), the focal point's assignments with their agency (the permission check and the reporting agency
#: share them), savepoint, the report and its history row, the task's report dates (one UPDATE), the timeline event,
#: savepoint release, the webhook subscriptions; the answer is built from the report in hand
PINNED_REPORT_WRITE = 12


@pytest.mark.django_db
def test_report_written_over_the_api_runs_a_fixed_number_of_queries(cast):
    _, raw = token_create(user=cast.alice, name="đếm truy vấn")
    api = ApiClient(raw)
    today = timezone.localdate()
    body = {"period_start": str(today), "period_end": str(today), "text": "Báo cáo", "percent": 10,
            "claimed_status": "open"}
    api.post(f"tasks/{cast.task_kh.pk}/reports", body)  # warm: the token's per-process cache
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"tasks/{cast.task_kh.pk}/reports", body)
    assert response.status_code == 201, response.content
    assert response.json()["agency"]["id"] == cast.kh.pk and response.json()["attachments"] == []
    assert len(queries) == PINNED_REPORT_WRITE, [q["sql"][:80] for q in queries]
