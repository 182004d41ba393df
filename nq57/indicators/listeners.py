"""When a notice is imported, its targets become proposed indicators: the notice import creates its tasks
(``task.created`` with the notice id, after the import's transaction commits); the first such event of a newly
confirmed import queues ``indicators.tasks.proposals_for_notice_job`` (idempotent: a target already proposed for the
notice is not proposed twice). The daily job and the office's button on ``/indicators/proposals/`` catch anything
missed (a worker down, a notice with no tasks)."""

from nq57.core.events import DomainEvent, listener

#: notice id -> the confirmed import whose targets were queued, in this process (the job itself is idempotent)
_queued: dict[int, int] = {}


@listener("task.created")
def notice_imported(event: DomainEvent) -> None:
    from nq57.notices.models import NoticeDraft

    notice_id = event.payload.get("notice_id")
    if not notice_id or event.payload.get("parent_id"):
        return
    draft_id = (NoticeDraft.objects.filter(notice_id=notice_id, confirmed_at__isnull=False)
                .order_by("-confirmed_at").values_list("id", flat=True).first())
    if draft_id is None or _queued.get(notice_id) == draft_id:
        return
    _queued[notice_id] = draft_id
    from nq57.indicators.tasks import proposals_for_notice_job

    proposals_for_notice_job(notice_id)
