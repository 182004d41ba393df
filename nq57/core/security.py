"""Response headers that hold whatever a page contains: a strict Content-Security-Policy.

Everything nq57 serves is local (no CDN), so scripts come only from our own static files: no inline ``<script>``,
no ``on…=`` attributes (behaviour is wired by data attributes in ``static/nq57/site.js``), no ``eval``. Styles allow
inline ``style`` because plotly.js sets styles on the elements it draws. Django 5.2 has no CSP support of its own.
"""

from django.conf import settings

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or DEFAULT_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
