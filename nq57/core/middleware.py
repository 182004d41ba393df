"""Access by page: the level each view declares (``core.public``) decides who may open it.

Anonymous visitors reach public views only (others redirect to the login page); citizens reach public and
``signed_in`` views; everything else needs a staff-side membership and answers the Vietnamese 403 page otherwise.
URLs that resolve to no view answer 404 as usual.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from nq57.core.access import STAFF_ONLY
from nq57.core.errors import PermissionDeniedError
from nq57.core.public import PUBLIC, SIGNED_IN, access_level


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        level = access_level(view_func)
        if level == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if level == SIGNED_IN or request.user.is_staff_side:
            return None
        raise PermissionDeniedError(STAFF_ONLY)
