from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "nq57.reports"
    label = "reports"
    verbose_name = "Báo cáo"
