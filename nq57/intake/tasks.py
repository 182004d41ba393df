"""Huey job of the intake: the daily answer-deadline watch (reminders before, escalation after)."""

import logging

from huey.contrib.djhuey import db_periodic_task

from nq57.intake import services
from nq57.monitoring.tasks import ALERTS_PRIORITY, local_crontab

log = logging.getLogger(__name__)


@db_periodic_task(local_crontab(hour=6, minute=10), priority=ALERTS_PRIORITY)
def answer_deadlines_periodic():
    result = services.answer_deadlines_watch()
    log.info("intake deadlines: %s", result)
    return result
