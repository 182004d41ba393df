"""A GET never writes: every URL of the site and every GET operation of the API, fetched by the office and by a focal
point with ids of real objects of each kind, runs no INSERT, UPDATE or DELETE (watched on the database connection
itself with ``connection.execute_wrapper``), and leaves every table with the rows it had."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from nq57.api.models import ApiToken
from nq57.api.services import token_create, webhook_subscribe
from nq57.monitoring.models import Notification
from nq57.reports.services import extension_request, report_submit

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
#: extra query strings worth a GET of their own (downloads and variants of a page)
VARIANTS = {
    "consolidated/": ["?format=docx", "?format=xlsx", "?format=print", "?as_of=2025-09-01"],
    "notifications/": ["?unread=1"],
    "tasks/": ["?timing=open_overdue", "?parent=all"],
    "api/v1/consolidated-report": ["?as_of=2025-09-01"],
    "api/v1/notifications": ["?unread=true"],
    "indicators/dashboard/": ["?format=xlsx", "?format=docx"],
    "indicators/scorecards/<int:pk>/": ["?format=xlsx", "?format=docx"],
}


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _urls(route: str, ids: list[int]) -> list[str]:
    """Every way to fill the route's parameters: each known object id for a number, a real name for the rest."""
    urls = ["/" + route]
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        converter, name = match.groups()
        if converter == "path":
            values = ["unknown/path"]
        elif name == "name":
            values = ["swagger-ui.css"]
        else:
            values = [str(i) for i in ids]
        urls = [url.replace(match.group(0), value, 1) for url in urls for value in values]
    return [url + variant for url in urls for variant in ["", *VARIANTS.get(route, [])]]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def objects(cast):
    """One real object of each kind a URL can name."""
    report = report_submit(task=cast.task_kh, actor=cast.alice, period_start=dt.date(2025, 7, 1),
                           period_end=dt.date(2025, 7, 31), text="Đã triển khai", percent=40, claimed_status="open")
    extension = extension_request(task=cast.task_kh, actor=cast.alice, reason="Cần thêm thời gian",
                                  requested_due=timezone.localdate() + dt.timedelta(days=90))
    notification = Notification.objects.create(recipient=cast.office, kind="task.reminder", target=cast.task_kh,
                                               title="Nhắc hạn", body="Sắp đến hạn",
                                               created_at=timezone.now())
    Notification.objects.create(recipient=cast.alice, kind="task.reminder", target=cast.task_kh, title="Nhắc", body="…",
                                created_at=timezone.now())
    webhook = webhook_subscribe(actor=cast.office, url="https://example.invalid/hook", secret="s" * 20,
                                events=["task.created"])
    token, _ = token_create(user=cast.office, name="thử")
    from nq57.intake.services import submission_route, submission_submit  # an intake submission, routed to alice

    submission = submission_route(submission=submission_submit(
        kind="phan_anh", title="Thủ tục chậm", content="Thủ tục cấp phép chậm.", sender_name="A",
        sender_contact="a@example.vn"), agency=cast.kh, actor=cast.office)
    indicator, indicator_value, framework = _indicator_objects(cast)
    hub_ids = _hub_objects(cast)
    return sorted({submission.pk, cast.notice.pk, cast.task_kh.pk, cast.task_tc.pk, cast.kh.pk, cast.tc.pk, report.pk,
                   extension.pk, notification.pk, webhook.pk, token.pk, indicator.pk, indicator_value.pk,
                   framework.pk, *hub_ids})


def _indicator_objects(cast):
    from nq57.indicators import services as indicators

    indicator = indicators.indicator_create(actor=cast.office, name="Số doanh nghiệp khởi nguồn", agency=cast.kh,
                                            targets=[(2030, 30, "30")])
    value = indicators.value_submit(actor=cast.alice, indicator=indicator, year=2024, value=10)
    framework = indicators.framework_create(actor=cast.office, name="Bộ tiêu chí thử", subject_kind="province",
                                            subject_ids=[cast.kh.pk],
                                            criteria=[{"name": "Thể chế", "weight": 1, "rule": "assessor"}])
    return indicator, value, framework


