"""The signed-in person's notification preferences: e-mail on/off, weekly digest on/off (in-app always)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from nq57.core.errors import ServiceError
from nq57.monitoring.notifications import preference_set, preferences_for


@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    preference = preferences_for(request.user)
    if request.method == "POST":
        try:
            preference_set(actor=request.user, user=request.user,
                           email_enabled=request.POST.get("email_enabled") == "on",
                           weekly_digest=request.POST.get("weekly_digest") == "on")
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã lưu tùy chọn nhận thông báo.")
            return redirect("monitoring:notification_preferences")
    return render(request, "monitoring/notification_preferences.html", {"preference": preference})
