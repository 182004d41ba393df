"""Huey jobs of the API app (discovered by huey.contrib.djhuey): webhook deliveries with exponential backoff."""

from huey.contrib.djhuey import db_task

from nq57.api.models import DeliveryState, WebhookDelivery


@db_task()
def webhook_deliver(delivery_id: int) -> None:
    from nq57.api.webhooks import backoff_seconds, delivery_attempt

    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return
    if not delivery.subscription.is_active:  # paused: stays pending; resuming the subscription queues it again
        return
    if not delivery_attempt(delivery) and delivery.state == DeliveryState.PENDING:
        webhook_deliver.schedule((delivery_id,), delay=backoff_seconds(delivery.attempts))
