from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "nq57.agencies"
    label = "agencies"
    verbose_name = "Cơ quan"
    api_router = "nq57.agencies.api.router"  # mounted under /api/v1/ by nq57.api.api
