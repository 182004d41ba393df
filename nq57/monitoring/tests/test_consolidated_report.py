import datetime as dt

import pytest

from nq57.monitoring.models import ReportSnapshot
from nq57.monitoring.services import consolidated_report, percent_vi, report_snapshot_save, summary_sentence
from nq57.monitoring.tests.helpers import AS_OF, HAND_COUNT, build_scope
from nq57.tasks.services import task_set_status

pytestmark = pytest.mark.django_db


def test_percent_is_written_the_vietnamese_way():
    assert percent_vi(21, 44) == "47,7%"
    assert percent_vi(3, 10) == "30%"
    assert percent_vi(0, 0) == "0%"


def test_the_summary_uses_the_offices_words_for_the_issue_example():
    assert summary_sentence(total=44, done=21, partly_done=9, open_=14, overdue_open=11) == (
        "21/44 nhiệm vụ đã hoàn thành (47,7%), 9/44 hoàn thành một phần, 14/44 chưa hoàn thành, "
        "trong đó 11 nhiệm vụ quá hạn"
    )


def test_it_counts_a_hand_computed_scope(cast):
    scope = build_scope(cast)
    report = consolidated_report(as_of=AS_OF, notice=scope["notice"])

    assert report.total == HAND_COUNT["total"]
    assert report.by_status == HAND_COUNT["by_status"]
    assert report.by_timing == HAND_COUNT["by_timing"]
    assert report.summary == HAND_COUNT["summary"]
    assert [(t.label.split(" · ")[1], t.days_late) for t in report.late_tasks] == HAND_COUNT["late"]
    assert report.late_tasks[0].lead_agencies == ["Bộ KH&CN"]
    assert report.late_tasks[0].due == dt.date(2025, 6, 30)  # the missed monthly report of June
    assert [(g["agency"], g["count"], g["max_days_late"]) for g in report.late_by_agency] == [
        ("Bộ KH&CN", 2, 63), ("Bộ Tài chính", 2, 31)]
    assert [(e.label, e.previous_due, e.new_due) for e in report.extensions] == [
        ("40-TB/TGV · 9", dt.date(2025, 8, 20), dt.date(2025, 10, 15))]
    assert report.previous_as_of is None and report.changes == []
    assert report.title == "Tình hình thực hiện các nhiệm vụ theo Thông báo số 40-TB/TGV"
    assert report.links["timing:open_overdue"] == f"/tasks/?notice={scope['notice'].pk}&timing=open_overdue"


def test_the_scope_narrows_by_agency_and_theme_like_the_task_list(cast):
    scope = build_scope(cast)
    by_agency = consolidated_report(as_of=AS_OF, notice=scope["notice"], agency=cast.tc)
    assert by_agency.total == 3  # tasks 2, 4 and 7: Bộ Tài chính leads them; partner-only tasks do not count
    assert by_agency.by_status == {"done": 1, "partly_done": 1, "open": 1}
    assert by_agency.links["all"].endswith(f"agency={cast.tc.pk}&role=lead")
    by_dates = consolidated_report(as_of=AS_OF, notice=scope["notice"], date_from=dt.date(2025, 8, 1),
                                   date_to=dt.date(2025, 8, 31))
    assert by_dates.total == 3  # deadlines on 1/8, 22/8 and 31/8


def test_it_says_what_changed_since_the_last_issued_report(cast):
    scope = build_scope(cast)
    first = consolidated_report(as_of=AS_OF, notice=scope["notice"])
    report_snapshot_save(report=first)
    assert ReportSnapshot.objects.get().states[str(scope["tasks"]["7"].pk)] == ["open", "open_overdue"]

    task_set_status(task=scope["tasks"]["7"], actor=cast.office, status="done", completed_on=dt.date(2025, 9, 3))
    from nq57.core.testing import make_task

    new = make_task(notice=scope["notice"], lead=[cast.kh], due=dt.date(2025, 12, 31), path="11")
    second = consolidated_report(as_of=dt.date(2025, 9, 10), notice=scope["notice"])

    assert second.previous_as_of == AS_OF
    assert second.period_from == dt.date(2025, 9, 2)  # extensions "in the period": since the previous report
    assert second.extensions == []
    changes = {(c.label, c.change) for c in second.changes}
    assert changes == {("40-TB/TGV · 7", "done"), ("40-TB/TGV · 8", "overdue"), ("40-TB/TGV · 11", "new")}
    assert second.change_counts() == {"done": 1, "overdue": 1, "new": 1}
    assert second.to_dict()["changes_count"] == {"done": 1, "overdue": 1, "new": 1}
    assert new.pk in {c.task_id for c in second.changes}


