"""Role × action on the task pages: allowed actions succeed and write; refused ones answer 403 (anonymous: the login
page) and write nothing."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from nq57.core.testing import make_task
from nq57.reports.models import Assessment, ExtensionRequest, ProgressReport
from nq57.reports.services import extension_request, report_submit
from nq57.tasks.models import DeadlineKind, Task, TaskEvent


@pytest.fixture
def stage(cast):
    """Tasks led by Bộ KH&CN alone (bob and carol are party to none), a pending report and a pending extension."""
    today = timezone.localdate()
    task = make_task(notice=cast.notice, lead=[cast.kh], due=today + dt.timedelta(days=30), path="2",
                     text="Ban hành quy chế quản lý nhiệm vụ khoa học, công nghệ")
    other = make_task(notice=cast.notice, lead=[cast.kh], due=today + dt.timedelta(days=20), path="3",
                      text="Sơ kết thí điểm cơ chế thử nghiệm có kiểm soát")
    event = make_task(notice=cast.notice, lead=[cast.kh], kind=DeadlineKind.EVENT, path="4",
                      text="Trình Quốc hội dự án Luật tại Kỳ họp thứ 10")
    report = report_submit(task=task, actor=cast.alice, period_start=today - dt.timedelta(days=10), period_end=today,
                           text="Đã xây dựng dự thảo.", percent=40, claimed_status="partly_done")
    extension = extension_request(task=other, actor=cast.alice, requested_due=today + dt.timedelta(days=90),
                                  reason="Chờ ý kiến các bộ.")
    return {"task": task, "other": other, "event": event, "report": report, "extension": extension, "today": today}


def action_request(name: str, cast, stage):
    task, today = stage["task"], stage["today"]
    iso = lambda days: (today + dt.timedelta(days=days)).isoformat()  # noqa: E731
    if name == "view_list":
        return "get", reverse("tasks:task_list"), None
    if name == "view_task":
        return "get", task.get_absolute_url(), None
    if name == "export":
        return "get", reverse("tasks:task_export"), None
    if name == "submit_report":
        return "post", reverse("reports:report_submit", args=[task.pk]), {
            "period_start": iso(-5), "period_end": iso(0), "text": "Báo cáo kỳ này", "percent": "50",
            "claimed_status": "partly_done"}
    if name == "assess":
        prefix = f"a{stage['report'].pk}"
        return "post", reverse("reports:report_assess", args=[stage["report"].pk]), {f"{prefix}-verdict": "accept"}
    if name == "request_extension":
        return "post", reverse("reports:extension_request", args=[task.pk]), {
            "requested_due": iso(60), "reason": "Cần thêm thời gian"}
    if name == "decide_extension":
        return "post", reverse("reports:extension_decide", args=[stage["extension"].pk]), {"approve": "1"}
    if name == "schedule_event":
        return "post", reverse("tasks:task_schedule", args=[stage["event"].pk]), {"due": iso(100)}
    if name == "change_status":
        return "post", reverse("tasks:task_status", args=[task.pk]), {
            "status": "partly_done", "progress": "70", "version": str(task.version)}
    if name == "add_subtask":
        return "post", reverse("tasks:subtask_add", args=[task.pk]), {
            "text": "Xây dựng dự thảo quy chế", "lead": str(cast.kh.pk), "deadline_due": iso(10)}
    if name == "edit_task":
        return "post", reverse("tasks:task_edit", args=[task.pk]), {
            "text": "Ban hành quy chế (sửa)", "deadline_kind": "date", "deadline_due": iso(40), "lead": [cast.kh.pk],
            "version": str(Task.objects.get(pk=task.pk).version)}
    raise AssertionError(name)


def written() -> tuple:
    """A fingerprint of everything the actions can write."""
    return (
        Task.objects.count(), TaskEvent.objects.count(), ProgressReport.objects.count(), Assessment.objects.count(),
        ExtensionRequest.objects.filter(state="pending").count(), Task.history.count(),
        sorted(Task.objects.values_list("version", "status", "progress")),
    )


ACTIONS = ["view_list", "view_task", "export", "submit_report", "assess", "request_extension", "decide_extension",
           "schedule_event", "change_status", "add_subtask", "edit_task"]
READS = {"view_list", "view_task", "export"}
ALLOWED = {
    "office": set(ACTIONS),
    "alice": READS | {"submit_report", "request_extension", "add_subtask"},
    "bob": READS,
    "carol": READS,
    "leader": READS,
    "anonymous": set(),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_role_action(action, cast, stage, client):
    """One test per action; each role's attempt runs in a savepoint rolled back afterwards, so every role meets the
    same starting state (building the cast once per action keeps the table fast)."""
    for role, allowed in ALLOWED.items():
        client.logout()
        with transaction.atomic():
            if role != "anonymous":
                client.force_login(getattr(cast, role))
            method, url, data = action_request(action, cast, stage)
            before = written()
            response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
            where = f"{role} × {action}"
            if role == "anonymous":
                assert response.status_code == 302, where
                assert response["Location"].startswith(reverse("login")), where
                assert written() == before, where
            elif action in allowed:
                if action in READS:
                    assert response.status_code == 200, where
                else:
                    assert response.status_code == 302, (where, response.content.decode()[:2000])
                    assert written() != before, where
            else:
                assert response.status_code == 403, where
                assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode(), where
                assert written() == before, where
            transaction.set_rollback(True)


def test_forms_are_shown_only_to_who_may_use_them(cast, stage, client):
    """The forms on the page, and the boxes of those fetched when opened (``pages.FETCHED_FORMS``): the box only for
    who may use the form, and its address answers the form to them only."""
    task = stage["task"]

    def fetched(name):
        return client.get(reverse("tasks:task_form", args=[task.pk, name]))

    client.force_login(cast.alice)
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'id="form-report"' in page and 'id="form-extension"' in page and 'id="form-subtask-box"' in page
    assert 'id="form-edit-box"' not in page and 'id="form-status"' not in page and "assess-form" not in page
    assert 'id="form-subtask"' in fetched("subtask").content.decode()
    assert fetched("edit").status_code == 403
    client.force_login(cast.bob)
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'id="form-report"' not in page and 'id="actions"' not in page
    assert fetched("subtask").status_code == fetched("edit").status_code == 403
    client.force_login(cast.office)
    page = client.get(task.get_absolute_url()).content.decode()
    for form_id in ("form-report", "form-status", "form-subtask-box", "form-edit-box", f"assess-{stage['report'].pk}"):
        assert f'id="{form_id}"' in page
    assert 'id="form-edit"' in fetched("edit").content.decode()
    assert fetched("report").status_code == 404  # on the page itself, never fetched
    assert 'id="form-schedule"' not in page  # a dated task has no event to schedule
    assert 'id="form-schedule"' in client.get(stage["event"].get_absolute_url()).content.decode()