def _hub_objects(cast) -> set[int]:
    """A problem (of alice's ministry), an offer (of a university) and the deal between them (nq57.hub)."""
    from nq57.agencies.models import Agency, AgencyKind
    from nq57.core.testing import UserFactory
    from nq57.hub import services as hub

    university = Agency.objects.create(name="Trường Đại học thử nghiệm", kind=AgencyKind.UNIVERSITY)
    scholar = UserFactory(username="scholar", memberships=[(university, "hub_member")])
    problem = hub.problem_create(actor=cast.alice, organisation=cast.kh, title="Đầu bài thử nghiệm", summary="Tóm tắt",
                                 expected_result="Kết quả", trl_required=3, details="Chi tiết bảo mật")
    offer = hub.offer_create(actor=scholar, organisation=university, title="Kết quả thử nghiệm", summary="Tóm tắt",
                             trl=4)
    deal = hub.interest_express(actor=scholar, organisation=university, problem=problem, offer=offer,
                                message="Quan tâm")
    return {problem.pk, offer.pk, deal.pk}


@pytest.mark.parametrize("who", ["office", "alice"])
def test_no_get_of_any_url_writes(cast, client, objects, who):
    client.force_login(getattr(cast, who))
    ApiToken.objects.update(last_used_at=None)
    before = _row_counts()
    writes: list[str] = []
    answered: dict[str, set[int]] = {}

    def watch(execute, sql, params, many, context):
        if WRITE.match(sql):
            writes.append(f"{current}: {sql[:200]}")
        return execute(sql, params, many, context)

    routes = [r for r in _patterns(get_resolver()) if not r.startswith("admin/")]
    with connection.execute_wrapper(watch):
        for route in routes:
            for current in _urls(route, objects):
                response = client.get(current)
                assert response.status_code < 500, (current, response.status_code)
                answered.setdefault(route, set()).add(response.status_code)
    assert writes == []
    assert _row_counts() == before
    # the walk reached real pages, not only 404s: every page that shows an object answered 200 at least once
    shown = [r for r in routes if answered[r] & {200}]
    assert {"tasks/<int:pk>/", "notices/<int:pk>/", "agencies/<int:pk>/", "consolidated/",
            "api/v1/tasks/<task_id>", "api/v1/reports/<report_id>", "api/v1/extensions/<extension_id>",
            "api/v1/notifications", "api/v1/consolidated-report",
            "hub/problems/<int:pk>/", "hub/offers/<int:pk>/", "hub/deals/<int:pk>/", "hub/figures/"} <= set(shown)
    if who == "office":
        assert {"api-tokens/webhooks/<int:pk>/", "api/v1/webhooks/<webhook_id>/deliveries",
                "exchange/export.json", "tasks/export.xlsx"} <= set(shown)
        assert answered["reports/<int:pk>/assess/"] == {405}  # the writing views refuse a GET


def test_the_watch_sees_writes_and_a_token_only_records_when_it_was_last_used(cast, client):
    """The one write a GET may cause is authentication's own bookkeeping: a token's ``last_used_at`` (at most once
    per ``LAST_USED_RESOLUTION``), like Django's session. It also proves the watch above sees writes."""
    from nq57.api.services import token_cache_clear

    _, raw = token_create(user=cast.office, name="thử")
    token_cache_clear()
    writes: list[str] = []

    def watch(execute, sql, params, many, context):
        if WRITE.match(sql):
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        for path in ("/api/v1/me", "/api/v1/tasks", "/api/v1/me"):
            assert client.get(path, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert len(writes) == 1 and writes[0].startswith('UPDATE "api_apitoken" SET "last_used_at"')
