from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "nq57.exchange"
    label = "exchange"
    verbose_name = "Trao đổi dữ liệu"
