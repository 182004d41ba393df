from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "nq57.hub"
    label = "hub"
    verbose_name = "Sàn kết nối 3 Nhà"
    api_router = "nq57.hub.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.hub import events, indicator_sources, listeners, notifications  # noqa: F401 - registrations
