"""Programme (from notices) and Theme (from tasks) become models of this app.

State only: the tables ``notices_programme`` and ``tasks_theme`` stay as they are, with their rows; the notices and
tasks apps then point their foreign keys here and forget their own copies (notices 0003, tasks 0004).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("notices", "0002_notice_draft"),
        ("tasks", "0003_alter_taskassignment_agency_historicaltaskassignment"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Programme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("code", models.CharField(help_text="Ví dụ: 57-NQ/TW, 03/NQ-CP", max_length=50, unique=True,
                                                  verbose_name="số hiệu")),
                        ("name", models.CharField(max_length=300, verbose_name="tên")),
                        ("is_default", models.BooleanField(default=False, verbose_name="mặc định")),
                    ],
                    options={
                        "verbose_name": "chương trình",
                        "verbose_name_plural": "chương trình",
                        "db_table": "notices_programme",
                        "ordering": ["-is_default", "code"],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("is_default", True)),
                                                                fields=("is_default",),
                                                                name="notices_programme_one_default")],
                    },
                ),
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("code", models.SlugField(unique=True, verbose_name="mã")),
                        ("name", models.CharField(max_length=200, verbose_name="tên")),
                        ("keywords", models.JSONField(
                            blank=True, default=list,
                            help_text="Nhiệm vụ có chứa một trong các từ khóa (nguyên từ, không phân biệt dấu, hoa "
                                      "thường) được gắn chủ đề này. Từ viết tắt viết hoa (AI, 5G) chỉ khớp khi văn bản "
                                      "cũng viết hoa.",
                            verbose_name="từ khóa")),
                    ],
                    options={
                        "verbose_name": "chủ đề",
                        "verbose_name_plural": "chủ đề",
                        "db_table": "tasks_theme",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
