import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.hub import services
from nq57.hub.models import Deal, DealStage, Offer, Problem, ProblemStatus
from nq57.hub.tests.conftest import SECRET

pytestmark = pytest.mark.django_db


def test_unverified_organisation_refused_and_nothing_written(hub):
    with pytest.raises(PermissionDeniedError) as exc:
        services.offer_create(actor=hub.unverified_user, organisation=hub.unverified, title="Cảm biến độ mặn",
                              summary="Cảm biến đo độ mặn giá rẻ.", trl=4)
    assert "chưa được Cơ quan Thường trực xác minh" in exc.value.message
    assert Offer.objects.count() == 0


def test_acting_for_another_organisation_refused(hub):
    with pytest.raises(PermissionDeniedError) as exc:
        services.problem_create(actor=hub.third_user, organisation=hub.enterprise, title="Đầu bài giả danh",
                                summary="…", expected_result="…", trl_required=3)
    assert "không phải thành viên" in exc.value.message
    assert Problem.objects.count() == 0


def test_university_cannot_post_a_problem_kind(hub):
    with pytest.raises(ServiceError) as exc:
        services.problem_create(actor=hub.uni_user, organisation=hub.university, title="Đầu bài",
                                summary="Tóm tắt", expected_result="Kết quả", trl_required=3)
    assert "không đăng đầu bài" in exc.value.message


def test_brochure_of_30_mb_refused(hub):
    big = SimpleUploadedFile("gioi-thieu.pdf", b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024), "application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.offer_create(actor=hub.uni_user, organisation=hub.university, title="Robot hàn", summary="Robot.",
                              trl=5, brochure=big)
    assert "vượt quá giới hạn" in exc.value.message and exc.value.field == "brochure"
    assert Offer.objects.count() == 0


def test_brochure_of_the_wrong_type_refused_and_a_pdf_kept(hub):
    exe = SimpleUploadedFile("brochure.pdf", b"MZ\x90\x00" + b"x" * 100)
    with pytest.raises(ServiceError):
        services.offer_create(actor=hub.uni_user, organisation=hub.university, title="A", summary="B", trl=5,
                              brochure=exe)
    pdf = SimpleUploadedFile("Giới thiệu.pdf", b"%PDF-1.7\n" + b"x" * 100)
    offer = services.offer_create(actor=hub.uni_user, organisation=hub.university, title="A", summary="B", trl=5,
                                  brochure=pdf)
    assert offer.brochure_name == "Giới thiệu.pdf" and offer.brochure.size > 0


@pytest.mark.parametrize("text", ["<script>alert(1)</script> giống lúa", '<img src=x onerror="alert(1)">',
                                  "xem javascript:alert(1)"])
def test_script_in_a_description_refused(hub, text):
    with pytest.raises(ServiceError) as exc:
        services.problem_create(actor=hub.ent_user, organisation=hub.enterprise, title="Đầu bài có mã",
                                summary=text, expected_result="Kết quả", trl_required=3)
    assert "mã lệnh" in exc.value.message and "summary" in exc.value.errors
    assert Problem.objects.count() == 0


def test_duplicate_and_rate_refused(hub, problem, settings):
    with pytest.raises(ServiceError) as exc:
        services.problem_create(actor=hub.ent_user, organisation=hub.enterprise,
                                title="GIONG LUA chiu man cho vung ven bien dong bang song Cuu Long",
                                summary="x", expected_result="y", trl_required=3)
    assert "đã đăng" in exc.value.message
    settings.HUB_POSTS_PER_HOUR = 2
    services.problem_create(actor=hub.ent_user, organisation=hub.enterprise, title="Đầu bài thứ hai", summary="x",
                            expected_result="y", trl_required=3)
    with pytest.raises(ServiceError) as exc:
        services.problem_create(actor=hub.ent_user, organisation=hub.enterprise, title="Đầu bài thứ ba",
                                summary="x", expected_result="y", trl_required=3)
    assert "trong một giờ qua" in exc.value.message
    assert Problem.objects.count() == 2


