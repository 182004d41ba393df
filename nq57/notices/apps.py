from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "nq57.notices"
    label = "notices"
    verbose_name = "Thông báo"
