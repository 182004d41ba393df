from django.urls import path

from nq57.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("gui/", views.submit, name="submit"),
    path("theo-doi/", views.follow_lookup, name="follow_lookup"),
    path("theo-doi/<str:code>/<str:secret>/", views.follow, name="follow"),
    path("xac-nhan/<str:token>/", views.verify, name="verify"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("cong-khai/<str:code>/", views.public_detail, name="public_detail"),
    path("cong-khai/<str:code>/ung-ho/", views.support, name="support"),
    path("phan-loai/", views.queue, name="queue"),
    path("can-tra-loi/", views.inbox, name="inbox"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("nguoi-gui/", views.sender_data, name="sender_data"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("ung-ho/xac-nhan/<str:token>/", views.support_confirm, name="support_confirm"),
]
