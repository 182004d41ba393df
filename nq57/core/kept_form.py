"""What a user typed into a form that could not be processed (the session had expired, the CSRF check failed) is kept
in the session under one key and given back, once, on the page the form was on.

``keep_post`` stores the posted text fields (never passwords, the CSRF token or files) with the GET address of the
form's page (``form_page``); the page renders the kept data as JSON (``base.html`` through the ``kept_form`` tag)
only when its own path matches, and ``nq57/static/nq57/kept_form.js`` fills the form's fields from it.
"""

import inspect
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "nq57_kept_form"
#: names never kept: secrets and the per-form token
SKIPPED = ("csrfmiddlewaretoken",)
#: a generous limit so that a pasted 160 KB text is kept, but the session cannot be made to grow without bound
MAX_CHARS = 400_000

EXPIRED_MESSAGE = ("Phiên đăng nhập đã hết hạn; nội dung bạn đã nhập được giữ lại, hãy kiểm tra và gửi lại.")
FILES_NOTE = "Trình duyệt không giữ được tệp đã chọn: vui lòng chọn lại tệp đính kèm."


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return name in SKIPPED or "password" in lowered or "token" in lowered or "secret" in lowered


def answers_get(path: str) -> bool:
    """Whether the view at ``path`` answers a GET (views wrapped in ``require_POST``/``require_http_methods`` say
    which methods they take; a class-based view has a ``get`` method)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    view = match.func
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "get")
    while view is not None:
        try:
            methods = inspect.getclosurevars(view).nonlocals.get("request_method_list")
        except (TypeError, ValueError):
            methods = None
        if methods is not None:
            return "GET" in methods
        view = getattr(view, "__wrapped__", None)
    return True


def form_page(request) -> str | None:
    """The GET address of the page the posted form was on: the path itself when it answers GET, else the Referer
    when it is on this site (never the login page); None when neither is known."""
    if answers_get(request.path):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        parts = urlsplit(referer)
        if parts.path and not parts.path.startswith("/accounts/login"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def keep_post(request, *, page: str) -> dict:
    """Store the POST's text fields for ``page``; returns what was stored."""
    fields: dict[str, list[str]] = {}
    size = 0
    for name in request.POST:
        if _is_secret(name):
            continue
        values = request.POST.getlist(name)
        size += sum(len(value) for value in values)
        if size > MAX_CHARS:
            break
        fields[name] = values
    kept = {"page": urlsplit(page).path, "action": request.path, "fields": fields, "files": bool(request.FILES)}
    request.session[SESSION_KEY] = kept
    return kept


def peek_for(request) -> dict | None:
    """The kept data of this page, left in the session (the page's view may build the form it is for; the page's
    template then hands it out once through ``pop_for``)."""
    session = getattr(request, "session", None)
    if session is None or request.method != "GET" or SESSION_KEY not in session:
        return None
    kept = session[SESSION_KEY]
    return kept if kept and kept.get("page") == request.path else None


def pop_for(request) -> dict | None:
    """The kept data of this page (removed from the session), or None. Other pages leave it where it is."""
    kept = peek_for(request)
    if kept is not None:
        del request.session[SESSION_KEY]
    return kept
