from django.urls import path

from . import views

app_name = "accounts"

urlpatterns: list = [
    path("me/", views.home, name="home"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("verify/<str:uidb64>/<str:token>/", views.verify_email, name="verify_email"),
]
