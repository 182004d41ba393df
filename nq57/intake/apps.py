from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "nq57.intake"
    label = "intake"
    verbose_name = "Tiếp nhận phản ánh, kiến nghị, sáng kiến"

    def ready(self) -> None:
        from nq57.intake import events, models  # noqa: F401 - events, notification kinds, badges
