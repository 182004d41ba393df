import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate

SEED_MIGRATION = "nq57.taxonomy.migrations.0003_seed_programmes_themes_catalogue"


def reference_data_restore(sender, apps=None, using="default", **kwargs):
    """After a database flush (``flush``, the end of a transactional test), put the seeded reference data back.

    ``migrate`` seeds it once (migration 0003); a flush empties every table and then sends ``post_migrate``. Only an
    install without any programme is re-seeded, from the same data, so rows the office changed or removed are never
    brought back on a later ``migrate``.
    """
    if apps is None:  # ``flush`` sends the signal without the migration state: the models as they are
        from django.apps import apps
    try:
        programme = apps.get_model("taxonomy", "Programme")
        apps.get_model("taxonomy", "TechnologyField")
    except LookupError:  # migrating backwards, or not that far yet
        return
    if programme.objects.using(using).exists():
        return
    importlib.import_module(SEED_MIGRATION).seed(apps, None)


class TaxonomyConfig(AppConfig):
    name = "nq57.taxonomy"
    label = "taxonomy"
    verbose_name = "Danh mục dùng chung"

    def ready(self):
        post_migrate.connect(reference_data_restore, sender=self, dispatch_uid="taxonomy-reference-data")
