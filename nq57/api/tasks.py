"""Huey jobs of the API app (discovered by huey.contrib.djhuey): webhook deliveries with exponential backoff.

The queued task is only the fast path; the delivery rows are the truth and ``webhooks_sweep_periodic`` posts whatever
is due (a retry whose queued task was lost, a delivery whose worker died, one that found no free slot)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from nq57.api.models import DeliveryState, WebhookDelivery


@db_task()
def webhook_deliver(delivery_id: int) -> None:
    from nq57.api.webhooks import backoff_seconds, delivery_run

    outcome = delivery_run(delivery_id)
    if outcome != "failed":
        return
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).only("state", "attempts").first()
    if delivery is not None and delivery.state == DeliveryState.PENDING:
        webhook_deliver.schedule((delivery_id,), delay=backoff_seconds(delivery.attempts))


@db_periodic_task(crontab(minute="*"))
def webhooks_sweep_periodic():
    from nq57.api.webhooks import deliveries_sweep

    return deliveries_sweep()
