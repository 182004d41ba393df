"""Who may open a page is declared where the view is, and read by ``core.middleware.AccessMiddleware``.

Three levels:
- ``@public`` / ``PublicMixin``: anyone, signed in or not (login, sign-up, organisation registration, health check);
- ``@signed_in`` / ``SignedInMixin``: any active account, citizens included (their own things);
- nothing declared: the internal pages — a staff-side membership is needed (office, focal point, leader: roles
  registered with ``staff=True`` in ``core.roles``); an anonymous visitor is sent to the login page, a citizen
  gets the 403 page.

URL trees that authenticate on their own (the API with its tokens, the Django admin) are included through
``own_auth(...)``, which marks every view in them public for the middleware.
"""

import functools

PUBLIC = "public"
SIGNED_IN = "signed_in"
STAFF = "staff"

ATTRIBUTE = "nq57_access"


def _mark(view, level: str):
    setattr(view, ATTRIBUTE, level)
    return view


def public(view):
    """Anyone may open this view, anonymous visitors included."""
    return _mark(view, PUBLIC)


def signed_in(view):
    """Any signed-in account may open this view, citizens included."""
    return _mark(view, SIGNED_IN)


class PublicMixin:
    nq57_access = PUBLIC


class SignedInMixin:
    nq57_access = SIGNED_IN


def access_level(view_func) -> str:
    """The level a resolved view declared (function attribute, or class attribute of a class-based view)."""
    level = getattr(view_func, ATTRIBUTE, None)
    if level is None:
        level = getattr(getattr(view_func, "view_class", None), ATTRIBUTE, None)
    return level or STAFF


def own_auth(urls):
    """Mark every view of an ``include``-style URL tree (``api.urls``, ``admin.site.urls``) public for the
    middleware: the tree authenticates and authorises its requests itself."""
    patterns = urls[0] if isinstance(urls, tuple) else urls
    _mark_tree(patterns)
    return urls


def _mark_tree(patterns) -> None:
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _mark_tree(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            try:
                setattr(callback, ATTRIBUTE, PUBLIC)
            except AttributeError:  # a bound method (django-ninja's path views): wrap it
                pattern.callback = _public_wrapper(callback)


def _public_wrapper(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return _mark(wrapper, PUBLIC)
