from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nq57.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("roles")  # every app's roles.py declares its membership roles (core.roles)
