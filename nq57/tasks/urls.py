from django.urls import path

from . import views

app_name = "tasks"

urlpatterns: list = [
    path("", views.task_list, name="task_list"),
    path("export.xlsx", views.task_export, name="task_export"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/changes/", views.task_changes, name="task_changes"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/status/", views.task_status, name="task_status"),
    path("<int:pk>/schedule/", views.task_schedule, name="task_schedule"),
    path("<int:pk>/subtasks/new/", views.subtask_add, name="subtask_add"),
    path("<int:pk>/forms/<slug:name>/", views.task_form, name="task_form"),
]
