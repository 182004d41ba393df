"""Huey jobs of the indicators app: computed values refreshed, missing values reminded and escalated, targets of
newly imported notices proposed. Thin: each calls a service."""

import datetime as dt
import logging

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task, db_task

from nq57.core.access import SYSTEM
from nq57.indicators import services
from nq57.monitoring.tasks import ALERTS_PRIORITY, local_crontab

log = logging.getLogger(__name__)

DAILY_AT = (6, 15)  # after the monitoring scan (06:00 local time)


def run_daily(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    computed = services.computed_refresh(today=day)
    statuses = services.statuses_refresh(today=day)
    reminded = services.values_remind(today=day)
    proposed = services.proposals_collect(actor=SYSTEM)
    log.info("indicators %s: %s computed values, %s statuses changed, %s, %s proposals", day, computed, statuses,
             reminded, proposed)
    return {"today": day.isoformat(), "computed": computed, "statuses": statuses, **reminded, "proposed": proposed}


@db_periodic_task(local_crontab(hour=DAILY_AT[0], minute=DAILY_AT[1]), priority=ALERTS_PRIORITY)
def indicators_daily_periodic():
    return run_daily()


@db_task(priority=ALERTS_PRIORITY)
def indicators_daily_job(today: str | None = None):
    return run_daily(today)


@db_task(priority=ALERTS_PRIORITY)
def proposals_for_notice_job(notice_id: int):
    """The targets of a newly imported notice proposed as indicators (queued by ``indicators.listeners``)."""
    from nq57.notices.models import Notice

    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    return len(services.proposals_from_notice(actor=SYSTEM, notice=notice))
