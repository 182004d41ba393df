from django.urls import path

from . import views

app_name = "agencies"

urlpatterns: list = [
    path("", views.agency_list, name="agency_list"),
    path("<int:pk>/", views.agency_detail, name="agency_detail"),
    path("register/", views.register, name="register"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/", views.registration_decide, name="registration_decide"),
]
