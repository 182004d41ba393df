"""Rebuild every task's search key as folded whole words padded with spaces (" chuyen doi so "), so the task search
matches whole words and phrases instead of pieces of words."""

from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    from nq57.tasks.models import task_search_key

    Task = apps.get_model("tasks", "Task")
    batch = []
    for task in Task.objects.only("id", "text", "path").iterator(chunk_size=2000):
        task.search_key = task_search_key(task.text, task.path)
        batch.append(task)
        if len(batch) >= 2000:
            Task.objects.bulk_update(batch, ["search_key"])
            batch = []
    Task.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0004_theme_moved_to_taxonomy"),
    ]

    operations = [
        migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop),
    ]
