"""Theme now lives in the taxonomy app (same table, ``tasks_theme``): the links follow it. State only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0003_alter_taskassignment_agency_historicaltaskassignment"),
        ("taxonomy", "0001_programme_and_theme_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="task",
                    name="themes",
                    field=models.ManyToManyField(blank=True, related_name="tasks", to="taxonomy.theme",
                                                 verbose_name="chủ đề"),
                ),
                migrations.AlterField(
                    model_name="historicaltask_themes",
                    name="theme",
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace="", null=True,
                                            on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                            to="taxonomy.theme"),
                ),
                migrations.DeleteModel(name="Theme"),
            ],
            database_operations=[],
        ),
    ]
