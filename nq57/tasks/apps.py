from django.apps import AppConfig
from django.db.models.signals import post_migrate


def tally_clear_after_flush(sender, apps=None, using="default", **kwargs):
    """After a database flush, empty the task tally and the overdue spans when no task is left.

    On SQLite a flush is one ``DELETE`` per table, in no fixed order when it cascades (the end of a transactional
    test). Deleting the tally before the tasks lets the tasks' delete triggers write counts below zero for agencies
    that no longer exist. A flush is followed by ``post_migrate``; with no task there is nothing to count, so any row
    left is such a remnant. (PostgreSQL flushes with ``TRUNCATE``, which fires no row trigger.)"""
    if apps is None:  # ``flush`` sends the signal without the migration state: the models as they are
        from django.apps import apps
    try:
        task = apps.get_model("tasks", "Task")
        tallies = [apps.get_model("tasks", "TaskTally"), apps.get_model("tasks", "OverdueSpan")]
    except LookupError:  # migrating backwards, or not that far yet
        return
    if not task.objects.using(using).exists():
        for tally in tallies:
            tally.objects.using(using).all().delete()


class TasksConfig(AppConfig):
    name = "nq57.tasks"
    label = "tasks"
    verbose_name = "Nhiệm vụ"
    api_router = "nq57.tasks.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.tasks import events  # noqa: F401 - declares the events this app publishes

        post_migrate.connect(tally_clear_after_flush, sender=self, dispatch_uid="tasks-tally-after-flush")
