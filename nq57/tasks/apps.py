from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "nq57.tasks"
    label = "tasks"
    verbose_name = "Nhiệm vụ"

    def ready(self) -> None:
        from nq57.tasks import events  # noqa: F401 - declares the events this app publishes
