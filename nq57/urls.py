from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from nq57.api.api import api

admin.site.site_header = "Quản trị nq57"
admin.site.site_title = "nq57"


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", include("nq57.monitoring.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("nq57.accounts.urls")),
    path("agencies/", include("nq57.agencies.urls")),
    path("notices/", include("nq57.notices.urls")),
    path("tasks/", include("nq57.tasks.urls")),
    path("reports/", include("nq57.reports.urls")),
    path("api-tokens/", include("nq57.api.urls")),
    path("exchange/", include("nq57.exchange.urls")),
    path("taxonomy/", include("nq57.taxonomy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", healthz),
]
