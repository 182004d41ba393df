"""The pages of the new hub actions: editing an offer, stopping a deal, closing a problem, withdrawing an offer,
marking a milestone done — the party allowed, a third organisation refused (Vietnamese message, nothing written), an
anonymous visitor sent to the login page, GET refused where only POST writes."""

import datetime as dt

import pytest
from django.urls import reverse

from nq57.hub import services
from nq57.hub.models import ContractMilestone, Deal, DealStage, Offer, Problem, ProblemStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(hub, problem):
    return services.interest_express(actor=hub.uni_user, organisation=hub.university, problem=problem,
                                     message="Trường có giống CT-286 phù hợp.")


def _to_login(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_offer_edit_page(client, hub, offer):
    url = reverse("hub:offer_edit", args=[offer.pk])
    data = {"kind": "technology", "title": "Giống lúa CT-286 (bản cập nhật)", "summary": "Tóm tắt mới.", "trl": "7",
            "ip_status": "patent", "asking_price_vnd": "900000000"}
    assert _to_login(client.get(url)) and _to_login(client.post(url, data))
    client.force_login(hub.third_user)
    refused = client.post(url, data)
    assert refused.status_code == 403 and "Chỉ tổ chức đăng kết quả mới được sửa" in refused.content.decode()
    assert Offer.objects.get(pk=offer.pk).title == offer.title and offer.history.count() == 1
    assert 'id="offer-edit"' not in client.get(offer.get_absolute_url()).content.decode()
    client.force_login(hub.uni_user)
    assert 'id="offer-edit"' in client.get(offer.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert offer.title in page and "PGS. Nguyễn Văn A" in page  # the current values
    # a refusal keeps what was typed
    response = client.post(url, {**data, "summary": "<script>alert(1)</script> Giống mới"})
    page = response.content.decode()
    assert response.status_code == 400 and "mã lệnh" in page and "Giống lúa CT-286 (bản cập nhật)" in page
    assert Offer.objects.get(pk=offer.pk).summary == offer.summary
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    saved = Offer.objects.get(pk=offer.pk)
    assert (saved.title, saved.kind, saved.trl, saved.ip_status, saved.asking_price_vnd) == (
        "Giống lúa CT-286 (bản cập nhật)", "technology", 7, "patent", 900_000_000)
    assert saved.history.count() == 2 and saved.history.first().history_user == hub.uni_user


def test_stop_a_deal_page(client, hub, deal):
    url = reverse("hub:deal_withdraw", args=[deal.pk])
    assert _to_login(client.post(url, {"reason": "x"}))
    client.force_login(hub.third_user)
    assert client.post(url, {"reason": "x"}).status_code == 404  # a third organisation does not see the deal
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.INTEREST
    client.force_login(hub.ent_user)
    page = client.get(deal.get_absolute_url()).content.decode()
    assert 'id="withdraw-submit"' in page and 'data-confirm="Dừng kết nối hợp tác này?' in page
    assert client.get(url).status_code == 405  # a GET never writes
    response = client.post(url, {"reason": "Đã chọn đối tác khác."})
    assert response.status_code == 302
    page = client.get(deal.get_absolute_url()).content.decode()
    assert "đã dừng kết nối" in page and "Đã chọn đối tác khác." in page and 'id="withdraw-submit"' not in page
    assert 'id="message-submit"' not in page
    refused = client.post(reverse("hub:deal_message", args=[deal.pk]), {"body": "còn đó?"})
    assert refused.status_code == 400 and "Kết nối này đã dừng." in refused.content.decode()
    assert deal.messages.count() == 1
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Kết nối này đã dừng." in response.content.decode()


def test_close_problem_page(client, hub, problem, deal):
    url = reverse("hub:problem_close", args=[problem.pk])
    assert _to_login(client.post(url))
    for who in (hub.third_user, hub.uni_user):
        client.force_login(who)
        assert 'id="close-submit"' not in client.get(problem.get_absolute_url()).content.decode()
        refused = client.post(url, {"reason": "x"})
        assert refused.status_code == 403 and "Chỉ tổ chức đăng đầu bài mới được đóng" in refused.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_TALKS
    client.force_login(hub.ent_user)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'id="close-submit"' in page and "data-confirm=" in page
    assert client.get(url).status_code == 405
    assert client.post(url, {"reason": "Đã giải quyết."}).status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.CLOSED
    assert 'id="close-submit"' not in client.get(problem.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(problem.get_absolute_url()).status_code == 404


def test_withdraw_offer_page(client, hub, offer):
    url = reverse("hub:offer_withdraw", args=[offer.pk])
    assert _to_login(client.post(url))
    client.force_login(hub.third_user)
    refused = client.post(url)
    assert refused.status_code == 403 and "Chỉ tổ chức đăng kết quả mới được ngừng chào" in refused.content.decode()
    assert Offer.objects.get(pk=offer.pk).is_active
    client.force_login(hub.uni_user)
    assert 'id="offer-withdraw-submit"' in client.get(offer.get_absolute_url()).content.decode()
    assert client.post(url, {"reason": "Đã chuyển giao độc quyền."}).status_code == 302
    assert not Offer.objects.get(pk=offer.pk).is_active
    page = client.get(offer.get_absolute_url()).content.decode()
    assert 'id="offer-withdrawn"' in page and 'id="offer-withdraw-submit"' not in page
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert offer.title not in client.get(reverse("hub:offer_list")).content.decode()


def test_mark_milestone_page(client, hub, deal):
    contract = services.contract_record(actor=hub.ent_user, deal=deal, number="01/HĐ", title="Chuyển giao",
                                        value_vnd=1, ip_split="50/50", signed_on=dt.date(2026, 3, 1),
                                        milestones=[{"title": "Nhân giống vụ hè thu", "due": "2026-06-01"}])
    milestone = contract.milestones.get()
    url = reverse("hub:milestone_done", args=[deal.pk, milestone.pk])
    field = f"m{milestone.pk}-done_on"
    assert _to_login(client.post(url, {field: "2026-05-30"}))
    client.force_login(hub.third_user)
    assert client.post(url, {field: "2026-05-30"}).status_code == 404
    client.force_login(hub.uni_user)
    page = client.get(deal.get_absolute_url()).content.decode()
    assert "Nhân giống vụ hè thu" in page and f'id="milestone-done-{milestone.pk}"' in page
    response = client.post(url, {field: "2026-01-01", f"m{milestone.pk}-note": "sớm quá"})
    page = response.content.decode()
    assert response.status_code == 400 and "trước ngày ký hợp đồng" in page and "sớm quá" in page
    assert ContractMilestone.objects.get(pk=milestone.pk).done_on is None
    response = client.post(url, {field: "2026-05-30", f"m{milestone.pk}-note": "Đã nhân 12 tấn giống."})
    assert response.status_code == 302
    page = client.get(deal.get_absolute_url()).content.decode()
    assert "Hoàn thành 30/05/2026" in page and "Đã nhân 12 tấn giống." in page
    assert f'id="milestone-done-{milestone.pk}"' not in page
    assert client.post(reverse("hub:milestone_done", args=[deal.pk, milestone.pk + 1000]), {}).status_code == 404
