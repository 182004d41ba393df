"""The office's webhook pages under /api-tokens/webhooks/: register, list, delivery log, delete; nobody else."""

import pytest

from nq57.api.models import WEBHOOK_EVENTS, DeliveryState, WebhookDelivery, WebhookSubscription
from nq57.api.services import webhook_subscribe

SECRET = "mot-khoa-ky-du-dai-123"


@pytest.fixture
def subscription(cast):
    return webhook_subscribe(actor=cast.office, url="https://nq71.example.vn/hooks", secret=SECRET,
                             events=["task.created", "report.submitted"], name="NQ71")


def test_the_office_registers_a_webhook_from_the_page(cast, client_for):
    client = client_for(cast.office)
    page = client.get("/api-tokens/webhooks/").content.decode()
    for event in WEBHOOK_EVENTS:  # the checkboxes are the API's own list
        assert f'type="checkbox" name="events" value="{event}"' in page
    response = client.post("/api-tokens/webhooks/", {"name": "NQ71", "url": "https://nq71.example.vn/hooks",
                                                     "secret": SECRET, "events": ["task.created", "task.overdue"]})
    assert response.status_code == 302 and response.url == "/api-tokens/webhooks/"
    subscription = WebhookSubscription.objects.get()
    assert (subscription.owner, subscription.url, subscription.secret, subscription.events, subscription.name) == (
        cast.office, "https://nq71.example.vn/hooks", SECRET, ["task.created", "task.overdue"], "NQ71")
    page = client.get("/api-tokens/webhooks/").content.decode()
    assert "Đã đăng ký webhook" in page and "https://nq71.example.vn/hooks" in page
    assert SECRET not in page  # the secret is the office's own input; the list never shows it back


def test_an_invalid_url_is_refused_in_vietnamese_and_what_was_typed_is_kept(cast, client_for):
    client = client_for(cast.office)
    response = client.post("/api-tokens/webhooks/", {"name": "Thử", "url": "ftp://x", "secret": SECRET,
                                                     "events": ["report.submitted"]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Địa chỉ nhận phải bắt đầu bằng http:// hoặc https://" in page
    assert 'value="ftp://x"' in page and 'value="Thử"' in page
    assert 'value="report.submitted" checked' in page and 'value="task.created" checked' not in page
    assert not WebhookSubscription.objects.exists()


def test_other_service_errors_show_too(cast, client_for):
    client = client_for(cast.office)
    response = client.post("/api-tokens/webhooks/", {"url": "https://x.vn/h", "secret": "ngan"})
    assert response.status_code == 400 and "Khóa ký cần ít nhất 16 ký tự." in response.content.decode()
    response = client.post("/api-tokens/webhooks/", {"url": "https://x.vn/h", "secret": SECRET})
    assert response.status_code == 400 and "Hãy chọn ít nhất một sự kiện." in response.content.decode()
    response = client.post("/api-tokens/webhooks/", {"url": "https://x.vn/h", "secret": SECRET, "events": ["x.y"]})
    assert response.status_code == 400 and "Sự kiện không được hỗ trợ" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_office_lists_sees_deliveries_and_deletes(cast, client_for, subscription):
    WebhookDelivery.objects.create(subscription=subscription, event="report.submitted", payload={},
                                   state=DeliveryState.FAILED, attempts=8, status_code=503,
                                   error="Máy nhận trả về mã 503.")
    client = client_for(cast.office)
    token_page = client.get("/api-tokens/").content.decode()
    assert 'href="/api-tokens/webhooks/"' in token_page
    page = client.get("/api-tokens/webhooks/").content.decode()
    assert "https://nq71.example.vn/hooks" in page and "task.created" in page and "Đang hoạt động" in page
    assert f'href="/api-tokens/webhooks/{subscription.pk}/"' in page
    log = client.get(f"/api-tokens/webhooks/{subscription.pk}/").content.decode()
    assert "report.submitted" in log and "503" in log and "Máy nhận trả về mã 503." in log and "Gửi thất bại" in log
    assert client.get("/api-tokens/webhooks/999999/").status_code == 404

    response = client.post(f"/api-tokens/webhooks/{subscription.pk}/delete/")
    assert response.status_code == 302
    assert not WebhookSubscription.objects.exists() and not WebhookDelivery.objects.exists()
    assert "Đã hủy đăng ký webhook" in client.get("/api-tokens/webhooks/").content.decode()


@pytest.mark.parametrize("who", ["alice", "leader"])
def test_focal_points_and_leaders_get_403(cast, client_for, subscription, who):
    client = client_for(getattr(cast, who))
    assert 'href="/api-tokens/webhooks/"' not in client.get("/api-tokens/").content.decode()
    assert client.get("/api-tokens/webhooks/").status_code == 403
    response = client.post("/api-tokens/webhooks/", {"url": "https://evil.example/h", "secret": SECRET,
                                                     "events": ["task.created"]})
    assert response.status_code == 403 and "Chỉ Cơ quan Thường trực" in response.content.decode()
    assert client.get(f"/api-tokens/webhooks/{subscription.pk}/").status_code == 403
    assert client.post(f"/api-tokens/webhooks/{subscription.pk}/delete/").status_code == 403
    assert list(WebhookSubscription.objects.all()) == [subscription]


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/api-tokens/webhooks/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_office_pauses_and_resumes_a_webhook_from_the_page(cast, client_for, subscription):
    client = client_for(cast.office)
    assert 'value="0"' in client.get("/api-tokens/webhooks/").content.decode()
    response = client.post(f"/api-tokens/webhooks/{subscription.pk}/active/", {"is_active": "0"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.is_active is False
    page = client.get("/api-tokens/webhooks/").content.decode()
    assert "Đã tạm dừng webhook" in page and "Bật lại" in page
    client.post(f"/api-tokens/webhooks/{subscription.pk}/active/", {"is_active": "1"})
    subscription.refresh_from_db()
    assert subscription.is_active is True


def test_a_focal_point_cannot_pause_a_webhook(cast, client_for, subscription):
    response = client_for(cast.alice).post(f"/api-tokens/webhooks/{subscription.pk}/active/", {"is_active": "0"})
    assert response.status_code == 403
    subscription.refresh_from_db()
    assert subscription.is_active is True
