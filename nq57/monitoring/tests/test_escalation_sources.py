"""Escalation for objects that are not tasks: an app registers a source of late items, and the weekly list (page and
e-mail to the office) shows them grouped by the responsible organisation."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from nq57.agencies import services as agency_services
from nq57.agencies.models import Agency, Verification
from nq57.monitoring import alerts
from nq57.monitoring.escalation import LateItem, escalation_sections, register_escalation, unregister_escalation
from nq57.monitoring.models import Notification

VERIFY_WITHIN = dt.timedelta(days=5)
REGISTERED = dt.date(2025, 10, 1)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9)).replace(tzinfo=timezone.get_current_timezone()),
                               tick=False)


def waiting_registrations(*, today):
    """Organisation registrations the office has not decided within five days (a real object with a deadline)."""
    return [LateItem(organisation_id=None, organisation="Cơ quan Thường trực", label=o.name, text=o.address,
                     due=o.registered_at.date() + VERIFY_WITHIN, url=f"/agencies/registrations/#o{o.pk}", today=today)
            for o in Agency.objects.filter(verification=Verification.PENDING)]


@pytest.fixture
def registrations_source():
    register_escalation("test.registrations", label="Đăng ký tổ chức chờ xác minh quá hạn", late=waiting_registrations)
    yield
    unregister_escalation("test.registrations")


def test_late_objects_of_another_kind_join_the_escalation_page_and_the_weekly_mail(cast, client, registrations_source):
    with at(REGISTERED):
        organisation = agency_services.organisation_register(name="Viện Nghiên cứu Thử nghiệm", kind="institute",
                                                             address="Hà Nội", contact_name="Ngô Văn Viện",
                                                             contact_email="vien@example.vn")
    registered = organisation.registered_at.date()
    assert escalation_sections(today=registered + dt.timedelta(days=2)) == []  # not late yet

    today = registered + dt.timedelta(days=12)
    [section] = escalation_sections(today=today)
    assert section["label"] == "Đăng ký tổ chức chờ xác minh quá hạn" and section["total"] == 1
    [group] = section["groups"]
    assert group["organisation"] == "Cơ quan Thường trực" and group["items"][0].days_late == 7

    client.force_login(cast.leader)
    with at(today):
        page = client.get("/escalation/").content.decode()
    assert "Đăng ký tổ chức chờ xác minh quá hạn" in page and "Viện Nghiên cứu Thử nghiệm" in page

    # no late task on that day is needed: the late registration alone sends the weekly list to the office
    assert alerts.escalation_send(today=today) >= 1
    note = Notification.objects.get(kind=alerts.ESCALATION, recipient=cast.office)
    assert "Viện Nghiên cứu Thử nghiệm" in note.body and "chậm 7 ngày" in note.body

    agency_services.organisation_verify(organisation=organisation, actor=cast.office)
    assert escalation_sections(today=today) == []
