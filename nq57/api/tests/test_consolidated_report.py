"""The consolidated report's figures through the API, with a bounded list of late tasks."""

import datetime as dt

from nq57.api.tests.helpers import assert_error
from nq57.core.testing import make_task


def test_it_gives_the_totals_and_at_most_late_limit_late_tasks(cast, api_as):
    make_task(notice=cast.notice, lead=[cast.kh], text="Việc trễ thứ hai", due=dt.date(2025, 7, 1))
    client = api_as(cast.leader)
    body = client.get("consolidated-report", {"as_of": "2025-08-15", "late_limit": 1}).json()
    assert body["total"] == 2 + 1
    assert body["late_total"] == 2  # task_kh (30/7) and the new one (1/7) are late on 15/8; task_tc is due 31/12
    assert [row["days_late"] for row in body["late_tasks"]] == [45]
    everything = client.get("consolidated-report", {"as_of": "2025-08-15"}).json()
    assert len(everything["late_tasks"]) == 2


def test_late_limit_out_of_range_is_refused(cast, api_as):
    body = assert_error(api_as(cast.leader).get("consolidated-report", {"late_limit": 0}), 422)
    assert "late_limit" in body["errors"]
