"""A citizen: signs up, verifies the e-mail through the link in the sent mail, signs in, reads public pages, and is
refused the internal pages with the Vietnamese 403 page."""

import re

from django.core import mail
from django.http import HttpRequest

from nq57.accounts.models import User
from nq57.core.testing import make_citizen

PASSWORD = "mot-mat-khau-du-dai-2025"


def _sign_up(client, django_capture_on_commit_callbacks, email="dan@example.vn"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/accounts/sign-up/", {"full_name": "Nguyễn Văn Dân", "email": email,
                                                  "password1": PASSWORD, "password2": PASSWORD})


def test_a_citizen_signs_up_verifies_the_email_signs_in_and_is_refused_the_task_pages(
        cast, client, django_capture_on_commit_callbacks):
    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "kiểm tra hộp thư" in response.content.decode()
    user = User.objects.get(email="dan@example.vn")
    assert not user.is_active and user.is_citizen
    # not before the e-mail is verified (django-axes needs the request)
    assert not client.login(request=HttpRequest(), username="dan@example.vn", password=PASSWORD)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.vn"]
    link = re.search(r"http://testserver(/accounts/verify/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Xác nhận và kích hoạt" in page.content.decode()
    assert not User.objects.get(pk=user.pk).is_active  # a GET never writes
    assert "Tài khoản đã được kích hoạt" in client.post(link).content.decode()
    assert User.objects.get(pk=user.pk).is_active

    response = client.post("/accounts/login/", {"username": "dan@example.vn", "password": PASSWORD}, follow=True)
    assert response.status_code == 200 and "Trang của tôi" in response.content.decode()
    assert "tài khoản công dân" in response.content.decode()
    assert client.get("/agencies/register/").status_code == 200  # a public page

    refused = client.get(cast.task_kh.get_absolute_url())
    body = refused.content.decode()
    assert refused.status_code == 403 and cast.task_kh.text not in body
    assert "Bạn không có quyền thực hiện thao tác này" in body and "cán bộ" in body
    api = client.get("/api/v1/tasks")  # the API refuses a session without a staff-side role, in JSON
    assert api.status_code == 403 and api.json()["code"] == "forbidden"


def test_a_forged_or_altered_link_activates_nothing(cast, client, django_capture_on_commit_callbacks):
    _sign_up(client, django_capture_on_commit_callbacks, email="gia@example.vn")
    link = re.search(r"http://testserver(/accounts/verify/\S+/)", mail.outbox[0].body).group(1)
    forged = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    assert client.post(forged).status_code == 400
    assert not User.objects.get(email="gia@example.vn").is_active


def test_an_email_already_used_is_refused_and_what_was_typed_is_kept(cast, client,
                                                                       django_capture_on_commit_callbacks):
    make_citizen("co-roi", email="co-roi@example.vn")
    User.objects.filter(username="co-roi").update(username="co-roi@example.vn")
    response = _sign_up(client, django_capture_on_commit_callbacks, email="co-roi@example.vn")
    body = response.content.decode()
    assert response.status_code == 400 and "đã được dùng" in body and "Nguyễn Văn Dân" in body
    assert len(mail.outbox) == 0


def test_a_citizen_session_sees_no_internal_menu_and_no_internal_page(cast, client):
    citizen = make_citizen("congdan")
    client.force_login(citizen)
    home = client.get("/accounts/me/").content.decode()
    assert "Nhiệm vụ</a>" not in home and "Đăng ký tổ chức" in home
    assert '<a class="brand" href="/accounts/me/">' in home  # the site name leads to their own page, not a refusal
    for path in ("/", "/tasks/", "/dashboard/", "/agencies/", "/api-tokens/", "/exchange/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Bạn không có quyền" in response.content.decode(), path
