from django.urls import include, path

from . import import_views, views

app_name = "notices"

urlpatterns: list = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/source/", views.notice_source, name="notice_source"),
    path("import/", include(import_views.urlpatterns)),
]
