"""Every error answers ``{"code", "message", "errors"}`` in Vietnamese: validation, 404, 405, filters, 429."""

from django.test import override_settings

from nq57.api.tests.helpers import assert_error


def test_malformed_json_is_a_400(cast, api_as):
    client = api_as(cast.alice)
    body = assert_error(client.post(f"tasks/{cast.task_kh.pk}/reports", raw=b'{"text": "thi\xe1u'), 400,
                        "bad_request")
    assert "JSON" in body["message"]
    body = assert_error(client.post("reports/1/assessments", raw=b"{not json"), 400)
    assert "JSON" in body["message"]


def test_wrong_types_name_each_field_in_vietnamese(cast, api_as):
    response = api_as(cast.alice).post(f"tasks/{cast.task_kh.pk}/reports",
                                       {"period_start": "31/02/2025", "period_end": "2025-02-31", "percent": "nhiều",
                                        "claimed_status": "xong", "text": 5})
    body = assert_error(response, 422, "invalid")
    errors = body["errors"]
    assert "Ngày không hợp lệ" in errors["period_start"][0]
    assert "Ngày không hợp lệ" in errors["period_end"][0]
    assert errors["percent"] == ["Phải là số nguyên."]
    assert "danh sách cho phép" in errors["claimed_status"][0]
    assert errors["text"] == ["Phải là chuỗi ký tự."]


def test_a_missing_field_and_an_out_of_range_value(cast, api_as):
    body = assert_error(api_as(cast.alice).post(f"tasks/{cast.task_kh.pk}/extensions", {"reason": "x"}), 422)
    assert body["errors"] == {"requested_due": ["Trường này là bắt buộc."]}
    etag = api_as(cast.office).get(f"tasks/{cast.task_kh.pk}")["ETag"]
    body = assert_error(api_as(cast.office).patch(f"tasks/{cast.task_kh.pk}", {"progress": 150},
                                                  headers={"If-Match": etag}), 422)
    assert "giới hạn: 100" in body["errors"]["progress"][0]


def test_an_unknown_agency_in_a_patch_is_named(cast, api_as):
    client = api_as(cast.office)
    url = f"tasks/{cast.task_kh.pk}"
    body = assert_error(client.patch(url, {"lead_agencies": [cast.kh.pk, 999999]},
                                     headers={"If-Match": client.get(url)["ETag"]}), 400)
    assert body["errors"] == {"lead_agencies": ["Không tìm thấy cơ quan có mã: 999999."]}


def test_invalid_filters_answer_with_the_web_lists_messages(cast, api_as):
    body = assert_error(api_as(cast.leader).get("tasks", {"status": "xong", "due_from": "2025-02-31",
                                                          "agency": "999999"}), 422, "invalid")
    assert set(body["errors"]) == {"status", "due_from", "agency"}
    assert "Ngày không hợp lệ" in body["errors"]["due_from"][0]


def test_filters_select_tasks(cast, api_as):
    client = api_as(cast.leader)
    rows = client.get("tasks", {"agency": cast.tc.pk, "role": "lead"}).json()["results"]
    assert [r["id"] for r in rows] == [cast.task_tc.pk]
    rows = client.get("tasks", {"due_to": "2025-08-01"}).json()["results"]
    assert [r["id"] for r in rows] == [cast.task_kh.pk]


def test_pagination_by_page_and_by_cursor(cast, api_as):
    from nq57.core.testing import make_task

    for i in range(5):
        make_task(notice=cast.notice, lead=[cast.kh], text=f"Nhiệm vụ {i}", path=f"7.{i}")
    client = api_as(cast.office)
    page = client.get("tasks", {"page_size": 3}).json()
    assert (page["count"], len(page["results"])) == (7, 3)
    page2 = client.get("tasks", {"page_size": 3, "page": 3}).json()
    assert len(page2["results"]) == 1 and page2["next_cursor"] is None
    seen, cursor = [], None
    while True:
        params = {"page_size": 2, **({"cursor": cursor} if cursor else {})}
        data = client.get("tasks", params).json()
        seen += [r["id"] for r in data["results"]]
        cursor = data["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == 7
    assert_error(client.get("tasks", {"page_size": 500}), 422)
    assert_error(client.get("tasks", {"cursor": "!!!"}), 422)


def test_not_found_and_wrong_method_keep_the_shape(cast, api_as):
    client = api_as(cast.office)
    assert "Không tìm thấy" in assert_error(client.get("tasks/999999"), 404, "not_found")["message"]
    assert_error(client.get("no/such/endpoint"), 404, "not_found")
    assert assert_error(client.get("tasks/abc"), 422, "invalid")["errors"] == {"task_id": ["Phải là số nguyên."]}
    response = client.delete(f"tasks/{cast.task_kh.pk}")
    body = assert_error(response, 405, "method_not_allowed")
    assert "DELETE" in body["message"] and "PATCH" in response["Allow"]


@override_settings(API_RATE_LIMIT_PER_MINUTE=3)
def test_the_rate_limit_answers_429_with_retry_after(cast, api_as):
    client, other = api_as(cast.alice), api_as(cast.bob)
    statuses = [client.get("me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("me")
    body = assert_error(response, 429, "rate_limited")
    assert "thử lại sau" in body["message"] and 1 <= int(response["Retry-After"]) <= 60
    assert other.get("me").status_code == 200  # per token
