"""Webhooks go to public addresses only: every spelling of loopback, private and link-local addresses is refused at
subscription and again at delivery; answers are logged by status and size, never by body."""

import pytest

from nq57.api.services import webhook_subscribe
from nq57.core.errors import ServiceError
from nq57.core.netguard import destination_check

PRIVATE = ["http://127.0.0.1/hook", "http://localhost:8000/hook", "http://[::1]/hook", "http://0x7f000001/hook",
           "http://2130706433/hook", "http://127.1/hook", "http://169.254.169.254/latest/meta-data/",
           "http://10.1.2.3/hook", "http://192.168.1.10/hook", "http://172.16.0.5/hook", "http://[::ffff:127.0.0.1]/",
           "http://0.0.0.0/hook", "https://[fe80::1]/hook"]


@pytest.fixture
def strict(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize("url", PRIVATE)
def test_private_destinations_are_refused(strict, url):
    with pytest.raises(ServiceError) as exc:
        destination_check(url)
    assert "mạng nội bộ" in exc.value.message or "Không phân giải" in exc.value.message


def test_a_public_address_passes(strict):
    destination_check("http://8.8.8.8/hook")  # a literal: no DNS needed, nothing is sent


@pytest.mark.parametrize("url", ["http://127.0.0.1/hook", "http://0x7f000001/hook", "http://169.254.169.254/"])
def test_the_office_cannot_subscribe_a_private_destination(strict, cast, url):
    from nq57.api.models import WebhookSubscription

    with pytest.raises(ServiceError) as exc:
        webhook_subscribe(actor=cast.office, url=url, secret="bí-mật-đủ-dài-123456", events=["task.created"])
    assert exc.value.field == "url"
    assert not WebhookSubscription.objects.exists()


def test_a_delivery_to_an_address_that_became_private_is_not_sent(cast, settings):
    from nq57.api.models import WebhookDelivery
    from nq57.api.webhooks import delivery_attempt

    settings.WEBHOOK_ALLOW_PRIVATE = True  # subscribed while allowed (as if DNS pointed elsewhere then)
    subscription = webhook_subscribe(actor=cast.office, url="http://127.0.0.1:9/hook", secret="bí-mật-đủ-dài-123456",
                                     events=["task.created"])
    delivery = WebhookDelivery.objects.create(subscription=subscription, event="task.created", payload={"x": 1})
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert delivery_attempt(delivery) is False
    delivery.refresh_from_db()
    assert delivery.status_code is None and "mạng nội bộ" in delivery.error
