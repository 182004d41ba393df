from django.urls import path

from . import views

app_name = "agencies"

urlpatterns: list = [
    path("", views.agency_list, name="agency_list"),
    path("<int:pk>/", views.agency_detail, name="agency_detail"),
]
