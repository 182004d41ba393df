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
