from django.urls import path

from . import preference_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("consolidated/", views.consolidated, name="consolidated"),
    path("consolidated/issue/", views.consolidated_issue, name="consolidated_issue"),
    path("escalation/", views.escalation, name="escalation"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/preferences/", preference_views.notification_preferences, name="notification_preferences"),
    path("overview/", views.overview, name="overview_all"),
    path("my/", views.my_agency, name="my_agency"),
]
