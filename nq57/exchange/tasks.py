"""Huey jobs of the exchange app (discovered by huey.contrib.djhuey): a web import runs here, chunk by chunk
(``exchange.batches``); a sweep resumes a batch whose worker died; a daily job removes abandoned batches."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from nq57.core.errors import ServiceError

log = logging.getLogger(__name__)


@db_task()
def import_batch_job(batch_id: int, user_id: int) -> dict:
    from nq57.accounts.models import User
    from nq57.exchange.batches import batch_run, batch_status

    actor = User.objects.get(pk=user_id)
    try:
        batch = batch_run(batch_id=batch_id, actor=actor)
    except ServiceError as exc:  # kept on the batch (``error``) for the page to show
        log.info("import batch %s refused: %s", batch_id, exc.message)
        return {"id": batch_id, "status": "failed"}
    return batch_status(batch)


@db_periodic_task(crontab(minute="*/5"))
def import_batches_resume_periodic() -> int:
    """A batch ``running`` whose last chunk committed long ago lost its worker: queue it again (it resumes)."""
    from nq57.exchange.batches import batches_stale

    batches = batches_stale()
    for batch in batches:
        import_batch_job(batch.pk, batch.created_by_id)
    return len(batches)


@db_periodic_task(crontab(hour="2", minute="17"))
def import_batches_cleanup_periodic() -> int:
    from nq57.exchange.batches import batches_abandoned_delete

    return batches_abandoned_delete()
