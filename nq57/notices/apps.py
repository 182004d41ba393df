from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "nq57.notices"
    label = "notices"
    verbose_name = "Thông báo"
    api_router = "nq57.notices.api.router"  # mounted under /api/v1/ by nq57.api.api
