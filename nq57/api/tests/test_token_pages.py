"""The token pages: create (shown once, stored hashed), list, revoke."""

import hashlib
import re

from nq57.api.models import ApiToken
from nq57.api.tests.helpers import ApiClient


def test_a_token_is_shown_once_stored_hashed_and_revocable(cast, client_for):
    client = client_for(cast.bob)
    page = client.post("/api-tokens/", {"name": "Kết nối NQ71"}).content.decode()
    raw = re.search(r'id="new-token-value"[^>]*>([^<]+)<', page).group(1)
    token = ApiToken.objects.get(user=cast.bob)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest() and raw.startswith(f"nq57_{token.prefix}_")
    assert raw not in client.get("/api-tokens/").content.decode()
    assert ApiClient(raw).get("me").json()["username"] == "bob"
    client.post(f"/api-tokens/{token.pk}/revoke/")
    assert ApiClient(raw).get("me").status_code == 401


def test_a_token_needs_a_name_and_others_cannot_revoke_it(cast, client_for):
    client = client_for(cast.alice)
    response = client.post("/api-tokens/", {"name": "  "})
    assert response.status_code == 400 and "Hãy đặt tên" in response.content.decode()
    token = ApiToken.objects.create(user=cast.bob, name="b", prefix="abcd1234", key_hash="0" * 64)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
