"""Issue 9, "numbers that agree", with the cases that make figures drift apart: sub-tasks, units, partner tasks,
extensions, tasks done on their deadline day, tasks created after a week ended; a parent's progress by every path
that changes it; the sub-task form's deadline rule as printed and as applied."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from nq57.api.services import token_create
from nq57.api.tests.helpers import ApiClient
from nq57.core.testing import NoticeFactory, make_task
from nq57.monitoring import services
from nq57.reports.services import extension_decide, extension_request, report_assess, report_submit
from nq57.tasks.services import rollup_progress_value, subtask_create, task_set_status

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)).replace(tzinfo=timezone.get_current_timezone()),
                               tick=False)


def drifting_world(cast):
    """Tasks whose figures are easy to get wrong: sub-tasks (overdue, of a unit), a partner task, an extended
    task, one done on its deadline day, one done a day late, one created after its deadline had passed."""
    notice = NoticeFactory(number="45-TB/TGV")
    with at(dt.date(2025, 6, 2)):
        late_parent = make_task(notice=notice, lead=[cast.kh], due=dt.date(2025, 7, 1), path="1")
        on_day = make_task(notice=notice, lead=[cast.kh], due=dt.date(2025, 7, 8), path="2")
        day_late = make_task(notice=notice, lead=[cast.kh], due=dt.date(2025, 7, 8), path="3")
        extended = make_task(notice=notice, lead=[cast.kh], due=dt.date(2025, 7, 3), path="4")
        make_task(notice=notice, lead=[cast.tc], coordinating=[cast.kh], due=dt.date(2025, 7, 2), path="5")
        make_task(notice=notice, lead=[cast.xd_unit], due=dt.date(2025, 7, 4), path="6")
        subtask_create(parent=late_parent, actor=cast.alice, text="Phần việc con", lead=cast.kh,
                       deadline_due=dt.date(2025, 6, 25))
    with at(dt.date(2025, 6, 20)):
        extension_request(task=extended, actor=cast.alice, requested_due=dt.date(2025, 12, 31), reason="Chờ số liệu.")
        extension_decide(request=extended.extension_requests.get(), actor=cast.office, approve=True)
    with at(dt.date(2025, 7, 8)):
        task_set_status(task=on_day, actor=cast.office, status="done")
    with at(dt.date(2025, 7, 9)):
        task_set_status(task=day_late, actor=cast.office, status="done")
    with at(dt.date(2025, 8, 1)):
        make_task(notice=notice, lead=[cast.kh], due=dt.date(2025, 7, 15), path="7")


def test_every_weekly_overdue_bar_counts_what_its_list_shows_with_subtasks_and_extensions(cast, client_for):
    drifting_world(cast)
    today = dt.date(2025, 8, 20)
    with at(today):
        client = client_for(cast.leader)
        points = services.overdue_by_week(today=today, weeks=12)
        assert len({p["count"] for p in points}) > 2
        for point in points:
            response = client.get(point["url"])
            assert response.status_code == 200
            assert response.context["total"] == point["count"], point
        # the week of 06/07/2025: tasks 1, 5, 6 (and the cast's), not the extended one nor the sub-task
        week = next(p for p in points if p["week_end"] == dt.date(2025, 7, 6))
        paths = {t.path for t in client.get(week["url"]).context["tasks"]}
        assert {"1", "5", "6"} <= paths and "4" not in paths and "7" not in paths


def test_one_on_time_rate_for_an_agency_with_units_partner_tasks_and_subtasks(cast, client_for):
    drifting_world(cast)
    today = dt.date(2025, 8, 20)
    with at(today):
        client = client_for(cast.leader)
        ranking = {row["agency_id"]: (row["on_time"], row["due"]) for row in services.agency_ranking(today=today)}
        for agency in (cast.kh, cast.tc, cast.xd_unit):
            rate = client.get(f"/agencies/{agency.pk}/").context["card"].rate
            report = client.get(f"/consolidated/?agency={agency.pk}&as_of={today.isoformat()}").context["report"]
            assert (rate.on_time, rate.due) == ranking[agency.pk] == (report.on_time_rate.on_time,
                                                                     report.on_time_rate.due), agency
        # Bộ KH&CN: 2 done on its day (on time), 3 done a day late, 1 / 7 / the cast's task overdue; 4 extended
        assert ranking[cast.kh.pk] == (1, 5)


def progress_on_page(client, task) -> int:
    page = client.get(task.get_absolute_url()).content.decode()
    box = page[page.index('id="task-progress"'):]
    return int(re.search(r'aria-valuenow="(\d+)"', box).group(1))


def test_a_parents_progress_follows_its_rule_by_every_path(cast, client_for):
    parent = make_task(notice=cast.notice, lead=[cast.kh], due=timezone.localdate() + dt.timedelta(days=90))
    first = subtask_create(parent=parent, actor=cast.alice, text="Một", lead=cast.kh, deadline_due=None)
    second = subtask_create(parent=parent, actor=cast.alice, text="Hai", lead=cast.kh, deadline_due=None)
    office = client_for(cast.office)

    def rule_holds():
        parent.refresh_from_db()
        values = list(parent.subtasks.values_list("progress", flat=True))
        expected = rollup_progress_value(status=parent.status, subtask_progress=values, own=parent.progress)
        assert parent.progress == expected == progress_on_page(office, parent)

    # the status form with a percentage of its own
    office.post(reverse("tasks:task_status", args=[parent.pk]),
                {"status": "partly_done", "progress": "90", "version": parent.version})
    rule_holds()
    # a report on a sub-task, accepted
    report = report_submit(task=first, actor=cast.alice, period_start=timezone.localdate(),
                           period_end=timezone.localdate(), text="Đã xong một nửa", percent=55,
                           claimed_status="partly_done")
    report_assess(report=report, actor=cast.office, verdict="accept")
    rule_holds()
    assert parent.progress == 28  # (55 + 0) / 2 = 27.5, rounded half up
    # a report on the parent itself, accepted: its own percentage gives way to the sub-tasks' mean
    report = report_submit(task=parent, actor=cast.alice, period_start=timezone.localdate(),
                           period_end=timezone.localdate(), text="Tổng hợp", percent=80, claimed_status="partly_done")
    report_assess(report=report, actor=cast.office, verdict="accept")
    rule_holds()
    # the API
    _, raw = token_create(user=cast.office, name="test")
    api = ApiClient(raw)
    etag = api.get(f"tasks/{second.pk}").headers["ETag"]
    assert api.patch(f"tasks/{second.pk}", {"progress": 30, "status": "partly_done"},
                     headers={"If-Match": etag}).status_code == 200
    rule_holds()
    assert parent.progress == 43  # (55 + 30) / 2 = 42.5
    page = office.get(parent.get_absolute_url()).content.decode()
    assert 'id="progress-rule"' in page


def test_the_subtask_form_prints_the_deadline_rule_it_applies(cast, client_for):
    """The form as fetched into its box (``tasks:task_form``) and on the page opened with it (``?open=subtask``)."""
    alice = client_for(cast.alice)
    fetched = reverse("tasks:task_form", args=[cast.task_kh.pk, "subtask"])
    with at(dt.date(2025, 7, 1)):  # the parent's deadline (30/07/2025) is ahead: not later than it
        page = alice.get(fetched).content.decode()
        assert "Hạn không được sau 30/07/2025" in page
        assert 'name="deadline_due" value="2025-07-30"' in page
    with at(dt.date(2025, 8, 10)):  # passed: a later deadline may be given, the form does not propose the past one
        page = alice.get(cast.task_kh.get_absolute_url() + "?open=subtask").content.decode()
        hint = page[page.index('id="subtask-deadline-hint"'):]
        assert "đã qua" in hint[:300] and "có thể đặt hạn muộn hơn" in hint[:300]
        form = page[page.index('id="form-subtask"'):]
        assert 'name="deadline_due" value="2025-07-30"' not in form[:form.index("</form>")]
        response = alice.post(reverse("tasks:subtask_add", args=[cast.task_kh.pk]), {
            "text": "Hoàn thiện hồ sơ", "lead": cast.kh.pk, "deadline_due": "2025-09-30",
            "deadline_reason": "Hạn của nhiệm vụ cha đã qua; cần thêm thời gian khảo sát."})
        assert response.status_code == 302
        subtask = cast.task_kh.subtasks.get()
        assert subtask.timing(today=dt.date(2025, 8, 10)) != "open_overdue"
    with at(dt.date(2025, 12, 1)):  # an extension is being asked: the form proposes the date it asks for
        extension_request(task=cast.task_tc, actor=cast.bob, requested_due=dt.date(2026, 3, 31), reason="Chờ số liệu.")
        bob = client_for(cast.bob)
        page = bob.get(cast.task_tc.get_absolute_url() + "?open=subtask").content.decode()
        assert "đang được đề xuất gia hạn" in page
        assert 'name="deadline_due" value="2026-03-31"' in page
        page = bob.get(reverse("tasks:task_form", args=[cast.task_tc.pk, "subtask"])).content.decode()
        assert "đang được đề xuất gia hạn" in page
        assert 'name="deadline_due" value="2026-03-31"' in page
