"""The Huey jobs: scheduled in local time (Asia/Ho_Chi_Minh) on huey's UTC clock, and thin wrappers over the
services (run here on the embedded queue in immediate mode; the Redis path is in test_redis_queue.py)."""

import datetime as dt

import pytest

from nq57.core.testing import make_task
from nq57.monitoring import tasks as jobs
from nq57.monitoring.models import Notification


def test_the_daily_scan_is_scheduled_at_six_in_the_morning_vietnam_time():
    schedule = jobs.local_crontab(hour=6, minute=0)
    assert schedule(dt.datetime(2025, 10, 19, 23, 0))  # 23:00 UTC = 06:00 (UTC+7) the next day
    assert not schedule(dt.datetime(2025, 10, 20, 6, 0))


def test_the_weekly_jobs_run_on_monday_morning_vietnam_time():
    schedule = jobs.local_crontab(hour=6, minute=30, monday_only=True)
    assert schedule(dt.datetime(2025, 10, 19, 23, 30))  # Sunday 23:30 UTC = Monday 06:30 in Hà Nội
    assert not schedule(dt.datetime(2025, 10, 20, 23, 30))  # Monday 23:30 UTC is already Tuesday there
    assert jobs.weekly_periodic.task_class().validate_datetime(dt.datetime(2025, 10, 26, 23, 30))
    assert jobs.daily_scan_periodic.task_class().validate_datetime(dt.datetime(2025, 10, 26, 23, 0))


@pytest.mark.django_db
def test_the_jobs_call_the_services(cast):
    make_task(notice=cast.notice, lead=[cast.kh], due=dt.date(2025, 10, 15))
    assert jobs.daily_scan_job("2025-10-14")() == {
        "today": "2025-10-14", "overdue_events": 0, "overdue_notices": 0, "reminders": 1}
    assert jobs.weekly_job("2025-10-20")() == {"today": "2025-10-20", "digests": 2, "escalations": 1}
    assert Notification.objects.count() == 4  # alice's reminder, alice's and bob's digests, the office's list
