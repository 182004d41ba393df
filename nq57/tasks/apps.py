from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "nq57.tasks"
    label = "tasks"
    verbose_name = "Nhiệm vụ"
    api_router = "nq57.tasks.api.router"  # mounted under /api/v1/ by nq57.api.api

    def ready(self) -> None:
        from nq57.tasks import events  # noqa: F401 - declares the events this app publishes
