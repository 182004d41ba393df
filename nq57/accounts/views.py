"""Pages about accounts: the one 403 page, the signed-in person's page, citizen sign-up and e-mail verification."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from nq57.accounts import selectors, services
from nq57.accounts.forms import SignUpForm
from nq57.core.errors import ServiceError
from nq57.core.forms import form_errors_add
from nq57.core.public import public, signed_in

DEFAULT_REFUSAL = "Tài khoản của bạn không có quyền mở trang này hoặc thực hiện thao tác này."


def forbidden(request, message: str):
    """403 with a plain-Vietnamese explanation of why the action was refused and where to go instead."""
    return render(request, "403.html", {"message": message or DEFAULT_REFUSAL}, status=403)


def permission_denied(request, exception=None):
    """``handler403``: every refusal of a web view (``PermissionDeniedError`` or Django's ``PermissionDenied``)
    is this one page, with the refusal's message."""
    message = getattr(exception, "message", None) or (str(exception) if exception is not None else "")
    return forbidden(request, message)


@signed_in
def home(request):
    """Where signing in leads: staff go to the home page (the overview; a focal point's agency tasks); a citizen sees
    their own page."""
    if request.user.is_staff_side:
        return redirect("monitoring:overview")
    return render(request, "accounts/home.html", {
        "memberships": selectors.memberships_of(request.user),
        "registered": request.user.registered_organisations.order_by("-registered_at"),
    })


@public
@require_http_methods(["GET", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.citizen_sign_up(email=data["email"], full_name=data["full_name"], password=data["password1"],
                                     verify_url_base=request.build_absolute_uri("/"))
        except ServiceError as exc:
            form_errors_add(form, exc.errors or {None: [exc.message]})
        else:
            return render(request, "accounts/sign_up_sent.html", {"email": data["email"]})
    elif request.method == "POST":  # the form's problems and the service's (an address already used) together
        form_errors_add(form, services.sign_up_problems(email=form.cleaned_data.get("email"),
                                                        full_name=form.cleaned_data.get("full_name")))
    return render(request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@public
@require_http_methods(["GET", "POST"])
def verify_email(request, uidb64: str, token: str):
    """GET shows the confirmation button (a GET never writes); POST activates the account."""
    if request.method == "POST":
        try:
            services.citizen_verify_email(uidb64=uidb64, token=token)
        except ServiceError as exc:
            return render(request, "accounts/verify_email.html", {"error": exc.message}, status=400)
        return render(request, "accounts/verify_email.html", {"done": True})
    user = services.verification_user(uidb64, token)
    if user is None:
        return render(request, "accounts/verify_email.html",
                      {"error": "Liên kết xác nhận không hợp lệ hoặc đã hết hạn."}, status=400)
    return render(request, "accounts/verify_email.html", {"pending_user": user})
