import pytest
from django.core.cache import caches

from nq57.api.http import rate_limit_reset
from nq57.api.services import token_cache_clear, token_create
from nq57.api.tests.helpers import ApiClient


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    caches["api"].clear()
    rate_limit_reset()
    token_cache_clear()
    yield
    caches["api"].clear()
    rate_limit_reset()


@pytest.fixture
def api_as(cast):
    """``api_as(cast.alice)`` → a client with a fresh token of alice; ``api_as(None)`` → anonymous."""

    def make(user):
        if user is None:
            return ApiClient()
        _, raw = token_create(user=user, name=f"test {user.username}")
        return ApiClient(raw)

    return make
