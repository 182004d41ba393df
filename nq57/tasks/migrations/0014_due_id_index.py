"""The due-date index becomes (due date, id): "soonest first" reads its first entries in order on PostgreSQL too.

The field's own index is dropped by name rather than through ``AlterField``: on SQLite, altering a field rebuilds the
table, which would drop the tally, span and assignment-copy triggers that migrations 0009, 0011 and 0013 put on it.
"""

from django.db import migrations, models

OLD_INDEX = "tasks_task_deadline_due_be57fdd6"  # Django's name for the field's db_index (the same on both databases)


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0013_assignment_task_columns"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["deadline_due", "id"], name="tasks_due_id_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="task",
                    name="deadline_due",
                    field=models.DateField(blank=True, null=True, verbose_name="hạn hoàn thành"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {OLD_INDEX}",
                                  f"CREATE INDEX {OLD_INDEX} ON tasks_task (deadline_due)"),
            ],
        ),
    ]
