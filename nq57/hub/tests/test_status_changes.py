"""Stopping a deal, closing a problem, withdrawing an offer, editing an offer, marking contract milestones: the
services (access checked inside, nothing written on a refusal, history kept, the other party told by mail)."""

import datetime as dt

import pytest
from django.core import mail

from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.hub import services
from nq57.hub.models import ContractMilestone, Deal, DealStage, Offer, Problem, ProblemStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(hub, problem, committed):
    with committed():
        return services.interest_express(actor=hub.uni_user, organisation=hub.university, problem=problem,
                                         message="Trường có giống CT-286 phù hợp.")


def _contract(hub, deal, milestones=None):
    return services.contract_record(actor=hub.ent_user, deal=deal, number="01/HĐ", title="Chuyển giao giống",
                                    value_vnd=2_000_000_000, ip_split="50/50", signed_on=dt.date(2026, 3, 1),
                                    milestones=milestones)


def test_either_party_stops_a_deal_and_the_other_is_told(hub, problem, deal, committed):
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_TALKS
    with pytest.raises(PermissionDeniedError) as refused:
        services.deal_withdraw(actor=hub.third_user, deal=deal, reason="chen ngang")
    assert "Chỉ hai bên" in refused.value.message
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.INTEREST and deal.history.count() == 1
    mail.outbox.clear()
    with committed():
        services.deal_withdraw(actor=hub.uni_user, deal=deal, reason="Giống chưa đạt độ mặn yêu cầu.")
    deal = Deal.objects.get(pk=deal.pk)
    assert (deal.stage, deal.withdrawn_by, deal.withdraw_reason) == (
        DealStage.WITHDRAWN, hub.university, "Giống chưa đạt độ mặn yêu cầu.")
    assert deal.history.count() == 2 and deal.history.first().history_user == hub.uni_user
    assert [m.to for m in mail.outbox] == [["ent@example.vn"]]
    assert "đã dừng kết nối" in mail.outbox[0].subject and "độ mặn yêu cầu" in mail.outbox[0].body
    # no other open deal: the problem is open again; the stopped deal takes no more messages
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.OPEN
    with pytest.raises(ServiceError, match="đã dừng"):
        services.message_post(actor=hub.ent_user, deal=deal, body="còn đó không?")
    with pytest.raises(ServiceError, match="đã dừng"):
        services.deal_withdraw(actor=hub.ent_user, deal=deal)
    # the partner may express interest again later: a new deal
    again = services.interest_express(actor=hub.uni_user, organisation=hub.university, problem=problem,
                                      message="Đã có số liệu mới.")
    assert again.pk != deal.pk


def test_a_contracted_deal_is_not_stopped_on_the_hub(hub, deal):
    _contract(hub, deal)
    with pytest.raises(ServiceError, match="đã ký hợp đồng"):
        services.deal_withdraw(actor=hub.ent_user, deal=Deal.objects.get(pk=deal.pk))
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.CONTRACTED


def test_poster_closes_a_problem_partners_told_others_refused(hub, problem, deal, committed):
    from nq57.search.selectors import search_ids

    assert search_ids("hub.problem", "giong lua", public_only=True) == [problem.pk]
    for who in (hub.third_user, hub.uni_user):
        with pytest.raises(PermissionDeniedError) as refused:
            services.problem_close(actor=who, problem=problem, reason="x")
        assert "Chỉ tổ chức đăng đầu bài" in refused.value.message
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_TALKS and problem.history.count() == 1
    mail.outbox.clear()
    with committed():
        services.problem_close(actor=hub.ent_user, problem=problem, reason="Đã tự giải quyết bằng giống nhập khẩu.")
    closed = Problem.objects.get(pk=problem.pk)
    assert closed.status == ProblemStatus.CLOSED
    assert closed.history.first().history_change_reason == "Đã tự giải quyết bằng giống nhập khẩu."
    assert search_ids("hub.problem", "giong lua", public_only=True) == []
    assert [m.to for m in mail.outbox] == [["uni@example.vn"]] and "giống nhập khẩu" in mail.outbox[0].body
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.INTEREST  # the talks stay; either side may stop them
    with pytest.raises(ServiceError, match="đã đóng"):
        services.problem_close(actor=hub.ent_user, problem=closed)
    with pytest.raises(ServiceError, match="đã đóng"):
        services.interest_express(actor=hub.third_user, organisation=hub.third, problem=closed, message="x")


