"""A focal point sees their own work first: "/" leads to "Nhiệm vụ của cơ quan tôi" with their agency's tasks in
groups (overdue, due soon, awaiting their report, returned for more), the header links to their agency's scorecard,
and another agency's task page says why there is no form."""

import datetime as dt

from django.utils import timezone

from nq57.core.testing import make_task
from nq57.reports.models import Verdict
from nq57.reports.services import report_assess, report_submit
from nq57.tasks.models import ReportCadence, TaskStatus
from nq57.tasks.selectors import agency_worklist


def _groups(worklist) -> dict[str, set[int]]:
    return {group.key: {task.pk for task in group.tasks} for group in worklist.groups}


def test_a_focal_point_lands_on_their_agency_tasks(cast, client_for):
    client = client_for(cast.alice)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/my/"
    page = client.get("/my/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhiệm vụ của cơ quan tôi" in html
    # the overview stays reachable from the menu
    assert 'href="/overview/"' in html
    assert client.get("/overview/").status_code == 200
    # the header leads to the agency's scorecard
    assert f'href="/agencies/{cast.kh.pk}/#scorecard" id="my-scorecard"' in html


def test_the_office_and_leaders_keep_the_overview(cast, client_for):
    assert client_for(cast.leader).get("/").status_code == 200
    assert client_for(cast.office).get("/").status_code == 200


def test_the_worklist_groups(cast):
    today = timezone.localdate()
    notice = cast.notice
    overdue = cast.task_kh  # due 30/07/2025: long past
    due_soon = make_task(notice=notice, lead=[cast.tc], coordinating=[cast.kh], due=today + dt.timedelta(days=3),
                         path="2", text="Sắp đến hạn, phối hợp")
    in_time = make_task(notice=notice, lead=[cast.kh], due=today + dt.timedelta(days=200), path="3",
                        text="Còn trong hạn, không có kỳ báo cáo")
    awaiting = make_task(notice=notice, lead=[cast.kh], due=today + dt.timedelta(days=300), path="4",
                         text="Có hạn báo cáo sắp tới", report_due=today + dt.timedelta(days=2))
    periodic = make_task(notice=notice, lead=[cast.kh], due=today + dt.timedelta(days=300), path="5",
                         text="Báo cáo định kỳ", report_cadence=ReportCadence.MONTHLY)
    returned = make_task(notice=notice, lead=[cast.kh], due=today + dt.timedelta(days=300), path="6",
                         text="Báo cáo bị yêu cầu bổ sung")
    others = make_task(notice=notice, lead=[cast.xd], due=today - dt.timedelta(days=5), path="7",
                       text="Của cơ quan khác, quá hạn")
    report = report_submit(task=returned, actor=cast.alice, period_start=notice.issued_on, period_end=today,
                           text="Đã làm một phần", percent=30, claimed_status=TaskStatus.PARTLY_DONE, attachments=[])
    report_assess(report=report, actor=cast.office, verdict=Verdict.ASK_FOR_MORE, comment="Bổ sung số liệu")
    answered = report_submit(task=awaiting, actor=cast.alice, period_start=notice.issued_on, period_end=today,
                             text="Đã gửi, chờ đánh giá", percent=10, claimed_status=TaskStatus.OPEN, attachments=[])
    assert answered.pk

    groups = _groups(agency_worklist(cast.alice, today=today))
    assert overdue.pk in groups["overdue"] and cast.task_tc.pk in groups["overdue"]  # lead and partner
    assert groups["due_soon"] == {due_soon.pk}
    assert returned.pk in groups["returned"] and overdue.pk not in groups["returned"]
    # awaiting: a report was sent for "awaiting" (waiting for assessment), so only the periodic one if its date is near
    assert awaiting.pk not in groups["awaiting_report"]
    assert in_time.pk not in set().union(*groups.values())
    assert others.pk not in set().union(*groups.values())
    periodic.refresh_from_db()
    if periodic.next_report_due and periodic.next_report_due <= today + dt.timedelta(days=14):
        assert periodic.pk in groups["awaiting_report"]

    # a unit's focal point sees the tasks of her unit, not of the parent ministry
    unit_task = make_task(notice=notice, lead=[cast.xd_unit], due=today - dt.timedelta(days=1), path="8",
                          text="Của đơn vị trực thuộc")
    carol = _groups(agency_worklist(cast.carol, today=today))
    assert carol["overdue"] == {unit_task.pk}


def test_awaiting_report_when_a_report_date_comes_and_none_was_sent(cast):
    today = timezone.localdate()
    task = make_task(notice=cast.notice, lead=[cast.kh], due=today + dt.timedelta(days=300), path="9",
                     text="Báo cáo trước ngày", report_due=today + dt.timedelta(days=2))
    assert task.pk in _groups(agency_worklist(cast.alice, today=today))["awaiting_report"]
    assert task.pk not in _groups(agency_worklist(cast.bob, today=today))["awaiting_report"]


def test_another_agencys_task_page_says_why_there_is_no_form(cast, client_for):
    other = make_task(notice=cast.notice, lead=[cast.xd], path="2", text="Của Bộ Xây dựng")
    html = client_for(cast.alice).get(other.get_absolute_url()).content.decode()
    assert 'id="form-report"' not in html
    assert "Nhiệm vụ này không giao cho cơ quan của bạn (Bộ KH&amp;CN) nên bạn không thể báo cáo" in html
    own = client_for(cast.alice).get(cast.task_kh.get_absolute_url()).content.decode()
    assert 'id="why-no-form"' not in own and 'id="form-report"' in own
