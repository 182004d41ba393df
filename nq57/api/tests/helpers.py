"""Helpers for the API tests: a token-carrying client and the error-shape check."""

import json

from django.test import Client


class ApiClient:
    """The Django test client speaking to /api/v1/ with a bearer token (or none)."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def request(self, method: str, path: str, data=None, *, headers: dict | None = None, raw: bytes | None = None,
                content_type: str = "application/json"):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        body = raw if raw is not None else (json.dumps(data) if data is not None else None)
        if method in {"get", "head"}:
            return getattr(self.client, method)(url, data or {}, **extra)
        if body is None:
            return getattr(self.client, method)(url, **extra)
        return getattr(self.client, method)(url, body, content_type=content_type, **extra)

    def get(self, path, params=None, **kw):
        return self.request("get", path, params, **kw)

    def post(self, path, data=None, **kw):
        return self.request("post", path, data, **kw)

    def patch(self, path, data=None, **kw):
        return self.request("patch", path, data, **kw)

    def delete(self, path, **kw):
        return self.request("delete", path, **kw)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "errors"}, body
    assert body["message"] and isinstance(body["errors"], dict)
    if code:
        assert body["code"] == code, body
    return body
