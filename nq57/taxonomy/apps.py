from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "nq57.taxonomy"
    label = "taxonomy"
    verbose_name = "Danh mục dùng chung"
