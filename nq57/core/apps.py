from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nq57.core"
    label = "core"
    verbose_name = "Hệ thống"
