from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "nq57.reports"
    label = "reports"
    verbose_name = "Báo cáo"
    api_router = "nq57.reports.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.reports import events  # noqa: F401 - declares the events this app publishes
