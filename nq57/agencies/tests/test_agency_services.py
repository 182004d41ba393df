import datetime as dt

from nq57.agencies.models import Agency, AgencyAlias
from nq57.agencies.services import agency_dissolve, agency_lookup
from nq57.core.testing import AgencyFactory, make_task
from nq57.tasks.models import TaskStatus


def test_lookup_by_alias_ignores_normalisation_and_tone_mark_style(db):
    ubnd = AgencyFactory(name="Ủy ban nhân dân Thành phố Hồ Chí Minh", kind="province")
    AgencyAlias.objects.create(agency=ubnd, alias="UBND TP. Hồ Chí Minh")
    import unicodedata

    assert agency_lookup("Uỷ ban nhân dân thành phố Hồ Chí Minh") == ubnd
    assert agency_lookup(unicodedata.normalize("NFD", "Ủy ban nhân dân Thành phố Hồ Chí Minh")) == ubnd
    assert agency_lookup("ubnd tp. hồ chí minh") == ubnd
    assert agency_lookup("Bộ Không Tồn Tại") is None


def test_a_dissolved_agencys_open_tasks_pass_to_the_successor_keeping_the_name(cast):
    old = AgencyFactory(name="Bộ Thông tin và Truyền thông")
    open_task = make_task(notice=cast.notice, lead=[old], text="Phát triển hạ tầng số")
    done_task = make_task(notice=cast.notice, lead=[old], text="Việc đã xong", due=dt.date(2025, 6, 30))
    done_task.status, done_task.completed_on, done_task.progress = TaskStatus.DONE, dt.date(2025, 6, 1), 100
    done_task.save()
    moved = agency_dissolve(agency=old, successor=cast.kh, on=dt.date(2025, 3, 1), actor=cast.office)
    assert moved == 1
    assignment = open_task.assignments.get()
    assert (assignment.agency, assignment.assigned_name) == (cast.kh, "Bộ Thông tin và Truyền thông")
    assert assignment.was_renamed
    assert done_task.assignments.get().agency == old
    old.refresh_from_db()
    assert old.current() == cast.kh and old.is_dissolved


def test_new_tasks_for_a_dissolved_agency_go_to_its_successor(cast):
    old = AgencyFactory(name="Bộ Kế hoạch và Đầu tư", successor=cast.tc, dissolved_on=dt.date(2025, 3, 1))
    task = make_task(notice=cast.notice, lead=[old], text="Việc mới theo tên cũ")
    assignment = task.assignments.get()
    assert assignment.agency == cast.tc
    assert assignment.assigned_name == "Bộ Kế hoạch và Đầu tư"
    assert Agency.objects.get(pk=old.pk).is_dissolved
