"""The task page: edit with before/after audit, concurrent edits, sub-task tree and rollup, status changes, event
scheduling, renamed agencies, and the XLSX export of the list."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nq57.agencies.models import Agency
from nq57.agencies.services import agency_dissolve
from nq57.core.testing import make_task
from nq57.tasks.models import DeadlineKind, Task, TaskEvent


def on(day: dt.date):
    import time_machine
    from django.utils import timezone

    return time_machine.travel(dt.datetime.combine(day, dt.time(10)).replace(tzinfo=timezone.get_current_timezone()),
                               tick=False)


def edit_data(task: Task, **changes) -> dict:
    data = {
        "text": task.text, "section": task.section, "deadline_kind": task.deadline_kind,
        "deadline_due": task.deadline_due.isoformat() if task.deadline_due else "", "deadline_text": task.deadline_text,
        "report_cadence": task.report_cadence, "report_due": "", "report_text": task.report_text,
        "lead": [a.agency_id for a in task.assignments.filter(role="lead")],
        "coordinating": [a.agency_id for a in task.assignments.filter(role="coordinating")],
        "version": str(task.version),
    }
    data.update(changes)
    return data


def test_an_edit_shows_in_the_audit_with_before_and_after(cast, client_for):
    client = client_for(cast.office)
    task = cast.task_kh
    response = client.post(reverse("tasks:task_edit", args=[task.pk]), edit_data(
        task, text="Ban hành cơ chế vận hành phòng thí nghiệm trọng điểm", deadline_due="2025-09-30"))
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Đã lưu các thay đổi của nhiệm vụ." in page
    assert reverse("tasks:task_changes", args=[task.pk]) in page  # the change log has its own page
    audit = client.get(reverse("tasks:task_changes", args=[task.pk])).content.decode()
    audit = audit[audit.index('id="audit"'):]
    assert "Nguyễn Văn Thường Trực" in audit  # who (HistoryRequestMiddleware)
    assert '<b>hạn hoàn thành</b>: <span class="old">30/07/2025</span> → <span class="new">30/09/2025</span>' in audit
    assert '<span class="new">Ban hành cơ chế vận hành phòng thí nghiệm trọng điểm</span>' in audit
    assert "Xây dựng cơ chế vận hành các phòng thí nghiệm" in audit  # the old text, struck through
    assert "Sửa nhiệm vụ" in page[page.index('id="timeline"'):]


def test_a_concurrent_edit_is_refused_and_keeps_the_typed_text(cast, client_for):
    client = client_for(cast.office)
    task = cast.task_kh
    first = edit_data(task, text="Bản sửa thứ nhất")
    second = edit_data(task, text="Bản sửa thứ hai, gõ cùng lúc")  # read at the same version
    assert client.post(reverse("tasks:task_edit", args=[task.pk]), first).status_code == 302
    versions = Task.objects.get(pk=task.pk).version
    events = TaskEvent.objects.count()
    response = client.post(reverse("tasks:task_edit", args=[task.pk]), second)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nhiệm vụ vừa được người khác cập nhật" in body
    assert "Bản sửa thứ hai, gõ cùng lúc</textarea>" in body
    task.refresh_from_db()
    assert task.text == "Bản sửa thứ nhất" and task.version == versions and TaskEvent.objects.count() == events


def test_an_edit_with_a_wrong_date_keeps_input_and_writes_nothing(cast, client_for):
    client = client_for(cast.office)
    task = cast.task_kh
    history = Task.history.count()
    response = client.post(reverse("tasks:task_edit", args=[task.pk]),
                           edit_data(task, text="Nội dung mới đang gõ", deadline_due="31/02/2025"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ngày không hợp lệ" in body and "Nội dung mới đang gõ</textarea>" in body and 'value="31/02/2025"' in body
    assert Task.history.count() == history
    # a service rule (a dated kind needs a date) comes back beside the field too
    response = client.post(reverse("tasks:task_edit", args=[task.pk]),
                           edit_data(task, text="Nội dung mới đang gõ", deadline_due=""))
    assert response.status_code == 400
    assert "Thời hạn loại này cần có ngày hoàn thành." in response.content.decode()
    assert Task.history.count() == history


def test_subtasks_form_a_tree_and_progress_rolls_up(cast, client_for):
    alice = client_for(cast.alice)
    url = reverse("tasks:subtask_add", args=[cast.task_kh.pk])
    for text in ("Xây dựng dự thảo quy chế", "Lấy ý kiến các bộ, ngành"):
        assert alice.post(url, {"text": text, "lead": cast.kh.pk, "deadline_due": "2025-07-20"}).status_code == 302
    first, second = Task.objects.filter(parent=cast.task_kh).order_by("id")
    assert first.path == "1.a.1.1" and second.path == "1.a.1.2"
    # a sub-task of a sub-task (any depth)
    assert alice.post(reverse("tasks:subtask_add", args=[first.pk]),
                      {"text": "Khảo sát phòng thí nghiệm", "lead": cast.kh.pk}).status_code == 302
    grandchild = Task.objects.get(parent=first)
    office = client_for(cast.office)
    response = office.post(reverse("tasks:task_status", args=[grandchild.pk]),
                           {"status": "done", "version": grandchild.version})
    assert response.status_code == 302
    first.refresh_from_db()
    cast.task_kh.refresh_from_db()
    assert first.progress == 100 and cast.task_kh.progress == 50
    page = office.get(cast.task_kh.get_absolute_url()).content.decode()
    tree = page[page.index('id="subtasks"'):page.index('id="timeline"')]
    assert tree.count('<ul class="tree">') == 2  # the sub-tasks, and nested under the first its own sub-task
    assert "Khảo sát phòng thí nghiệm" in tree and 'aria-valuenow="50"' in page[page.index('id="task-progress"'):]


def test_a_subtask_cannot_end_after_its_parent_nor_go_to_another_agency(cast, client_for):
    alice = client_for(cast.alice)
    url = reverse("tasks:subtask_add", args=[cast.task_kh.pk])
    count = Task.objects.count()
    with on(dt.date(2025, 7, 1)):  # the parent's deadline (30/07/2025) is still ahead
        response = alice.post(url, {"text": "Nhiệm vụ con quá hạn cha", "lead": cast.kh.pk,
                                    "deadline_due": "2025-08-30", "deadline_reason": "Cần thêm thời gian."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "không được sau hạn của nhiệm vụ cha (30/07/2025)" in body and "Nhiệm vụ con quá hạn cha</textarea>" in body
    response = alice.post(url, {"text": "Giao cho bộ khác", "lead": cast.tc.pk})
    assert response.status_code == 400
    assert "Chỉ được giao nhiệm vụ con cho chính cơ quan mình hoặc đơn vị trực thuộc." in response.content.decode()
    assert Task.objects.count() == count


def test_a_subtask_of_a_late_or_extending_parent_may_end_later_with_a_reason_on_the_timeline(cast, client_for):
    alice = client_for(cast.alice)
    url = reverse("tasks:subtask_add", args=[cast.task_kh.pk])
    with on(dt.date(2025, 8, 10)):  # the parent's deadline (30/07/2025) has passed
        response = alice.post(url, {"text": "Hoàn thiện hồ sơ", "lead": cast.kh.pk, "deadline_due": "2025-09-15"})
        assert response.status_code == 400
        assert "hãy ghi lý do" in response.content.decode()
        response = alice.post(url, {"text": "Hoàn thiện hồ sơ", "lead": cast.kh.pk, "deadline_due": "2025-09-15",
                                    "deadline_reason": "Chờ kết quả khảo sát các phòng thí nghiệm."})
        assert response.status_code == 302
        subtask = Task.objects.get(parent=cast.task_kh)
        assert subtask.deadline_due == dt.date(2025, 9, 15)
        assert subtask.timing(today=dt.date(2025, 8, 10)) != "open_overdue"  # not born overdue
        for task in (subtask, cast.task_kh):
            assert task.events.filter(kind="deadline_scheduled",
                                      summary__contains="Chờ kết quả khảo sát các phòng thí nghiệm.").exists()
    # a parent still in time but whose extension is being requested
    from nq57.reports.services import extension_request

    with on(dt.date(2025, 12, 1)):
        extension_request(task=cast.task_tc, actor=cast.bob, requested_due=dt.date(2026, 3, 31),
                          reason="Chờ số liệu thống kê năm.")
        bob = client_for(cast.bob)
        response = bob.post(reverse("tasks:subtask_add", args=[cast.task_tc.pk]),
                            {"text": "Tổng hợp số liệu", "lead": cast.tc.pk, "deadline_due": "2026-02-28",
                             "deadline_reason": "Theo hạn đề xuất gia hạn."})
        assert response.status_code == 302
        assert Task.objects.get(parent=cast.task_tc).deadline_due == dt.date(2026, 2, 28)


def test_the_parent_progress_follows_the_rule_printed_next_to_it(cast, client_for):
    from nq57.tasks.services import PROGRESS_RULE, subtask_create, task_set_status

    parent = cast.task_tc
    first = subtask_create(parent=parent, actor=cast.bob, text="Phần một", lead=cast.tc, deadline_due=None)
    task_set_status(task=first, actor=cast.office, status="partly_done", progress=75)
    parent.refresh_from_db()
    assert parent.progress == 75
    second = subtask_create(parent=parent, actor=cast.bob, text="Phần hai", lead=cast.tc, deadline_due=None)
    parent.refresh_from_db()
    assert parent.progress == 38  # (75 + 0) / 2, rounded half up, as soon as the second sub-task exists
    # a status change on the parent with its own percentage still follows the rule
    task_set_status(task=parent, actor=cast.office, status="partly_done", progress=90)
    parent.refresh_from_db()
    assert parent.progress == 38
    task_set_status(task=second, actor=cast.office, status="done")
    parent.refresh_from_db()
    assert parent.progress == 88  # (75 + 100) / 2 = 87.5
    task_set_status(task=parent, actor=cast.office, status="done")
    parent.refresh_from_db()
    assert parent.progress == 100
    page = client_for(cast.office).get(parent.get_absolute_url()).content.decode()
    assert f'id="progress-rule">{PROGRESS_RULE}</p>' in page.replace("&amp;", "&")


def test_an_event_deadline_gets_its_date(cast, client_for):
    task = make_task(notice=cast.notice, lead=[cast.kh], kind=DeadlineKind.EVENT, text="Trình Quốc hội Luật")
    client = client_for(cast.office)
    assert client.post(reverse("tasks:task_schedule", args=[task.pk]), {"due": "20/10/2025"}).status_code == 302
    task.refresh_from_db()
    assert task.deadline_due == dt.date(2025, 10, 20)
    assert "Ấn định thời hạn" in client.get(task.get_absolute_url()).content.decode()
    # a dated task has no event to schedule: the service says so
    response = client.post(reverse("tasks:task_schedule", args=[cast.task_kh.pk]), {"due": "2025-10-20"})
    assert response.status_code == 400
    assert "Chỉ nhiệm vụ có thời hạn theo sự kiện" in response.content.decode()


def test_a_dissolved_agency_shows_the_name_the_task_was_assigned_under(cast, client_for):
    successor = Agency.objects.create(name="Bộ Tài chính và Kế hoạch")
    agency_dissolve(agency=cast.tc, successor=successor, on=dt.date(2025, 3, 1), actor=cast.office)
    client = client_for(cast.leader)
    page = client.get(cast.task_tc.get_absolute_url()).content.decode()
    lead = page[page.index('id="lead-agencies"'):page.index('id="partner-agencies"')]
    assert "Bộ Tài chính và Kế hoạch" in lead and "(giao cho: Bộ Tài chính)" in lead
    agency_page = client.get(cast.tc.get_absolute_url()).content.decode()
    assert "01/03/2025" in agency_page and f'href="{successor.get_absolute_url()}"' in agency_page
    assert "Bộ Tài chính" in client.get(successor.get_absolute_url()).content.decode()  # "Tiếp nhận từ"


def test_export_writes_the_filtered_rows(cast, client_for):
    client = client_for(cast.leader)
    response = client.get(reverse("tasks:task_export"), {"agency": cast.kh.pk, "role": "lead"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nhiem-vu-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("Thông báo", "Vị trí", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
                       "Hạn hoàn thành", "Tình trạng", "Phân loại thời hạn", "Tiến độ (%)")
    assert len(rows) == 2
    notice, path, text, lead, partners, phrase, due, status, timing, progress = rows[1]
    assert (notice, path, lead, partners) == ("30-TB/TGV", "1.a.1", "Bộ KH&CN", "Bộ Tài chính")
    assert text == cast.task_kh.text and phrase == "trước ngày 30/07/2025"
    assert due.date() == dt.date(2025, 7, 30) and status == "Chưa hoàn thành" and progress == 0
    assert timing in {"Chưa hoàn thành, đã quá hạn", "Sắp đến hạn", "Chưa hoàn thành, còn trong hạn"}
    everything = load_workbook(io.BytesIO(b"".join(client.get(reverse("tasks:task_export")).streaming_content)))
    assert everything.active.max_row == 3


@pytest.mark.parametrize("url_name", ["tasks:task_detail", "tasks:task_edit"])
def test_an_unknown_task_is_a_404(cast, client_for, url_name):
    client = client_for(cast.office)
    method = client.get if url_name == "tasks:task_detail" else client.post
    assert method(reverse(url_name, args=[999999])).status_code == 404


def test_sub_tasks_and_extension_requests_are_read_only_when_the_task_has_some(cast, client_for):
    """``task_for_page`` says whether the task has sub-tasks and extension requests; the page reads them only then,
    and shows them as soon as there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nq57.reports.services import extension_request

    alice, task = client_for(cast.alice), cast.task_kh

    def page():
        with CaptureQueriesContext(connection) as queries:
            body = alice.get(task.get_absolute_url()).content.decode()
        read = {table for table, column in (("tasks_task", '"tasks_task"."parent_id" IN'),
                                            ("reports_extensionrequest", '"reports_extensionrequest"."requested_due"'))
                if any(column in q["sql"] for q in queries.captured_queries)}
        return body, read

    body, read = page()
    assert read == set() and 'id="extensions"' not in body and "Chưa có nhiệm vụ con." in body
    with on(dt.date(2025, 7, 1)):
        extension_request(task=task, actor=cast.alice, requested_due=dt.date(2025, 9, 30), reason="Chờ số liệu.")
        make_task(notice=cast.notice, lead=[cast.kh], path="1.1", text="Khảo sát hiện trạng")
    Task.objects.filter(path="1.1").update(parent=task)
    body, read = page()
    assert read == {"tasks_task", "reports_extensionrequest"}
    assert 'id="extensions"' in body and "Chờ số liệu." in body and "Khảo sát hiện trạng" in body
