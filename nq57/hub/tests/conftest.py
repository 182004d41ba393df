from dataclasses import dataclass

import pytest

from nq57.agencies.models import Agency, AgencyKind, Verification
from nq57.core.testing import UserFactory, make_office
from nq57.hub.roles import HUB_MEMBER


@dataclass
class Hub:
    enterprise: Agency
    university: Agency
    third: Agency
    unverified: Agency
    ent_user: object
    uni_user: object
    third_user: object
    unverified_user: object
    office: object


@pytest.fixture
def hub(db):
    enterprise = Agency.objects.create(name="Công ty Cổ phần Nông nghiệp Mê Kông", kind=AgencyKind.ENTERPRISE)
    university = Agency.objects.create(name="Trường Đại học Cần Thơ", kind=AgencyKind.UNIVERSITY)
    third = Agency.objects.create(name="Công ty TNHH Đối Thủ", kind=AgencyKind.ENTERPRISE)
    unverified = Agency.objects.create(name="Viện Chưa Xác Minh", kind=AgencyKind.INSTITUTE,
                                       verification=Verification.PENDING)
    return Hub(
        enterprise=enterprise, university=university, third=third, unverified=unverified,
        ent_user=UserFactory(username="ent", email="ent@example.vn", memberships=[(enterprise, HUB_MEMBER)]),
        uni_user=UserFactory(username="uni", email="uni@example.vn", memberships=[(university, HUB_MEMBER)]),
        third_user=UserFactory(username="third", email="third@example.vn", memberships=[(third, HUB_MEMBER)]),
        unverified_user=UserFactory(username="unv", email="unv@example.vn", memberships=[(unverified, HUB_MEMBER)]),
        office=make_office("office", email="office@example.vn"),
    )


SECRET = "Bí mật: giống lúa OM-KX9 cần chịu mặn 6‰ trong 30 ngày tại Sóc Trăng"


@pytest.fixture
def problem(hub):
    return make_problem(hub)


def make_problem(hub):
    from nq57.hub import services

    return services.problem_create(
        actor=hub.ent_user, organisation=hub.enterprise,
        title="Giống lúa chịu mặn cho vùng ven biển Đồng bằng sông Cửu Long",
        summary="Doanh nghiệp cần giống lúa chịu mặn, năng suất ổn định khi xâm nhập mặn mùa khô.",
        expected_result="Giống lúa chịu mặn được công nhận, năng suất trên 6 tấn/ha.", trl_required=5,
        budget_vnd=3_000_000_000, cofunding_vnd=1_000_000_000, details=SECRET,
        ip_terms="Doanh nghiệp được độc quyền khai thác 10 năm.")


@pytest.fixture
def offer(hub):
    return make_offer(hub)


def make_offer(hub):
    from nq57.hub import services

    return services.offer_create(
        actor=hub.uni_user, organisation=hub.university, title="Giống lúa thích ứng xâm nhập mặn CT-286",
        summary="Giống lúa chịu mặn do nhóm nghiên cứu chọn tạo, đã khảo nghiệm ở Bạc Liêu và Sóc Trăng.",
        trl=6, ip_status="application", expected_product="Hạt giống xác nhận", team="PGS. Nguyễn Văn A và cộng sự")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): services.x(...)``: run the after-commit listeners (jobs, mail) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
