from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "nq57.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from nq57.reports import events  # noqa: F401 - declares the events this app publishes
