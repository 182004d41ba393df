"""The admin never bypasses a service: workflow records are read-only there, an extension approved through the admin
action moves the deadline and shows on the task's timeline, the agency registry saves through ``agency_save``, and
no admin page fetched with GET writes."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.core.tests.test_get_never_writes import WRITE
from nq57.reports.models import ExtensionRequest
from nq57.reports.services import extension_request
from nq57.tasks.models import Task, TaskEvent, TaskEventKind

pytestmark = pytest.mark.django_db

LATER = timezone.localdate() + dt.timedelta(days=90)

WORKFLOW = {"tasks.Task", "tasks.TaskEvent", "reports.ProgressReport", "reports.Assessment", "reports.ExtensionRequest",
            "notices.Notice", "notices.NoticeDraft", "monitoring.Notification", "monitoring.Dispatch",
            "monitoring.ReportSnapshot", "api.ApiToken", "api.WebhookSubscription", "api.WebhookDelivery",
            "exchange.ExternalKey", "exchange.ImportBatch"}


@pytest.fixture
def staff_office(cast, client):
    cast.office.is_staff = cast.office.is_superuser = True
    cast.office.save()
    client.force_login(cast.office)
    return client


def test_workflow_records_are_read_only_in_the_admin(cast, staff_office, rf):
    request = rf.get("/admin/")
    request.user = cast.office
    registered = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
    assert WORKFLOW <= set(registered)
    for label in WORKFLOW:
        model_admin = registered[label]
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label

    page = staff_office.get(f"/admin/tasks/task/{cast.task_kh.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert cast.task_kh.text in html and 'name="_save"' not in html and "<textarea" not in html
    response = staff_office.post(f"/admin/tasks/task/{cast.task_kh.pk}/change/", {"text": "Sửa lén", "status": "done"})
    assert response.status_code == 403
    assert Task.objects.get(pk=cast.task_kh.pk).text == cast.task_kh.text
    assert staff_office.get("/admin/tasks/task/add/").status_code == 403


def test_an_extension_approved_in_the_admin_moves_the_deadline_and_shows_on_the_timeline(cast, staff_office):
    pending = extension_request(task=cast.task_kh, actor=cast.alice, requested_due=LATER,
                                reason="Chờ ý kiến các bộ")
    response = staff_office.post("/admin/reports/extensionrequest/", {
        "action": "approve_extensions", "_selected_action": [pending.pk], "index": 0}, follow=True)
    assert response.status_code == 200
    assert "Đã đồng ý 1 đề xuất gia hạn." in response.content.decode()

    task = Task.objects.get(pk=cast.task_kh.pk)
    assert task.deadline_due == LATER and task.original_deadline_due == dt.date(2025, 7, 30)
    assert ExtensionRequest.objects.get(pk=pending.pk).decided_by == cast.office
    event = TaskEvent.objects.get(task=task, kind=TaskEventKind.EXTENSION_DECIDED)
    said = f"Đồng ý gia hạn đến {LATER:%d/%m/%Y}"
    assert event.actor == cast.office and event.summary.startswith(said)
    assert said in staff_office.get(f"/tasks/{task.pk}/").content.decode()

    again = staff_office.post("/admin/reports/extensionrequest/", {
        "action": "approve_extensions", "_selected_action": [pending.pk], "index": 0}, follow=True)
    assert "Bỏ qua 1 đề xuất đã được quyết định trước đó." in again.content.decode()
    assert TaskEvent.objects.filter(task=task, kind=TaskEventKind.EXTENSION_DECIDED).count() == 1


def test_a_focal_point_staff_member_cannot_decide_in_the_admin(cast, client):
    from django.contrib.auth.models import Permission

    cast.alice.is_staff = True
    cast.alice.save()
    cast.alice.user_permissions.add(Permission.objects.get(codename="view_extensionrequest"))
    client.force_login(cast.alice)
    pending = extension_request(task=cast.task_kh, actor=cast.alice, requested_due=LATER,
                                reason="Chờ ý kiến")
    page = client.get("/admin/reports/extensionrequest/").content.decode()
    assert "approve_extensions" not in page  # the action is the office's (access.can_assess)
    client.post("/admin/reports/extensionrequest/", {"action": "approve_extensions",
                                                      "_selected_action": [pending.pk], "index": 0})
    assert ExtensionRequest.objects.get(pk=pending.pk).state == "pending"


def test_the_agency_registry_saves_through_its_service(cast, staff_office):
    response = staff_office.post("/admin/agencies/agency/add/", {
        "name": "Bộ Thử nghiệm", "short_name": "BTN", "kind": cast.kh.kind,
        "aliases-TOTAL_FORMS": "2", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000", "aliases-0-alias": "Bộ TN", "aliases-1-alias": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get(name="Bộ Thử nghiệm")
    assert list(agency.aliases.values_list("alias", flat=True)) == ["Bộ TN"]
    assert agency.history.first().history_user == cast.office  # audited with the author, as every service write
    page = staff_office.get(f"/admin/agencies/agency/{cast.kh.pk}/change/").content.decode()
    assert 'name="dissolved_on"' not in page and 'name="successor"' not in page  # agency_dissolve's business


def test_no_admin_page_fetched_with_get_writes(cast, staff_office):
    from nq57.api.services import token_create, webhook_subscribe

    extension_request(task=cast.task_kh, actor=cast.alice, requested_due=LATER, reason="Chờ")
    token_create(user=cast.office, name="thử")
    webhook_subscribe(actor=cast.office, url="https://example.invalid/hook", secret="s" * 20, events=["task.created"])
    writes: list[str] = []

    def watch(execute, sql, params, many, context):
        if WRITE.match(sql):
            writes.append(sql[:200])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        for model in admin.site._registry:
            opts = model._meta
            base = f"/admin/{opts.app_label}/{opts.model_name}/"
            assert staff_office.get(base).status_code == 200, base
            first = model._default_manager.first()
            if first is not None:
                for suffix in ("change/", "history/"):
                    assert staff_office.get(f"{base}{first.pk}/{suffix}").status_code == 200, (base, suffix)
    assert writes == []