def test_field_suggested_from_text_and_embedding_stored_by_the_job(hub, committed):
    with committed():
        problem = services.problem_create(actor=hub.ent_user, organisation=hub.enterprise,
                                          title="Robot tự động hóa dây chuyền đóng gói", summary="Cần robot gắp.",
                                          expected_result="Robot gắp 30 sản phẩm/phút", trl_required=6)
    problem.refresh_from_db()
    assert problem.field is not None and problem.field.code.startswith("5")
    assert problem.embedding is not None and len(bytes(problem.embedding)) == 768  # HUEY_IMMEDIATE in tests
    assert problem.history.count() == 1  # the embedding write leaves no history row


def test_flow_interest_message_access_agreement_contract_outcome(hub, problem, offer, committed):
    mail.outbox.clear()
    assert services.problem_for(hub.third_user, problem.pk)  # public part
    with committed():
        deal = services.interest_express(actor=hub.uni_user, organisation=hub.university, problem=problem, offer=offer,
                                         message="Trường có giống CT-286 phù hợp, xin trao đổi.")
    assert deal.owner == hub.enterprise and deal.partner == hub.university and deal.offer == offer
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_TALKS
    assert [m.to for m in mail.outbox] == [["ent@example.vn"]]
    with pytest.raises(ServiceError):
        services.interest_express(actor=hub.uni_user, organisation=hub.university, problem=problem, message="lần 2")
    with committed():
        services.message_post(actor=hub.ent_user, deal=deal, body="Mời trường gửi số liệu khảo nghiệm.")
    assert mail.outbox[-1].to == ["uni@example.vn"] and "Tin nhắn mới" in mail.outbox[-1].subject
    with pytest.raises(PermissionDeniedError):
        services.message_post(actor=hub.third_user, deal=deal, body="chen ngang")
    with pytest.raises(PermissionDeniedError):
        services.problem_grant_access(actor=hub.uni_user, problem=problem, organisation=hub.university)
    services.problem_grant_access(actor=hub.ent_user, problem=problem, organisation=hub.university)
    deal = services.deal_agree(actor=hub.uni_user, deal=Deal.objects.get(pk=deal.pk), terms="Chuyển giao giống, 2 tỷ.")
    assert deal.stage == DealStage.AGREED
    import datetime as dt

    contract = services.contract_record(actor=hub.ent_user, deal=deal, number="01/2026/HĐ-CGCN",
                                        title="Chuyển giao giống lúa CT-286", value_vnd=2_000_000_000,
                                        cofunding_vnd=500_000_000, ip_split="Trường giữ bằng, doanh nghiệp độc quyền",
                                        signed_on=dt.date(2026, 3, 1),
                                        milestones=[{"title": "Nhân giống", "due": dt.date(2026, 9, 1)}])
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.CONTRACTED
    services.outcome_record(actor=hub.uni_user, contract=contract, kind="spinoff", title="Công ty giống",
                            year=2026, revenue_vnd=0, spinoff_name="Công ty CP Giống lúa CT")
    services.outcome_record(actor=hub.ent_user, contract=contract, kind="product", title="Bán hạt giống",
                            year=2026, revenue_vnd=750_000_000)
    from nq57.hub.selectors import figures

    f = figures()
    assert f.totals["contracts"] == 1 and f.totals["value"] == 2_000_000_000
    assert f.totals["spinoffs"] == 1 and f.totals["revenue"] == 750_000_000
    assert f.by_year == [{"year": 2026, "contracts": 1, "value": 2_000_000_000, "revenue": 750_000_000,
                          "spinoffs": 1}]
    names = {row["name"] for row in f.by_organisation}
    assert names == {hub.enterprise.name, hub.university.name}


def test_details_rule(hub, problem):
    from nq57.core import access

    assert access.can_see_problem_details(hub.ent_user, problem)
    assert access.can_see_problem_details(hub.office, problem)
    assert not access.can_see_problem_details(hub.uni_user, problem)
    assert not access.can_see_problem_details(hub.third_user, problem)
    services.problem_grant_access(actor=hub.ent_user, problem=problem, organisation=hub.university)
    assert access.can_see_problem_details(hub.uni_user, problem)
    assert not access.can_see_problem_details(hub.third_user, problem)
    assert SECRET == Problem.objects.get(pk=problem.pk).details


