from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nq57.monitoring"
    label = "monitoring"
    verbose_name = "Giám sát"
