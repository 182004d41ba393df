"""Each permission rule through the API: office, alice, bob, carol, leader, anonymous, revoked and inactive tokens."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from nq57.api.models import ApiToken
from nq57.api.services import token_create, token_revoke
from nq57.api.tests.helpers import ApiClient, assert_error
from nq57.core.testing import make_task
from nq57.reports.models import ExtensionRequest, ProgressReport

TODAY = timezone.localdate()


def report_body(**over):
    body = {"period_start": (TODAY - dt.timedelta(days=30)).isoformat(), "period_end": TODAY.isoformat(),
            "text": "Đã hoàn thành dự thảo đề án, đang lấy ý kiến các bộ.", "percent": 40,
            "claimed_status": "partly_done"}
    body.update(over)
    return body


def test_it_refuses_anonymous_requests_with_401_in_the_error_shape(cast, api_as):
    body = assert_error(api_as(None).get("tasks"), 401, "unauthorized")
    assert "mã truy cập" in body["message"]


def test_it_lists_tasks_for_every_signed_in_role(cast, api_as):
    for user in (cast.office, cast.alice, cast.bob, cast.carol, cast.leader):
        response = api_as(user).get("tasks")
        assert response.status_code == 200
        assert {t["id"] for t in response.json()["results"]} == {cast.task_kh.pk, cast.task_tc.pk}


def test_a_focal_point_reports_on_tasks_of_their_agency_only(cast, api_as):
    alice, carol = api_as(cast.alice), api_as(cast.carol)
    assert alice.post(f"tasks/{cast.task_kh.pk}/reports", report_body()).status_code == 201
    assert alice.post(f"tasks/{cast.task_tc.pk}/reports", report_body()).status_code == 201  # partner on task_tc
    other = make_task(notice=cast.notice, lead=[cast.xd], text="Nhiệm vụ của Bộ Xây dựng", path="9")
    body = assert_error(alice.post(f"tasks/{other.pk}/reports", report_body()), 403, "forbidden")
    assert "cơ quan của bạn" in body["message"]
    assert_error(carol.post(f"tasks/{cast.task_kh.pk}/reports", report_body()), 403, "forbidden")
    assert_error(carol.post(f"tasks/{other.pk}/reports", report_body()), 403)  # her unit is below Bộ Xây dựng
    assert ProgressReport.objects.filter(task=other, author=cast.alice).count() == 0


def test_a_leaders_token_is_read_only(cast, api_as):
    leader = api_as(cast.leader)
    assert leader.get(f"tasks/{cast.task_kh.pk}").status_code == 200
    assert_error(leader.post(f"tasks/{cast.task_kh.pk}/reports", report_body()), 403, "forbidden")
    etag = leader.get(f"tasks/{cast.task_kh.pk}")["ETag"]
    assert_error(leader.patch(f"tasks/{cast.task_kh.pk}", {"text": "Sửa"}, headers={"If-Match": etag}), 403)
    assert_error(leader.post(f"tasks/{cast.task_kh.pk}/extensions",
                             {"requested_due": "2030-01-01", "reason": "Cần thêm thời gian"}), 403)
    assert_error(leader.post("webhooks", {"url": "https://example.org/h", "secret": "s" * 20,
                                          "events": ["task.created"]}), 403)
    assert ProgressReport.objects.count() == 0


def test_only_the_office_assesses_and_decides(cast, api_as):
    alice, office = api_as(cast.alice), api_as(cast.office)
    report_id = alice.post(f"tasks/{cast.task_kh.pk}/reports", report_body()).json()["id"]
    assert_error(alice.post(f"reports/{report_id}/assessments", {"verdict": "accept"}), 403, "forbidden")
    assert_error(api_as(cast.bob).post(f"reports/{report_id}/assessments", {"verdict": "accept"}), 403)
    response = office.post(f"reports/{report_id}/assessments", {"verdict": "accept", "comment": "Đạt"})
    assert response.status_code == 201 and response.json()["verdict"] == "accept"
    task = office.get(f"tasks/{cast.task_kh.pk}").json()
    assert (task["status"], task["progress"]) == ("partly_done", 40)

    ext = alice.post(f"tasks/{cast.task_kh.pk}/extensions",
                     {"requested_due": (TODAY + dt.timedelta(days=400)).isoformat(), "reason": "Chờ luật có hiệu lực"})
    assert ext.status_code == 201, ext.content
    ext_id = ext.json()["id"]
    assert_error(alice.post(f"extensions/{ext_id}/decision", {"approve": True}), 403, "forbidden")
    decided = office.post(f"extensions/{ext_id}/decision", {"approve": True, "note": "Đồng ý"})
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    assert ExtensionRequest.objects.get(pk=ext_id).decided_by == cast.office


def test_a_revoked_token_is_refused(cast):
    token, raw = token_create(user=cast.alice, name="Kết nối")
    client = ApiClient(raw)
    assert client.get("me").json()["username"] == "alice"
    token_revoke(token=token, actor=cast.alice)
    body = assert_error(client.get("me"), 401, "unauthorized")
    assert "thu hồi" in body["message"]


def test_a_token_of_an_inactive_user_is_refused(cast):
    _, raw = token_create(user=cast.bob, name="Kết nối")
    cast.bob.is_active = False
    cast.bob.save()
    body = assert_error(ApiClient(raw).get("tasks"), 401, "unauthorized")
    assert "khóa" in body["message"]


def test_a_forged_token_with_a_known_prefix_is_refused(cast):
    token, raw = token_create(user=cast.office, name="Kết nối")
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert_error(ApiClient(forged).get("tasks"), 401)
    assert_error(ApiClient("not-a-token").get("tasks"), 401)
    assert ApiToken.objects.get(pk=token.pk).key_hash != raw  # only the hash is stored


def test_the_browser_session_works_and_needs_csrf_for_writes(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    assert client.get("/api/v1/me").json()["username"] == "alice"
    url = f"/api/v1/tasks/{cast.task_kh.pk}/reports"
    body = assert_error(client.post(url, report_body(), content_type="application/json"), 403, "csrf_failed")
    assert "CSRF" in body["message"]
    client.get("/api-tokens/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(url, report_body(), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


def test_notifications_are_the_recipients_own(cast, api_as):
    from nq57.monitoring.models import Notification

    mine = Notification.objects.create(recipient=cast.alice, kind="task.reminder", target=cast.task_kh,
                                       title="Sắp đến hạn", body="Nhiệm vụ 1.a.1 đến hạn sau 3 ngày",
                                       created_at=timezone.now())
    Notification.objects.create(recipient=cast.bob, kind="overdue", title="Quá hạn", created_at=timezone.now())
    alice, bob = api_as(cast.alice), api_as(cast.bob)
    listed = alice.get("notifications", {"unread": "true"}).json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert_error(bob.post(f"notifications/{mine.pk}/read"), 404, "not_found")
    response = alice.post(f"notifications/{mine.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    assert alice.get("notifications", {"unread": "true"}).json()["results"] == []


def test_the_task_list_runs_a_constant_number_of_queries(cast, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(cast.office)
    client.get("tasks")  # warm up: token last-used stamp

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("tasks", {"page_size": 200})
        rows = response.json()["results"]
        assert all(r["lead_agencies"] for r in rows)
        return len(ctx.captured_queries), len(rows)

    few = count_queries()
    for i in range(30):
        make_task(notice=cast.notice, lead=[cast.kh, cast.tc], coordinating=[cast.xd], text=f"Nhiệm vụ {i}",
                  path=f"5.{i}")
    many = count_queries()
    assert (few[1], many[1]) == (2, 32)
    assert few[0] == many[0] <= 8
