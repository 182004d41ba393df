"""Guessing passwords is throttled: after AXES_FAILURE_LIMIT wrong passwords an account, and an address, are locked
(the right password no longer helps), with a Vietnamese message and every attempt kept for the office."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from nq57.core.testing import make_office

LOGIN = "/accounts/login/"
LOCKED = "đã nhập sai mật khẩu quá nhiều lần"


@pytest.fixture
def user(db):
    person = make_office("thu.ky")
    person.set_password("Mat-khau-dung-2025")
    person.save()
    return person


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_after_many_wrong_ones_does_not_log_in(user):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "thu.ky", f"sai-{i}")
        assert response.status_code in (200, 429)
    response = attempt(client, "thu.ky", "Mat-khau-dung-2025")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_address(user):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "thu.ky", f"sai-{i}", address=f"10.0.1.{i}")
    response = attempt(Client(), "thu.ky", "Mat-khau-dung-2025", address="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_an_address_guessing_many_accounts_is_locked(user):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), f"ai-do-{i}", "sai", address="10.0.2.2")
    response = attempt(Client(), "thu.ky", "Mat-khau-dung-2025", address="10.0.2.2")
    assert response.status_code == 429
    assert attempt(Client(), "thu.ky", "Mat-khau-dung-2025", address="10.0.3.3").status_code == 302


def test_a_few_mistakes_then_the_right_password_log_in_and_attempts_are_recorded(user):
    from axes.models import AccessAttempt

    client = Client()
    for i in range(3):
        assert attempt(client, "thu.ky", f"sai-{i}").status_code == 200
    assert AccessAttempt.objects.filter(username="thu.ky").exists()
    assert attempt(client, "thu.ky", "Mat-khau-dung-2025").status_code == 302
    assert "_auth_user_id" in client.session


def test_the_attempts_are_visible_in_the_admin(user, client):
    from django.contrib.auth import get_user_model

    for i in range(2):
        attempt(Client(), "thu.ky", f"sai-{i}")
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.org", "Quan-tri-2025")
    client.force_login(admin)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "thu.ky" in page.content.decode()


def test_the_api_rate_limit_counts_per_person_not_per_token(cast, settings):
    from django.core.cache import caches

    from nq57.api.http import rate_limit_reset
    from nq57.api.services import token_create
    from nq57.api.tests.helpers import ApiClient

    settings.API_RATE_LIMIT_PER_MINUTE = 6
    caches["api"].clear()  # counts of earlier tests of this process (user ids are reused) must not carry over
    rate_limit_reset()
    clients = [ApiClient(token_create(user=cast.alice, name=f"t{i}")[1]) for i in range(4)]
    # the clock held mid-minute: the twelve requests fall into one rate window
    with time_machine.travel(dt.datetime(2025, 8, 1, 9, 0, 30, tzinfo=dt.UTC), tick=False):
        statuses = [clients[i % 4].get("tasks").status_code for i in range(12)]
    assert statuses.count(200) == 6 and statuses.count(429) == 6
    caches["api"].clear()
    rate_limit_reset()
