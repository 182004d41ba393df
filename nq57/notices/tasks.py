"""Huey jobs of the notices app (discovered by huey.contrib.djhuey): abandoned import drafts are removed daily."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="11"))
def drafts_cleanup_periodic() -> int:
    from nq57.notices.services import drafts_abandoned_delete

    return drafts_abandoned_delete()
