from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "nq57.intake"
    label = "intake"
    verbose_name = "Tiếp nhận phản ánh, kiến nghị, sáng kiến"
    api_router = "nq57.intake.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.intake import escalation, events, models  # noqa: F401 - events, notification kinds, badges, escalation
