"""Huey jobs of the platform itself. Thin: each calls one function."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from nq57.core.dbstats import statistics_refresh


@db_periodic_task(crontab(minute="40", hour="20"))  # once a day, at night in Vietnam (huey's clock is UTC)
def statistics_refresh_periodic() -> bool:
    return statistics_refresh()
