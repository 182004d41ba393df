"""Huey jobs of the monitoring app. Thin: each fetches the date and calls a service in ``monitoring.alerts``.

They run on the embedded SqliteHuey consumer (started by ``nq57 up`` / ``nq57 worker``, queue file in the data dir)
or on Redis workers when REDIS_URL is set. Huey evaluates ``crontab`` on its own clock (UTC unless ``utc=False``),
so the schedule is written in local time (TIME_ZONE, Asia/Ho_Chi_Minh) and converted here.
"""

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from nq57.monitoring import alerts, listeners

log = logging.getLogger(__name__)

DAILY_SCAN_AT = (6, 0)  # 06:00 local time
WEEKLY_AT = (6, 30)  # Monday 06:30 local time: digests and the escalation list
#: the scan and the reminders go before anything else queued (webhook deliveries have the default priority 0)
ALERTS_PRIORITY = 100


def local_crontab(*, hour: int, minute: int, monday_only: bool = False):
    """A huey crontab firing at ``hour:minute`` local time (TIME_ZONE; Vietnam has no daylight saving)."""
    if not getattr(HUEY, "utc", True):
        return crontab(minute=str(minute), hour=str(hour), day_of_week="1" if monday_only else "*")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = dt.datetime(2024, 1, 1, hour, minute, tzinfo=zone)  # 2024-01-01 is a Monday
    utc = local.astimezone(dt.UTC)
    day_of_week = "*"
    if monday_only:
        day_of_week = str((utc.weekday() + 1) % 7)  # huey: 0 = Sunday
    return crontab(minute=str(utc.minute), hour=str(utc.hour), day_of_week=day_of_week)


def run_daily_scan(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    result = alerts.daily_scan(today=day)
    log.info("daily scan %s: %s overdue events, %s overdue notices, %s reminders", day, result.overdue_events,
             result.overdue_notices, result.reminders)
    return {"today": day.isoformat(), "overdue_events": result.overdue_events,
            "overdue_notices": result.overdue_notices, "reminders": result.reminders}


def run_weekly(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return {"today": day.isoformat(), "digests": alerts.weekly_digest(today=day),
            "escalations": alerts.escalation_send(today=day)}


@db_periodic_task(local_crontab(hour=DAILY_SCAN_AT[0], minute=DAILY_SCAN_AT[1]), priority=ALERTS_PRIORITY)
def daily_scan_periodic():
    return run_daily_scan()


def run_claims_retry(today: str | None = None) -> dict:
    """When a worker died between claiming and sending (claims older than NOTIFY_CLAIM_TIMEOUT_MINUTES never
    confirmed), run the scans again: they send nothing new, but take those claims over and send them, once."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    stale = alerts.stale_claim_kinds()
    done = {"today": day.isoformat()}
    if stale & alerts.DAILY_KINDS:
        done["daily"] = run_daily_scan(day.isoformat())
    if stale & alerts.WEEKLY_KINDS:
        done["weekly"] = run_weekly(day.isoformat())
    if stale & listeners.LISTENER_KINDS:
        done["agencies_informed"] = listeners.retry_stale()
    return done


@db_periodic_task(crontab(minute="*/15"), priority=ALERTS_PRIORITY)
def claims_retry_periodic():
    return run_claims_retry()


@db_periodic_task(local_crontab(hour=WEEKLY_AT[0], minute=WEEKLY_AT[1], monday_only=True), priority=ALERTS_PRIORITY)
def weekly_periodic():
    return run_weekly()


@db_task(priority=ALERTS_PRIORITY)
def daily_scan_job(today: str | None = None):
    """Run the scan now (e.g. after an import, or by hand from the admin shell)."""
    return run_daily_scan(today)


@db_task(priority=ALERTS_PRIORITY)
def weekly_job(today: str | None = None):
    return run_weekly(today)


@db_task(priority=ALERTS_PRIORITY, retries=3, retry_delay=60)
def agencies_inform_job(name: str, payload: dict):
    """Tell the agencies concerned by a domain event (report assessed, extension decided, task assigned)."""
    from nq57.monitoring.listeners import agencies_inform

    return agencies_inform(name=name, payload=payload)
