"""Test data for every app: factories and a named cast (Standing Office, two focal points, a leader).

The cast, used across the suite:
- ``office``  — Cơ quan Thường trực staff: does everything;
- ``alice``   — focal point of Bộ Khoa học và Công nghệ (lead on ``task_kh``, partner on ``task_tc``);
- ``bob``     — focal point of Bộ Tài chính (lead on ``task_tc``);
- ``carol``   — focal point of Sở KH&CN unit under Bộ Xây dựng, party to nothing;
- ``leader``  — reads everything, changes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import factory

from nq57.accounts.models import User
from nq57.agencies.models import Agency, AgencyKind
from nq57.notices.models import Notice
from nq57.tasks.models import DeadlineKind, Task
from nq57.taxonomy.models import Programme

PASSWORD = "matkhau-thu-nghiem"

#: the read-only reference data beside the repository (seeds, gold annotations, the scorer)
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file or folder of ``../shared`` a test needs. Missing, the test FAILS (never skips) and says what to do."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        import pytest

        pytest.fail(f"../shared/{'/'.join(parts)} is missing: this test needs the shared reference data at {SHARED} "
                    "(a checkout of the project's 'shared' folder beside the repository).", pytrace=False)
    return path


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    kind = AgencyKind.MINISTRY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    # hashed before the row is written: one INSERT and one history record per user, not a second save
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def memberships(user, create, extracted, **kwargs):
        """``memberships=[(organisation, role_code), ...]``; none makes a citizen (no organisation)."""
        from nq57.accounts.services import membership_add
        from nq57.core.access import SYSTEM

        for organisation, role_code in extracted or ():
            membership_add(user=user, organisation=organisation, role_code=role_code, actor=SYSTEM)


def make_office(username: str, **fields) -> User:
    """A Standing Office staff member (role ``office`` of the Standing Office organisation)."""
    from nq57.agencies.services import standing_office
    from nq57.monitoring.roles import OFFICE

    return UserFactory(username=username, memberships=[(standing_office(), OFFICE)], **fields)


def make_focal_point(username: str, organisation: Agency, **fields) -> User:
    from nq57.monitoring.roles import FOCAL_POINT

    return UserFactory(username=username, memberships=[(organisation, FOCAL_POINT)], **fields)


def make_leader(username: str, **fields) -> User:
    """A leader (role ``leader`` of the Standing Office organisation): reads everything, changes nothing."""
    from nq57.agencies.services import standing_office
    from nq57.monitoring.roles import LEADER

    return UserFactory(username=username, memberships=[(standing_office(), LEADER)], **fields)


def make_citizen(username: str, **fields) -> User:
    """An account with no organisation membership: public pages and its own things only."""
    return UserFactory(username=username, email=fields.pop("email", f"{username}@example.vn"), **fields)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "57-NQ/TW"
    name = "Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
    is_default = True


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: f"{n + 10}-TB/TGV")
    issued_on = dt.date(2025, 6, 13)
    issuer = "Tổ Giúp việc Ban Chỉ đạo Trung ương"


def make_task(*, notice, lead, coordinating=(), text="Xây dựng đề án thử nghiệm", due=None, kind=None, actor=None,
              **extra) -> Task:
    """A task assigned by ``actor`` (default: the platform itself, ``access.SYSTEM``)."""
    from nq57.core.access import SYSTEM
    from nq57.tasks.services import task_create

    actor = SYSTEM if actor is None else actor
    if kind is None:
        kind = DeadlineKind.DATE if due else DeadlineKind.NONE
    return task_create(notice=notice, text=text, lead=list(lead), coordinating=list(coordinating), actor=actor,
                       deadline_kind=kind, deadline_due=due, deadline_text=f"trước ngày {due:%d/%m/%Y}" if due else "",
                       **extra)


@dataclass
class Cast:
    office: User
    alice: User
    bob: User
    carol: User
    leader: User
    kh: Agency
    tc: Agency
    xd: Agency
    xd_unit: Agency
    notice: Notice
    task_kh: Task
    task_tc: Task


def build_cast() -> Cast:
    kh = AgencyFactory(name="Bộ Khoa học và Công nghệ", short_name="Bộ KH&CN")
    tc = AgencyFactory(name="Bộ Tài chính")
    xd = AgencyFactory(name="Bộ Xây dựng")
    xd_unit = AgencyFactory(name="Cục Phát triển đô thị", kind=AgencyKind.UNIT, parent=xd)
    office = make_office("office", full_name="Nguyễn Văn Thường Trực")
    alice = make_focal_point("alice", kh, full_name="Trần Thị An")
    bob = make_focal_point("bob", tc, full_name="Lê Văn Bình")
    carol = make_focal_point("carol", xd_unit, full_name="Phạm Thu Cúc")
    leader = make_leader("leader", full_name="Hoàng Minh Lãnh Đạo")
    notice = NoticeFactory(number="30-TB/TGV")
    task_kh = make_task(notice=notice, lead=[kh], coordinating=[tc], due=dt.date(2025, 7, 30), path="1.a.1",
                        text="Xây dựng cơ chế vận hành các phòng thí nghiệm trọng điểm theo hướng mở và chia sẻ")
    task_tc = make_task(notice=notice, lead=[tc], coordinating=[kh], due=dt.date(2025, 12, 31), path="1.b",
                        text="Xây dựng chỉ tiêu thống kê đo lường đóng góp của khoa học, công nghệ vào tăng trưởng")
    return Cast(office, alice, bob, carol, leader, kh, tc, xd, xd_unit, notice, task_kh, task_tc)
