import pytest

pytest_plugins = ["nq57.core.tests.browser"]


@pytest.fixture
def cast(db):
    """The named cast of nq57.core.testing: office, alice (Bộ KH&CN), bob (Bộ Tài chính), carol, leader."""
    from nq57.core.testing import build_cast

    return build_cast()


@pytest.fixture
def client_for(client):
    """Log a member of the cast into the Django test client: ``client_for(cast.alice)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


def _max_ids() -> dict:
    """The highest primary key of every table with an integer key (history tables included)."""
    from django.apps import apps
    from django.db.models import Max

    highest = {}
    for model in apps.get_models(include_auto_created=True):
        pk = model._meta.pk
        if pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            highest[model] = model._base_manager.aggregate(m=Max(pk.attname))["m"] or 0
    return highest


@pytest.fixture(scope="module")
def agency_registry(django_db_setup, django_db_blocker):
    """The agency registry (``registry_load``: ~270 agencies, ~600 aliases with their history), loaded ONCE for the
    tests of a module rather than once per test, and removed after the module's last test. Tests still run in their
    own transactions (``db``) and see it."""
    from django.db import connection, transaction

    from nq57.agencies.services import registry_load

    with django_db_blocker.unblock():
        before = _max_ids()
        counts = registry_load()
    yield counts
    with django_db_blocker.unblock(), transaction.atomic():  # foreign keys are checked at commit
        for model, highest in _max_ids().items():
            if highest > before.get(model, 0):
                table, column = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name(column)} > %s",
                                   [before.get(model, 0)])
