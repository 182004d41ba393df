from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nq57.monitoring"
    label = "monitoring"
    verbose_name = "Giám sát"
    api_router = "nq57.monitoring.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.monitoring import alerts, listeners  # noqa: F401 - this app's notification kinds, listeners
