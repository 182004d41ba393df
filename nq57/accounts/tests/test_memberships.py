"""One account in several organisations, a role per membership: a focal point of one organisation who is a plain
member of another acts on exactly the first one's tasks."""

import datetime as dt

import pytest
from django.urls import reverse

from nq57.accounts import selectors
from nq57.accounts.roles import MEMBER
from nq57.accounts.services import membership_add
from nq57.core import access
from nq57.core.errors import PermissionDeniedError
from nq57.core.roles import register_role, role_label
from nq57.core.testing import UserFactory, make_task
from nq57.monitoring.roles import FOCAL_POINT
from nq57.reports.models import ProgressReport


@pytest.fixture
def dana(cast):
    """Focal point of Bộ Xây dựng (A), plain member of Bộ Tài chính (B)."""
    return UserFactory(username="dana", full_name="Đinh Thị Na",
                       memberships=[(cast.xd, FOCAL_POINT), (cast.tc, MEMBER)])


def test_a_focal_point_of_a_and_member_of_b_reports_on_as_tasks_only(cast, dana, client,
                                                                      django_assert_max_num_queries):
    task_xd = make_task(notice=cast.notice, lead=[cast.xd], due=dt.date(2025, 9, 30), path="9",
                        text="Đề án đô thị thông minh")
    assert dana.is_focal_point and not dana.is_office and not dana.is_leader and not dana.is_citizen
    assert access.agency_scope_ids(dana) == {cast.xd.pk, cast.xd_unit.pk}  # A and its unit; not B
    assert access.can_report_on(dana, task_xd) and not access.can_report_on(dana, cast.task_tc)
    with django_assert_max_num_queries(0):  # the memberships and the scope are read once per instance
        for _ in range(3):
            assert dana.is_focal_point and access.agency_scope_ids(dana)

    client.force_login(dana)
    data = {"period_start": "2025-06-01", "period_end": "2025-06-30", "text": "Báo cáo", "percent": "30",
            "claimed_status": "partly_done"}
    refused = client.post(reverse("reports:report_submit", args=[cast.task_tc.pk]), data)
    assert refused.status_code == 403 and "Bạn không có quyền" in refused.content.decode()
    assert client.post(reverse("reports:report_submit", args=[task_xd.pk]), data).status_code == 302
    report = ProgressReport.objects.get()
    assert (report.task_id, report.agency_id) == (task_xd.pk, cast.xd.pk)


def test_the_selectors_answer_who_belongs_where(cast, dana):
    assert set(selectors.people_of([cast.tc.pk], roles=[FOCAL_POINT])) == {cast.bob}
    assert set(selectors.people_of([cast.tc.pk])) == {cast.bob, dana}
    assert set(selectors.people_of(roles=[MEMBER])) == {dana}
    assert {u.pk for u in selectors.people_by_organisation([cast.xd.pk], roles=[FOCAL_POINT])[cast.xd.pk]} == {dana.pk}
    assert set(selectors.office_staff()) == {cast.office}
    assert selectors.primary_organisation(dana) == cast.xd
    assert [o.pk for o in selectors.organisations_of(dana, MEMBER)] == [cast.tc.pk]
    assert dana.role_labels == ["Cán bộ đầu mối", "Thành viên"]


def test_only_the_office_gives_memberships(cast):
    with pytest.raises(PermissionDeniedError):
        membership_add(user=cast.bob, organisation=cast.kh, role_code=FOCAL_POINT, actor=cast.alice)
    membership_add(user=cast.bob, organisation=cast.kh, role_code=FOCAL_POINT, actor=cast.office)
    assert access.can_report_on(cast.bob, cast.task_kh)  # the instance forgot its cached memberships


def test_apps_register_roles_and_cannot_take_anothers_code():
    assert role_label("focal_point") == "Cán bộ đầu mối" and role_label("reviewer") == "Người thẩm định"
    assert register_role("member", "Thành viên", app="accounts") == "member"  # the same declaration again
    with pytest.raises(ValueError):
        register_role("member", "Hội viên", app="hub")


def test_an_inactive_account_holds_no_role(cast):
    cast.alice.is_active = False
    assert not cast.alice.is_focal_point and not access.can_view(cast.alice)


def test_visible_to_and_task_for_fetch_and_check_in_one_place(cast):
    from nq57.core.errors import NotFoundError
    from nq57.core.testing import make_citizen
    from nq57.tasks.models import Task

    citizen = make_citizen("nguoidan")
    assert Task.objects.visible_to(citizen).count() == 0
    assert Task.objects.visible_to(cast.leader).count() == Task.objects.count() == 2
    assert access.task_for(cast.alice, cast.task_tc.pk, action="report") == cast.task_tc  # partner: may report
    with pytest.raises(PermissionDeniedError) as caught:
        access.task_for(cast.alice, cast.task_tc.pk, action="subtask")  # only the lead breaks a task down
    assert "chủ trì" in caught.value.message
    with pytest.raises(NotFoundError):
        access.task_for(cast.alice, 10**9)
    with pytest.raises(PermissionDeniedError):
        access.task_for(citizen, cast.task_kh.pk)
