"""``core.sessions``: Django's database sessions with a compiled read; the same rows either way."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from nq57.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_site_uses_it():
    assert settings.SESSION_ENGINE == "nq57.core.sessions"


def test_a_session_written_by_either_store_reads_the_same_in_the_other():
    django_session = DjangoStore()
    django_session["who"] = "Nguyễn Văn A"
    django_session.create()
    ours = SessionStore(session_key=django_session.session_key)
    assert ours.load() == {"who": "Nguyễn Văn A"}
    assert ours.session_key == django_session.session_key

    ours = SessionStore()
    ours["n"] = 57
    ours.create()
    assert DjangoStore(session_key=ours.session_key).load() == {"n": 57}


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key():
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(session_key=store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore(session_key="khong-co-phien-nay-12345")
    assert unknown.load() == {} and unknown.session_key is None
    assert SessionStore(session_key=None).load() == {}


def test_signing_in_and_out_through_the_pages(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="an", password="mat-khau-dai-57"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(session_key=key).load()  # the session the login wrote, read back by this store
    client.logout()
    assert not Session.objects.filter(session_key=key).exists()
