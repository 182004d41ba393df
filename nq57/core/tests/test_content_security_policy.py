"""Every page carries a strict Content-Security-Policy, and no template relies on what it forbids (inline scripts,
inline event handlers); the dashboard still draws its plotly charts under it."""

import re
from pathlib import Path

import pytest

import nq57
from nq57.core.testing import PASSWORD, build_cast
from nq57.core.tests.browser import login

ROOT = Path(nq57.__file__).parent


def test_pages_carry_the_policy(client, cast):
    for response in (client.get("/accounts/login/"), client.get("/healthz")):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy and "object-src 'none'" in policy
        assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    client.force_login(cast.office)
    assert "default-src 'self'" in client.get("/dashboard/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in ROOT.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            if "src=" not in match["attrs"] and "application/json" not in match["attrs"]:
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(ROOT)}: on…= handler")
    assert offenders == []


def test_the_proxy_https_header_is_trusted_only_when_configured(settings):
    from django.conf import settings as live

    assert getattr(live, "SECURE_PROXY_SSL_HEADER", None) is None  # not set in the test environment


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_its_charts_under_the_policy(page):
    build_cast()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    login(page, "leader", PASSWORD)
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-status-by-agency[data-ready='1']")
    assert page.locator("#chart-status-by-agency svg").count() > 0
    assert violations == []
