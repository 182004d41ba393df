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


# --- the migrated test database, built once per set of migrations (SQLite) ---------------------------------------

def _migrations_key() -> str:
    """A digest of every installed app's migration files and the Django version: the cache key of a migrated DB."""
    import hashlib
    from pathlib import Path

    import django
    from django.apps import apps

    digest = hashlib.sha256(django.__version__.encode())
    for config in apps.get_app_configs():
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _migrate_from_template(original):
    """``call_command`` that answers the test database's ``migrate`` (SQLite only) by copying a database migrated
    earlier with the same migrations (content types and permissions included), and keeps a copy after a real
    migration. Any other command, database or backend goes through unchanged. ``NQ57_TEST_DB_CACHE=0`` turns it
    off."""
    import os
    import sqlite3
    import tempfile
    from pathlib import Path

    from django.db import connections

    def call_command(name, *args, **options):
        connection = connections[options.get("database") or "default"]
        if name != "migrate" or connection.vendor != "sqlite" or os.environ.get("NQ57_TEST_DB_CACHE") == "0":
            return original(name, *args, **options)
        template = Path(tempfile.gettempdir()) / f"nq57-test-db-{_migrations_key()}.sqlite3"
        connection.ensure_connection()
        if template.is_file():
            source = sqlite3.connect(template)
            try:
                source.backup(connection.connection)
                return None
            finally:
                source.close()
        result = original(name, *args, **options)
        partial = template.with_suffix(f".{os.getpid()}.part")
        target = sqlite3.connect(partial)
        connection.connection.backup(target)
        target.close()
        os.replace(partial, template)  # atomic: two workers may write it at once
        return result

    return call_command


_ORIGINAL_CALL_COMMAND = []


@pytest.fixture(scope="session")
def _migrations_from_template():
    from django.core import management

    _ORIGINAL_CALL_COMMAND.append(management.call_command)
    management.call_command = _migrate_from_template(management.call_command)
    yield


@pytest.fixture(scope="session")
def django_db_setup(_migrations_from_template, django_db_setup):
    """pytest-django's ``django_db_setup`` (requested after the patch), with migrations run once per set of
    migration files rather than once per worker and per run (see ``_migrate_from_template``)."""
    from django.core import management

    if _ORIGINAL_CALL_COMMAND:  # the test database exists: every later ``migrate`` is a real one
        management.call_command = _ORIGINAL_CALL_COMMAND.pop()
    yield
