"""Existing task notifications and claims get the task as their generic target; kinds get their app's prefix.
(A migration of its own: on PostgreSQL, rows updated under deferred foreign-key checks cannot be followed by an
ALTER TABLE in the same transaction.)"""

from django.db import migrations, models

KIND_NAMES = {"reminder": "task.reminder", "overdue": "task.overdue", "overdue_event": "task.overdue_event",
              "digest": "monitoring.digest", "escalation": "monitoring.escalation"}


def tasks_to_targets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _ = ContentType.objects.get_or_create(app_label="tasks", model="task")
    for name in ("Notification", "Dispatch"):
        model = apps.get_model("monitoring", name)
        model.objects.filter(task__isnull=False).update(content_type=task_type, object_id=models.F("task_id"))
        for old, new in KIND_NAMES.items():
            model.objects.filter(kind=old).update(kind=new)


def targets_to_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type = ContentType.objects.filter(app_label="tasks", model="task").first()
    for name in ("Notification", "Dispatch"):
        model = apps.get_model("monitoring", name)
        if task_type is not None:
            model.objects.filter(content_type=task_type).update(task_id=models.F("object_id"))
        model.objects.exclude(content_type=task_type).filter(content_type__isnull=False).delete()
        for old, new in KIND_NAMES.items():
            model.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0003_generic_targets_and_preferences'),
    ]

    operations = [
        migrations.RunPython(tasks_to_targets, targets_to_tasks),
    ]
