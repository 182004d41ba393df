"""The Redis path: the daily-scan job enqueued on a real RedisHuey and executed by a real Huey consumer (worker
threads), as on production workers when REDIS_URL is set."""

import datetime as dt
import signal
import uuid

import pytest
from django.db import connection

from nq57.core.testing import build_cast, make_task
from nq57.monitoring import tasks as jobs
from nq57.monitoring.models import Notification

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")


@pytest.mark.django_db(transaction=True)
def test_the_daily_scan_runs_on_a_redis_worker(settings):
    redis_or_skip()
    from huey import RedisHuey

    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    cast = build_cast()
    task = make_task(notice=cast.notice, lead=[cast.kh], due=dt.date(2025, 10, 15))
    huey = RedisHuey(f"nq57-test-{uuid.uuid4().hex}", url=REDIS_URL, immediate=False)

    def daily_scan(today):  # the body of the periodic job; djhuey's db_task closes the connection the same way
        try:
            return jobs.run_daily_scan(today)
        finally:
            connection.close()

    scan = huey.task(name="daily_scan")(daily_scan)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, check_worker_health=False)
    try:
        result = scan("2025-10-08")
        assert huey.pending_count() == 1  # queued in Redis, nothing ran yet
        consumer.start()
        outcome = result.get(blocking=True, timeout=30)
        again = scan("2025-10-08").get(blocking=True, timeout=30)
    finally:
        consumer.stop(graceful=True)
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        huey.storage.flush_all()
    assert outcome == {"today": "2025-10-08", "overdue_events": 0, "overdue_notices": 0, "reminders": 1}
    assert again["reminders"] == 0  # a second run sends nothing
    reminders = Notification.objects.filter(kind="task.reminder")
    assert list(reminders.values_list("object_id", "recipient__username")) == [(task.pk, "alice")]
