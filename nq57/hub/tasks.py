"""Huey jobs of the hub: embedding a saved item, and telling the other party of a deal what happened.

Both are queued by ``hub.listeners`` after the service's transaction commits, so a page never waits on the model
or on the mail server."""

import logging

from huey.contrib.djhuey import db_task

log = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=30)
def embed_item(kind: str, pk: int) -> bool:
    from nq57.hub.services import item_embed

    return item_embed(kind=kind, pk=pk)


@db_task(retries=3, retry_delay=60)
def notify_parties(*, kind: str, deal_id: int | None = None, problem_id: int | None = None,
                   to_organisation_id: int, author_id: int | None = None, note: str = "",
                   milestone_id: int | None = None) -> int:
    from nq57.hub.listeners import send_notifications

    return send_notifications(kind=kind, deal_id=deal_id, problem_id=problem_id,
                              to_organisation_id=to_organisation_id, author_id=author_id, note=note,
                              milestone_id=milestone_id)
