from pathlib import Path

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from nq57.api.api import api
from nq57.core.public import own_auth, public

admin.site.site_header = "Quản trị nq57"
admin.site.site_title = "nq57"


@public
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


FAVICON = Path(__file__).resolve().parent / "static" / "nq57" / "favicon.ico"


@public
def favicon(request):
    """Browsers ask /favicon.ico whatever the page says: the site's own icon, cached for 30 days."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=2592000"
    return response


urlpatterns = [
    path("favicon.ico", favicon),
    path("", include("nq57.monitoring.urls")),
    path("accounts/login/", public(auth_views.LoginView.as_view(template_name="accounts/login.html")), name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password-reset/", public(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path("accounts/password-reset/sent/", public(auth_views.PasswordResetDoneView.as_view()),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", public(auth_views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("accounts/reset/done/", public(auth_views.PasswordResetCompleteView.as_view()),
         name="password_reset_complete"),
    path("accounts/", include("nq57.accounts.urls")),
    path("agencies/", include("nq57.agencies.urls")),
    path("notices/", include("nq57.notices.urls")),
    path("tasks/", include("nq57.tasks.urls")),
    path("reports/", include("nq57.reports.urls")),
    path("api-tokens/", include("nq57.api.urls")),
    path("exchange/", include("nq57.exchange.urls")),
    path("taxonomy/", include("nq57.taxonomy.urls")),
    path("indicators/", include("nq57.indicators.urls")),
    path("hub/", include("nq57.hub.urls")),
    path("phan-anh/", include("nq57.intake.urls")),
    path("admin/", own_auth(admin.site.urls)),  # the admin and the API check who calls them themselves
    path("api/v1/", own_auth(api.urls)),
    path("healthz", healthz),
]

handler403 = "nq57.accounts.views.permission_denied"  # the one Vietnamese 403 page, with the refusal's message
handler400 = "nq57.core.error_pages.bad_request"  # a body over the limit is a 413 (Vietnamese page / API JSON)
