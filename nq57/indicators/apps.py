from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "nq57.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu và bộ tiêu chí"
    api_router = "nq57.indicators.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.indicators import computations, escalation, events, listeners, notifications  # noqa: F401 - registrations
