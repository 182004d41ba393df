import django.db.models.deletion
from django.db import migrations, models

# The foreign key's own index on notice_id is dropped by name, not by altering the field: on SQLite an AlterField
# rebuilds the whole table, which would drop the task tally's triggers (0009) with it. The new composite index starts
# with notice_id, so every lookup by notice still has an index. The table's statistics are refreshed afterwards: on
# SQLite a new index without statistics looks more selective than any other, and the planner then drove the
# overview's joins from the notices through it (seconds at 100,000 tasks) until the next ANALYZE.
OLD_INDEX = "tasks_task_notice_id_c6d1ba22"


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0005_draft_review_counts'),
        ('tasks', '0009_task_tally'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['notice', 'parent', 'status'], name='tasks_notice_parent_status_idx'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='task',
                    name='notice',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name='tasks', to='notices.notice', verbose_name='thông báo'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{OLD_INDEX}" ON "tasks_task" ("notice_id")',
                ),
            ],
        ),
        migrations.RunSQL(sql="ANALYZE tasks_task", reverse_sql=migrations.RunSQL.noop),
    ]
