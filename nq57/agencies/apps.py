from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "nq57.agencies"
    label = "agencies"
    verbose_name = "Cơ quan"
