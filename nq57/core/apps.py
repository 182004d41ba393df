from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nq57.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("roles")  # every app's roles.py declares its membership roles (core.roles)
        # Django's own message is English (no Vietnamese translation ships for it): every form says it in Vietnamese
        from django.core.validators import ProhibitNullCharactersValidator

        ProhibitNullCharactersValidator.message = "Không được chứa ký tự NUL (\\x00); hãy xoá ký tự đó rồi gửi lại."
