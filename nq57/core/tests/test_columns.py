"""``core.columns.defer_unshown``: a joined model keeps its key and the fields it shows, nothing else."""

import datetime as dt

from nq57.accounts.models import User
from nq57.agencies.models import Agency
from nq57.core.columns import defer_unshown
from nq57.reports.models import ProgressReport
from nq57.reports.services import report_submit


def test_a_joined_model_is_read_with_its_key_and_shown_fields_only(cast, django_assert_num_queries):
    deferred = defer_unshown("author", User)
    assert "author__password" in deferred and "author__last_login" in deferred
    assert not {"author__id", "author__username", "author__full_name"} & set(deferred)
    assert defer_unshown("agency", Agency, shown=("name",)) == [
        f"agency__{f.name}" for f in Agency._meta.concrete_fields if f.name not in ("id", "name")]

    cast.kh.contact_email = "lienhe@most.gov.vn"
    cast.kh.save()
    query = ProgressReport.objects.select_related("agency").defer(*defer_unshown("agency", Agency))
    report_submit(task=cast.task_kh, actor=cast.alice, period_start=dt.date(2025, 6, 1),
                  period_end=dt.date(2025, 6, 30), text="Đã hoàn thành dự thảo.", percent=40, claimed_status="open")
    with django_assert_num_queries(1):
        report = query.get()
        assert (report.agency.name, report.agency.short_name) == (cast.kh.name, cast.kh.short_name)
    with django_assert_num_queries(1):  # a column left unread costs a query of its own
        assert report.agency.contact_email == "lienhe@most.gov.vn"
