"""The same figure wherever it is shown: the weekly overdue chart and the list behind each bar, one agency's on-time
rate on its page, on the dashboard and in the consolidated report."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.utils import timezone

from nq57.core.testing import NoticeFactory, make_task
from nq57.monitoring import services
from nq57.monitoring.tests.helpers import build_scope
from nq57.tasks.models import OnTimeRate
from nq57.tasks.services import task_set_status

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)).replace(tzinfo=timezone.get_current_timezone()),
                               tick=False)


def test_each_bar_of_the_weekly_overdue_chart_opens_a_list_of_exactly_that_many_tasks(cast, client_for):
    notice = NoticeFactory(number="41-TB/TGV")
    with at(dt.date(2025, 6, 2)):
        tasks = {day: make_task(notice=notice, lead=[cast.kh], due=dt.date(2025, 7, day), path=f"7.{day}")
                 for day in (1, 10, 20, 31)}
    with at(dt.date(2025, 7, 15)):  # done after its deadline of 10/07: overdue for one week only
        task_set_status(task=tasks[10], actor=cast.office, status="done")
    with at(dt.date(2025, 8, 20)):  # created late, with a deadline already passed
        make_task(notice=notice, lead=[cast.tc], due=dt.date(2025, 7, 5), path="8")
        task_set_status(task=tasks[20], actor=cast.office, status="partly_done", progress=40)
    today = dt.date(2025, 9, 3)
    with at(today):
        points = services.overdue_by_week(today=today, weeks=12)
        client = client_for(cast.leader)
        counts = [point["count"] for point in points]
        assert max(counts) > 0 and len(set(counts)) > 2  # the chart has something to check
        assert points[-1]["week_end"] == today
        for point in points:
            response = client.get(point["url"])
            assert response.status_code == 200
            assert response.context["total"] == point["count"], point
        # the figure's bars carry those links
        figure = services_figure(client)
        trend = figure["data"][0]
        assert trend["customdata"][-1] == services.task_list_url(overdue_on=today)


def services_figure(client) -> dict:
    html = client.get("/dashboard/").content.decode()
    return json.loads(re.search(r'<script id="figure-overdue-trend" type="application/json">(.*?)</script>', html,
                                re.S).group(1))


def test_an_agency_has_one_on_time_rate_on_its_page_on_the_dashboard_and_in_the_consolidated_report(cast,
                                                                                                 client_for):
    with at(dt.date(2025, 9, 1)):
        build_scope(cast)
        today = dt.date(2025, 9, 1)
        client = client_for(cast.leader)
        # Bộ KH&CN: done on time 1 and 3 (no deadline); overdue 6, 10 (missed monthly report) and the cast's task_kh;
        # task 9 was extended, in time. (Done on time / done alone would say 100%.) Bộ Tài chính: 2 done late; 4 and 7
        # overdue; the cast's task_tc in time.
        expected = {cast.kh: (2, 5), cast.tc: (0, 3)}
        for agency, figures in expected.items():
            page = client.get(f"/agencies/{agency.pk}/")
            on_page = page.context["card"].rate
            assert isinstance(on_page, OnTimeRate)
            html = page.content.decode()
            assert re.search(r'id="on-time-rate"[^>]*><b>(\d+|—)%?</b>', html).group(1) == str(on_page.percent)
            assert OnTimeRate.HELP in html

            ranking = {row["agency_id"]: row for row in services.agency_ranking(today=today)}
            on_dashboard = (ranking[agency.pk]["on_time"], ranking[agency.pk]["due"])
            dashboard = client.get("/dashboard/").content.decode()
            figure = json.loads(re.search(r'<script id="figure-ranking" type="application/json">(.*?)</script>',
                                          dashboard, re.S).group(1))["data"][0]
            label = agency.short_name or agency.name
            assert figure["text"][figure["y"].index(label)] == str(on_page)

            report = client.get(f"/consolidated/?agency={agency.pk}&as_of={today.isoformat()}")
            in_report = report.context["report"].on_time_rate
            assert f"{in_report.percent}% ({in_report} nhiệm vụ đã đến hạn)" in report.content.decode()

            assert (on_page.on_time, on_page.due) == on_dashboard == (in_report.on_time, in_report.due) == figures
