import re

import pytest
from django.core import signing
from django.urls import reverse

from nq57.intake import forms, services
from nq57.intake.models import Submission, SubmissionStatus
from nq57.intake.tests.conftest import INITIATIVE, pdf

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def _form_data(client, **overrides):
    page = client.get(reverse("intake:submit"))
    assert page.status_code == 200
    token = page.context["challenge_token"]
    data = {**INITIATIVE, "sender_name": "Nguyễn Thị Hoa", "sender_contact": "hoa@example.vn", "is_public": "on",
            "challenge": forms.challenge_answer(token), "challenge_token": token, "website": ""}
    data.update(overrides)
    return data


def test_anonymous_submit_follow_and_publish(cast, client, django_capture_on_commit_callbacks):
    data = _form_data(client, attachments=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:submit"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    s = Submission.objects.get()
    assert s.tracking_code in response.content.decode()
    follow = client.get(services.follow_path(s))
    assert follow.status_code == 200 and INITIATIVE["title"] in follow.content.decode()
    lookup = client.get(reverse("intake:follow_lookup"), {"code": s.tracking_code.lower()})
    assert "Mới gửi" in lookup.content.decode() and INITIATIVE["content"] not in lookup.content.decode()
    # verification is a POST behind the mailed link
    token = signing.dumps({"id": s.pk, "c": s.sender_key}, salt=services.VERIFY_SALT)
    assert client.get(reverse("intake:verify", args=[token])).status_code == 200
    assert not Submission.objects.get().contact_verified
    client.post(reverse("intake:verify", args=[token]))
    services.submission_route(submission=Submission.objects.get(), agency=cast.kh, actor=cast.office)
    services.submission_answer(submission=Submission.objects.get(), actor=cast.alice, answer="Sẽ thí điểm.",
                               decision="pilot", reasons="Khả thi.", scores=dict.fromkeys(services.SCORES, 4))
    listing = client.get(reverse("intake:public_list"), {"q": "thiet bi do kiem"}).content.decode()
    assert s.tracking_code in listing
    page = client.get(reverse("intake:public_detail", args=[s.tracking_code])).content.decode()
    assert "Sẽ thí điểm." in page and "hoa@example.vn" not in page and "Nguyễn Thị Hoa" not in page
    stats = client.get(reverse("intake:statistics"))
    assert stats.status_code == 200 and stats.context["figures"]["answered"] == 1


def test_refused_form_keeps_what_was_typed(client):
    data = _form_data(client, challenge="99")
    response = client.post(reverse("intake:submit"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Câu trả lời kiểm tra chưa đúng" in body and INITIATIVE["title"] in body
    assert not Submission.objects.exists()
    response = client.post(reverse("intake:submit"), _form_data(client, website="http://spam.example"))
    assert response.status_code == 400 and not Submission.objects.exists()
    response = client.post(reverse("intake:submit"), _form_data(client, attachments=pdf(name="virus.exe")))
    assert response.status_code == 400 and "Không chấp nhận tệp" in response.content.decode()


def test_script_in_every_text_field_is_escaped(cast, client):
    fields = ("title", "content", "legal_reference", "sender_name", "sender_organisation")
    data = _form_data(client, **{f: f"{SCRIPT} {f}" for f in fields})
    assert client.post(reverse("intake:submit"), data).status_code == 200
    s = Submission.objects.get()
    client.force_login(cast.office)
    for url in (reverse("intake:detail", args=[s.pk]), reverse("intake:queue"), services.follow_path(s)):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_office_queue_flags_the_duplicate_and_routes(cast, client):
    first = services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    second = services.submission_submit(
        kind="sang_kien", title="Chia sẻ thiết bị đo kiểm của các phòng thí nghiệm trọng điểm",
        content=("Kiến nghị xây dựng cổng đặt lịch dùng chung thiết bị đo kiểm đắt tiền giữa các phòng thí nghiệm "
                 "trọng điểm để doanh nghiệp nhỏ thuê theo giờ."), sender_name="B", sender_contact="b@example.vn")
    client.force_login(cast.office)
    queue = client.get(reverse("intake:queue")).content.decode()
    assert f'id="queue-{second.pk}"' in queue and "likely-duplicate" in queue and first.tracking_code in queue
    detail = client.get(reverse("intake:detail", args=[second.pk])).content.decode()
    assert "dùng chung thiết bị đo kiểm đắt tiền giữa các phòng thí nghiệm" in detail  # the shared passage
    response = client.post(reverse("intake:act", args=[second.pk, "merge"]), {"into": first.tracking_code})
    assert response.status_code == 302
    response = client.post(reverse("intake:act", args=[first.pk, "route"]), {"agency": cast.kh.pk})
    assert response.status_code == 302
    assert Submission.objects.get(pk=first.pk).status == SubmissionStatus.RECEIVED
    assert client.get(reverse("intake:dashboard")).status_code == 200


def test_agency_answer_page_and_permissions(cast, client):
    s = services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    client.force_login(cast.alice)
    assert client.get(reverse("intake:detail", args=[s.pk])).status_code == 404  # not routed to them yet
    assert client.get(reverse("intake:queue")).status_code == 403
    services.submission_route(submission=s, agency=cast.kh, actor=cast.office)
    page = client.get(reverse("intake:detail", args=[s.pk]))
    assert page.status_code == 200 and 'id="form-answer"' in page.content.decode()
    assert s.tracking_code in client.get(reverse("intake:inbox")).content.decode()
    refused = client.post(reverse("intake:act", args=[s.pk, "answer"]), {"answer": "Cảm ơn."})
    assert refused.status_code == 400 and "Cảm ơn." in refused.content.decode()  # kept, with the assessment asked
    done = client.post(reverse("intake:act", args=[s.pk, "answer"]), {
        "answer": "Cảm ơn.", "decision": "adopted", "reasons": "Tốt.", **dict.fromkeys(services.SCORES, "5")})
    assert done.status_code == 302
    client.force_login(cast.bob)
    assert client.get(reverse("intake:detail", args=[s.pk])).status_code == 404
    assert client.post(reverse("intake:act", args=[s.pk, "route"]), {"agency": cast.tc.pk}).status_code == 404
    client.logout()
    assert client.get(reverse("intake:queue")).status_code == 302  # to the login page


def test_sender_data_export_and_erase_pages(cast, client):
    services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    client.force_login(cast.office)
    export = client.get(reverse("intake:sender_data"), {"contact": "a@example.vn"})
    assert export["Content-Type"].startswith("application/json") and "a@example.vn" in export.content.decode()
    client.post(reverse("intake:sender_data"), {"contact": "a@example.vn"})
    assert Submission.objects.get().sender_contact == ""


def test_task_page_shows_its_origin(cast, client):
    s = services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    s = services.submission_route(submission=s, agency=cast.kh, actor=cast.office)
    s = services.submission_make_task(submission=s, notice=cast.notice, actor=cast.office)
    client.force_login(cast.alice)
    page = client.get(reverse("tasks:task_detail", args=[s.task_id])).content.decode()
    assert 'id="task-origin"' in page and s.tracking_code in page


def test_dashboard_backlog_is_live(cast, client):
    services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    client.force_login(cast.office)
    assert client.get(reverse("intake:dashboard")).context["figures"]["new"] == 1
    services.submission_submit(**INITIATIVE, sender_name="B", sender_contact="b@example.vn")
    assert client.get(reverse("intake:dashboard")).context["figures"]["new"] == 2  # not from the cache


def test_support_by_contact_waits_for_the_confirm_button(cast, client, django_capture_on_commit_callbacks):
    from django.core import mail

    s = services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn", address="1.2.3.4")
    services.contact_verify(token=signing.dumps({"id": s.pk, "c": s.sender_key}, salt=services.VERIFY_SALT))
    services.submission_route(submission=s, agency=cast.kh, actor=cast.office)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("intake:support", args=[s.tracking_code]), {"contact": "ban@example.vn"})
    assert page.status_code == 200 and "Đã gửi thư kèm liên kết xác nhận" in page.content.decode()
    assert Submission.objects.get().support_count == 0
    url = re.search(r"https?://[^/\s]+(/\S*/ung-ho/xac-nhan/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(url).status_code == 200 and Submission.objects.get().support_count == 0  # a GET never writes
    assert client.post(url).status_code == 200 and Submission.objects.get().support_count == 1
    assert client.post(url[:-3] + "xx/").status_code == 400
    assert Submission.objects.get().support_count == 1