def test_poster_withdraws_an_offer(hub, offer, committed):
    deal = services.interest_express(actor=hub.ent_user, organisation=hub.enterprise, offer=offer,
                                     message="Chúng tôi muốn mua giống.")
    with pytest.raises(PermissionDeniedError):
        services.offer_withdraw(actor=hub.ent_user, offer=offer)
    assert Offer.objects.get(pk=offer.pk).is_active
    mail.outbox.clear()
    with committed():
        services.offer_withdraw(actor=hub.uni_user, offer=offer, reason="Đã chuyển giao độc quyền.")
    assert not Offer.objects.get(pk=offer.pk).is_active
    assert [m.to for m in mail.outbox] == [["ent@example.vn"]] and deal.pk
    with pytest.raises(ServiceError, match="ngừng chào"):
        services.interest_express(actor=hub.third_user, organisation=hub.third, offer=Offer.objects.get(pk=offer.pk),
                                  message="x")
    with pytest.raises(ServiceError, match="ngừng chào"):
        services.offer_withdraw(actor=hub.uni_user, offer=Offer.objects.get(pk=offer.pk))


def test_offer_update_kind_and_ip_status(hub, offer):
    services.offer_update(actor=hub.uni_user, offer=offer, kind="technology", ip_status="patent")
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.kind, offer.ip_status) == ("technology", "patent")
    with pytest.raises(ServiceError) as bad:
        services.offer_update(actor=hub.uni_user, offer=offer, ip_status="stolen")
    assert bad.value.field == "ip_status"
    with pytest.raises(PermissionDeniedError):
        services.offer_update(actor=hub.third_user, offer=offer, title="Chiếm quyền")
    assert Offer.objects.get(pk=offer.pk).title == "Giống lúa thích ứng xâm nhập mặn CT-286"


def test_milestones_marked_done_by_a_party(hub, deal, committed):
    contract = _contract(hub, deal, milestones=[{"title": "Nhân giống vụ hè thu", "due": dt.date(2026, 6, 1)},
                                                {"title": "Khảo nghiệm diện rộng", "due": "2026-12-01"}])
    first, second = contract.milestones.all()
    assert (first.position, first.due_on, second.due_on) == (1, dt.date(2026, 6, 1), dt.date(2026, 12, 1))
    assert first.is_late(dt.date(2026, 6, 2)) and not second.is_late(dt.date(2026, 6, 2))
    with pytest.raises(PermissionDeniedError):
        services.milestone_mark_done(actor=hub.third_user, milestone=first, done_on=dt.date(2026, 5, 30))
    with pytest.raises(ServiceError, match="sau hôm nay") as future:
        services.milestone_mark_done(actor=hub.uni_user, milestone=first, done_on=dt.date(2999, 1, 1))
    assert future.value.field == "done_on"
    with pytest.raises(ServiceError, match="trước ngày ký"):
        services.milestone_mark_done(actor=hub.uni_user, milestone=first, done_on=dt.date(2026, 1, 1))
    assert ContractMilestone.objects.get(pk=first.pk).done_on is None and first.history.count() == 1
    mail.outbox.clear()
    with committed():
        services.milestone_mark_done(actor=hub.uni_user, milestone=first, done_on=dt.date(2026, 5, 30),
                                     note="Đã nhân 12 tấn giống.")
    first = ContractMilestone.objects.get(pk=first.pk)
    assert (first.done_on, first.done_by, first.done_by_organisation, first.note) == (
        dt.date(2026, 5, 30), hub.uni_user, hub.university, "Đã nhân 12 tấn giống.")
    assert first.history.count() == 2
    assert [m.to for m in mail.outbox] == [["ent@example.vn"]] and "Nhân giống vụ hè thu" in mail.outbox[0].subject
    with pytest.raises(ServiceError, match="đã được ghi nhận"):
        services.milestone_mark_done(actor=hub.ent_user, milestone=first, done_on=dt.date(2026, 5, 31))


def test_milestone_with_a_bad_date_refused_and_nothing_written(hub, deal):
    from nq57.hub.models import Contract

    with pytest.raises(ServiceError) as bad:
        _contract(hub, deal, milestones=[{"title": "Nhân giống", "due": "31/02/2026"}])
    assert bad.value.field == "milestones"
    assert not Contract.objects.exists() and not ContractMilestone.objects.exists()
