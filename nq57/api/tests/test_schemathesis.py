"""Property-based run of every operation in the OpenAPI schema (Schemathesis): no input makes the server fail."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from nq57.api.services import token_create

EXAMPLES_PER_OPERATION = 6


@pytest.fixture
def schema(db):
    # like Django's test client: the WSGI handler must not close the test's connection (its transaction) per request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CONTRACT = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
            checks.response_schema_conformance]


@override_settings(API_RATE_LIMIT_PER_MINUTE=0)
@pytest.mark.parametrize("who", ["office", "alice"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_server_error_or_breaks_the_contract(cast, schema, mode, who):
    """With an office token and with an agency (focal point) token: no 5xx, every status declared in the OpenAPI
    document, every body of the declared type and shape; errors in ``{"code", "message", "errors"}``."""
    _, raw = token_create(user=getattr(cast, who), name="schemathesis")
    auth = {"Authorization": f"Bearer {raw}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers={**(case.headers or {}), **auth})
            where = (f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:200]!r} → "
                     f"{response.status_code}")
            try:
                case.validate_response(response, checks=CONTRACT, headers=auth)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failure is listed at the end
                failures.append(f"{where}: {str(exc)[:400]}")
                return
            if response.status_code >= 400 and response.status_code != 405:
                body = response.json()
                if set(body) != {"code", "message", "errors"}:
                    failures.append(f"{where}: error body {body}")

        run()
    assert failures == [], "\n".join(dict.fromkeys(failures))
