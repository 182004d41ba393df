"""Programme now lives in the taxonomy app (same table, ``notices_programme``): the links follow it. State only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notices", "0002_notice_draft"),
        ("taxonomy", "0001_programme_and_theme_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notice",
                    name="programme",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="notices",
                                            to="taxonomy.programme", verbose_name="chương trình"),
                ),
                migrations.AlterField(
                    model_name="historicalnotice",
                    name="programme",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                            on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                            to="taxonomy.programme", verbose_name="chương trình"),
                ),
                migrations.AlterField(
                    model_name="noticedraft",
                    name="programme",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="drafts",
                                            to="taxonomy.programme", verbose_name="chương trình"),
                ),
                migrations.DeleteModel(name="Programme"),
            ],
            database_operations=[],
        ),
    ]