def test_feature_only_by_office(hub, offer):
    with pytest.raises(PermissionDeniedError):
        services.item_feature(actor=hub.uni_user, item=offer)
    services.item_feature(actor=hub.office, item=offer)
    assert Offer.objects.get(pk=offer.pk).is_featured


def test_matching_reasons(hub, committed):
    from nq57.hub import matching
    from nq57.hub.tests.conftest import make_offer, make_problem

    with committed():
        problem, offer = make_problem(hub), make_offer(hub)
        services.offer_create(actor=hub.uni_user, organisation=hub.university, title="Phần mềm kế toán đám mây",
                              summary="Phần mềm kế toán cho hộ kinh doanh trên điện toán đám mây.", trl=8)
    problem.refresh_from_db()
    assert problem.embedding is not None
    matches = matching.offers_for_problem(problem)
    assert matches[0].item == offer
    reasons = "; ".join(matches[0].reasons)
    assert "TRL 6 ≥ yêu cầu 5" in reasons and "khớp:" in reasons and "chịu mặn" in reasons
    back = matching.problems_for_offer(Offer.objects.get(pk=offer.pk))
    assert back[0].item == problem


def test_text_kept_canonical(hub):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Hoà giải mặn thuỷ lợi")
    problem = services.problem_create(actor=hub.ent_user, organisation=hub.enterprise, title=nfd, summary=nfd,
                                      expected_result="x", trl_required=2)
    assert problem.title == unicodedata.normalize("NFC", problem.title)
    assert io  # keep the import used


def test_matching_proposes_an_item_sharing_no_word_through_the_vector_index(hub, committed):
    """A result written in English, in no field, shares no word with the problem: only its stored embedding can bring
    it among the candidates — before the vector index is built (newest vectors scanned) and after it (nearest list)."""
    from django.core.management import call_command

    from nq57.hub import matching
    from nq57.hub.models import MatchingCentroid
    from nq57.taxonomy.models import TechnologyField

    group = TechnologyField.objects.filter(version__is_current=True, parent__isnull=True).order_by("id").first()
    with committed():
        problem = services.problem_create(
            actor=hub.ent_user, organisation=hub.enterprise, field=group, trl_required=5,
            title="Giống lúa chịu mặn cho vùng ven biển Đồng bằng sông Cửu Long",
            summary="Doanh nghiệp cần giống lúa chịu mặn, năng suất ổn định khi xâm nhập mặn mùa khô.",
            expected_result="Giống lúa chịu mặn được công nhận, năng suất trên 6 tấn/ha.")
        english = services.offer_create(
            actor=hub.uni_user, organisation=hub.university, title="Salt-tolerant rice for coastal deltas",
            summary="A rice variety bred to keep its yield when sea water intrudes into paddy fields in the dry "
                    "season.", trl=6)
        services.offer_create(actor=hub.uni_user, organisation=hub.university, title="Phần mềm kế toán đám mây",
                              summary="Phần mềm kế toán cho hộ kinh doanh trên điện toán đám mây.", trl=8)
    problem.refresh_from_db()
    english.refresh_from_db()
    assert problem.field is not None and english.field is None
    assert not set(problem.match_terms.split("|")) & set(english.match_terms.split("|"))
    assert english.vector_list is None  # no index yet

    def proposed():
        return [m.item.pk for m in matching.offers_for_problem(problem)]

    assert english.pk in proposed()
    call_command("hub_matching_index", lists=2, stdout=io.StringIO())
    assert MatchingCentroid.objects.filter(kind="offer").count() == 2
    english.refresh_from_db()
    assert english.vector_list is not None
    assert english.pk in proposed()
    with committed():  # an item embedded after the index was built joins its nearest list
        later = services.offer_create(actor=hub.uni_user, organisation=hub.university, title="Rice for salty soils",
                                      summary="Seeds that grow in brackish water.", trl=5)
    later.refresh_from_db()
    assert later.vector_list is not None