def test_a_task_that_left_the_scope_is_reported_even_when_a_new_one_keeps_the_total(cast):
    from nq57.core.testing import make_task
    from nq57.tasks.models import Task

    scope = build_scope(cast)
    first = consolidated_report(as_of=AS_OF, notice=scope["notice"], agency=cast.tc)
    report_snapshot_save(report=first)
    assert ReportSnapshot.objects.get().task_count == first.total == 3
    gone = scope["tasks"]["4"]
    Task.objects.filter(pk=gone.pk).delete()
    new = make_task(notice=scope["notice"], lead=[cast.tc], due=dt.date(2025, 12, 31), path="12")

    second = consolidated_report(as_of=AS_OF + dt.timedelta(days=1), notice=scope["notice"], agency=cast.tc)
    assert second.total == 3
    assert {(c.task_id, c.change) for c in second.changes} >= {(gone.pk, "removed"), (new.pk, "new")}
    assert next(c for c in second.changes if c.change == "removed").label == f"Nhiệm vụ #{gone.pk}"
    # nothing left the scope: no "removed" (the snapshot's rows are all matched)
    report_snapshot_save(report=second)
    third = consolidated_report(as_of=AS_OF + dt.timedelta(days=2), notice=scope["notice"], agency=cast.tc)
    assert "removed" not in third.change_counts()


def test_issuing_again_the_same_day_brings_the_snapshot_up_to_date(cast):
    from nq57.core.testing import make_task
    from nq57.tasks.models import Task

    scope = build_scope(cast)
    first = report_snapshot_save(report=consolidated_report(as_of=AS_OF, notice=scope["notice"]))
    task_set_status(task=scope["tasks"]["7"], actor=cast.office, status="done", completed_on=dt.date(2025, 8, 30))
    Task.objects.filter(pk=scope["tasks"]["4"].pk).delete()
    new = make_task(notice=scope["notice"], lead=[cast.kh], due=dt.date(2025, 12, 31), path="13")

    again = report_snapshot_save(report=consolidated_report(as_of=AS_OF, notice=scope["notice"]))
    assert again.pk == first.pk and ReportSnapshot.objects.count() == 1
    states = again.states
    assert states[str(scope["tasks"]["7"].pk)] == ["done", "done_on_time"]
    assert str(scope["tasks"]["4"].pk) not in states
    assert states[str(new.pk)] == ["open", "open_in_time"]
    fresh = consolidated_report(as_of=AS_OF, notice=scope["notice"])
    assert again.task_count == len(states) == fresh.total == HAND_COUNT["total"]
    assert states == fresh.states()


def test_to_dict_is_plain_json(cast):
    import json

    scope = build_scope(cast)
    data = consolidated_report(as_of=AS_OF, notice=scope["notice"]).to_dict()
    assert json.loads(json.dumps(data))["summary"] == HAND_COUNT["summary"]
    assert data["as_of"] == "2025-09-01"
    assert data["late_tasks"][0]["due"] == "2025-06-30"
    assert "_filters" not in data


def test_the_plain_overdue_condition_is_the_timing_rule(cast):
    """``overdue_q`` (index-friendly) must select exactly the tasks ``with_timing`` calls open_overdue."""
    import datetime as dt

    from nq57.monitoring.services import overdue_q
    from nq57.tasks.models import Task

    build_scope(cast)
    for day in (dt.date(2025, 6, 1), dt.date(2025, 7, 2), AS_OF, dt.date(2025, 10, 16), dt.date(2026, 1, 1)):
        by_rule = set(Task.objects.with_timing(today=day).filter(timing="open_overdue").values_list("id", flat=True))
        assert set(Task.objects.filter(overdue_q(today=day)).values_list("id", flat=True)) == by_rule
    assert by_rule  # the last date has overdue tasks: the comparison is not vacuous


def test_a_late_limit_lists_the_latest_tasks_first_and_still_counts_them_all(cast):
    scope = build_scope(cast)
    full = consolidated_report(as_of=AS_OF, notice=scope["notice"])
    for limit in (1, 2, 3):
        limited = consolidated_report(as_of=AS_OF, notice=scope["notice"], late_limit=limit)
        assert [t.task_id for t in limited.late_tasks] == [t.task_id for t in full.late_tasks][:limit]
        assert limited.late_tasks[0] == full.late_tasks[0]  # lead agencies, due date, days late
        assert limited.late_total == full.late_total == len(full.late_tasks) == 4
        assert limited.late_truncated and not full.late_truncated
        assert limited.late_by_agency == full.late_by_agency  # over all late tasks, not the listed ones
    assert not consolidated_report(as_of=AS_OF, notice=scope["notice"], late_limit=4).late_truncated
    assert consolidated_report(as_of=AS_OF, notice=scope["notice"], late_limit=50).late_tasks == full.late_tasks
    data = consolidated_report(as_of=AS_OF, notice=scope["notice"], late_limit=1).to_dict()
    assert data["late_total"] == 4 and len(data["late_tasks"]) == 1
