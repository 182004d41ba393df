"""The schema and the browsable docs: served locally, no asset from any other host."""

import re

from django.test import Client


def test_the_docs_page_loads_no_external_asset(db):
    client = Client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    external = re.findall(r"""(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", html)
    assert external == []
    assert "cdn" not in html.lower()
    for asset in re.findall(r"""(?:src|href)="([^"]+)""", html):
        assert asset.startswith("/api/v1/docs/assets/")
        assert client.get(asset).status_code == 200


def test_the_openapi_schema_is_public_and_describes_token_auth(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "nq57 API"
    assert "TokenAuth" in schema["components"]["securitySchemes"]
    assert "/api/v1/tasks/{task_id}" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/tasks/{task_id}"]
