from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "nq57.exchange"
    label = "exchange"
    verbose_name = "Trao đổi dữ liệu"
    api_router = "nq57.exchange.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.exchange import events  # noqa: F401 - declares the events this app publishes
