"""/favicon.ico: the site's own icon (browsers ask for it whatever the page links), public and cached."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_served_with_a_long_cache(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert "max-age=2592000" in response["Cache-Control"]
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
