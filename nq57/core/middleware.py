"""Access by page: the level each view declares (``core.public``) decides who may open it.

Anonymous visitors reach public views only (others redirect to the login page); citizens reach public and
``signed_in`` views; everything else needs a staff-side membership and answers the Vietnamese 403 page otherwise.
URLs that resolve to no view answer 404 as usual.

A form posted after the session expired is not lost: its text fields are kept in the session (``core.kept_form``)
and the login page leads back to the form's page, which fills them in again. A blank "405 Method Not Allowed" of a
web page becomes the Vietnamese refusal page (``core.refusals``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login

from nq57.core import kept_form, refusals
from nq57.core.access import STAFF_ONLY
from nq57.core.errors import PermissionDeniedError
from nq57.core.public import PUBLIC, SIGNED_IN, access_level


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = refusals.refusal(request, refusals.METHOD_NOT_ALLOWED.format(method=request.method), status=405,
                                    heading="Không thực hiện được yêu cầu")
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        level = access_level(view_func)
        if level == PUBLIC:
            return None
        if not request.user.is_authenticated:
            if request.method == "POST":
                return self._keep_and_login(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if level == SIGNED_IN or request.user.is_staff_side:
            return None
        raise PermissionDeniedError(STAFF_ONLY)

    @staticmethod
    def _keep_and_login(request):
        """A form posted without a session (it expired while the form was open): keep what was typed and send the
        user to log in, then back to the form's page (never to the POST-only address, which would answer 405)."""
        page = kept_form.form_page(request)
        if page is None:
            return redirect_to_login("/", settings.LOGIN_URL)
        kept_form.keep_post(request, page=page)
        messages.warning(request, "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại: nội dung bạn đã nhập được giữ "
                                  "lại và sẽ hiện lại trên biểu mẫu.")
        return redirect_to_login(page, settings.LOGIN_URL)
