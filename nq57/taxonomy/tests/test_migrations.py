"""Moving Programme and Theme into the taxonomy app keeps every row and link, backwards and forwards."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nq57.core.testing import AgencyFactory, NoticeFactory, make_task
from nq57.notices.models import Notice
from nq57.tasks.models import Task
from nq57.taxonomy.models import Programme, TechnologyField, Theme


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_move_unapplies_and_reapplies_without_losing_rows():
    programme = Programme.objects.get(code="03/NQ-CP")
    theme = Theme.objects.get(code="ha-tang")
    notice = NoticeFactory(number="5-TB/TGV", programme=programme)
    task = make_task(notice=notice, lead=[AgencyFactory(name="Bộ Khoa học và Công nghệ")],
                     text="Đầu tư phòng thí nghiệm trọng điểm")
    assert list(task.themes.all()) == [theme]
    programmes, themes = Programme.objects.count(), Theme.objects.count()

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("taxonomy", None)])
    # back before the move: the same tables, still holding the rows and the links
    assert (_count("notices_programme"), _count("tasks_theme")) == (programmes, themes)
    assert _count("tasks_task_themes") == 1
    assert "taxonomy_technologyfield" not in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    assert Notice.objects.get(pk=notice.pk).programme == programme
    assert list(Task.objects.get(pk=task.pk).themes.all()) == [theme]
    assert (Programme.objects.count(), Theme.objects.count()) == (programmes, themes)  # seeding added nothing twice
    assert TechnologyField.objects.filter(version__decision_number="1131/QĐ-TTg", parent=None).count() == 11
