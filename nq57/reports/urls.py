from django.urls import path

from . import views

app_name = "reports"

urlpatterns: list = [
    path("task/<int:task_id>/new/", views.report_submit, name="report_submit"),
    path("<int:pk>/assess/", views.report_assess, name="report_assess"),
    path("extensions/task/<int:task_id>/new/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
