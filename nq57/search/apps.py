from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "nq57.search"
    label = "search"
    verbose_name = "Tìm kiếm"
