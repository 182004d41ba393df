"""Notifications and once-only reminders about objects that are not tasks; agencies told what happens to their work
(report accepted/returned, extension decided, task assigned); per-person preferences honoured."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from nq57.accounts.services import membership_add
from nq57.core.testing import make_task
from nq57.monitoring import alerts, notifications
from nq57.monitoring.listeners import (
    EXTENSION_APPROVED,
    EXTENSION_REFUSED,
    REPORT_ACCEPTED,
    REPORT_RETURNED,
    TASK_ASSIGNED,
)
from nq57.monitoring.models import Dispatch, Notification, NotificationPreference
from nq57.monitoring.roles import FOCAL_POINT
from nq57.reports.models import ExtensionRequest, ProgressReport, Verdict
from nq57.reports.services import extension_decide, extension_request, report_assess, report_submit
from nq57.tasks.services import task_update

SITE = "https://nq57.example.gov.vn"
EXTENSION_ANSWER_DUE = notifications.register_kind("test.extension_answer_due",
                                                   label="Sắp đến hạn trả lời đề xuất gia hạn").name


@pytest.fixture
def mailed(cast, settings):
    settings.SITE_URL = SITE
    for user in (cast.alice, cast.bob, cast.office):
        user.email = f"{user.username}@example.gov.vn"
        user.save()
    return cast


def _extension(cast) -> ExtensionRequest:
    return extension_request(task=cast.task_kh, actor=cast.alice, requested_due=dt.date(2025, 9, 30),
                             reason="Chờ ý kiến thẩm định của Bộ Tư pháp", requested_at=dt.datetime(
                                 2025, 7, 1, 9, tzinfo=dt.UTC))


def test_an_extension_request_gets_a_notification_and_a_once_only_reminder(mailed, settings):
    cast = mailed
    request = _extension(cast)
    note = notifications.notify(recipient=cast.office, kind=EXTENSION_ANSWER_DUE, target=request,
                                template="agency-notice", url="/tasks/",
                                context={"task": request.task, "headline": "Có đề xuất gia hạn", "lines": []})
    assert note.target == request and note.content_type == ContentType.objects.get_for_model(ExtensionRequest)
    assert note.task_id is None

    mail.outbox.clear()
    answer_by = dt.date(2025, 7, 10)

    def remind(today):
        return notifications.remind_before(
            kind=EXTENSION_ANSWER_DUE, objects=ExtensionRequest.objects.filter(state="pending"),
            due_on=lambda r: answer_by, recipients=lambda r: [cast.office], template="agency-notice",
            context=lambda r, due, days_left: {"task": r.task, "headline": f"Còn {days_left} ngày để trả lời",
                                                "lines": [str(r.reason)]},
            url=lambda r: f"/tasks/{r.task_id}/", today=today, steps=[3, 1])

    assert remind(dt.date(2025, 7, 5)) == []  # 5 days before: no step due
    first = remind(dt.date(2025, 7, 7))
    again = remind(dt.date(2025, 7, 7))  # a second run, a second worker
    later = remind(dt.date(2025, 7, 8))  # still the 3-day step: already sent
    assert [(r.target, r.recipient, r.due_on, r.step) for r in first] == [(request, cast.office, answer_by, 3)]
    assert again == [] and later == []
    assert [r.step for r in remind(dt.date(2025, 7, 9))] == [1]
    reminders = Notification.objects.filter(kind=EXTENSION_ANSWER_DUE, dispatch__isnull=False)
    assert reminders.count() == 2 and {n.target for n in reminders} == {request}
    assert [m.subject for m in mail.outbox] == ["[nq57] Còn 3 ngày để trả lời", "[nq57] Còn 1 ngày để trả lời"]
    assert f"{SITE}/tasks/{request.task_id}/" in mail.outbox[0].body
    claims = Dispatch.objects.filter(kind=EXTENSION_ANSWER_DUE)
    assert claims.count() == 2 and all(c.target == request and c.sent_at for c in claims)
    # the claim is the lock for any object: the same (object, person, kind, date, step) cannot be claimed again
    assert notifications.claim(kind=EXTENSION_ANSWER_DUE, due_on=answer_by, target=request, recipient=cast.office,
                               step=3) is None


def test_an_unregistered_kind_is_refused(cast):
    with pytest.raises(ValueError):
        notifications.claim(kind="nobody.declared_this", due_on=dt.date(2025, 1, 1), recipient=cast.alice)


def _report(cast, task):
    return report_submit(task=task, actor=cast.alice, period_start=dt.date(2025, 6, 1), period_end=dt.date(2025, 6, 30),
                         text="Đã hoàn thành dự thảo cơ chế", percent=40, claimed_status="partly_done")


def _about(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_the_agency_is_told_when_its_report_is_returned_and_when_it_is_accepted(
        mailed, django_capture_on_commit_callbacks):
    cast = mailed
    report = _report(cast, cast.task_kh)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_assess(report=report, actor=cast.office, verdict=Verdict.ASK_FOR_MORE,
                      comment="Bổ sung số liệu kinh phí đã giải ngân")
    returned = _about(cast.alice, REPORT_RETURNED).get()
    assert returned.target == report and "cần bổ sung" in returned.title
    assert "Bổ sung số liệu kinh phí đã giải ngân" in returned.body
    assert not Notification.objects.filter(recipient=cast.bob, kind__in=[REPORT_RETURNED, REPORT_ACCEPTED]).exists()
    [message] = mail.outbox
    assert message.to == ["alice@example.gov.vn"]
    link = f"{SITE}/tasks/{cast.task_kh.pk}/"
    assert link in message.body and link in message.alternatives[0][0]
    assert ":8000" not in message.body and "127.0.0.1" not in message.body

    again = _report(cast, cast.task_kh)
    with django_capture_on_commit_callbacks(execute=True):
        report_assess(report=again, actor=cast.office, verdict=Verdict.ACCEPT)
    accepted = _about(cast.alice, REPORT_ACCEPTED).get()
    assert accepted.target == again and "được chấp nhận" in accepted.title
    assert ProgressReport.objects.count() == 2


def test_the_agency_is_told_when_its_extension_is_approved_or_refused(mailed, django_capture_on_commit_callbacks):
    cast = mailed
    first = _extension(cast)
    with django_capture_on_commit_callbacks(execute=True):
        extension_decide(request=first, actor=cast.office, approve=False, note="Chưa đủ căn cứ")
    refused = _about(cast.alice, EXTENSION_REFUSED).get()
    assert refused.target == first and "không được đồng ý" in refused.title and "Chưa đủ căn cứ" in refused.body

    second = _extension(cast)
    with django_capture_on_commit_callbacks(execute=True):
        extension_decide(request=second, actor=cast.office, approve=True)
    approved = _about(cast.alice, EXTENSION_APPROVED).get()
    assert approved.target == second and "30/09/2025" in approved.body
    assert approved.url == reverse("tasks:task_detail", args=[cast.task_kh.pk])


def test_agencies_are_told_when_a_task_is_assigned_to_them(mailed, django_capture_on_commit_callbacks):
    cast = mailed
    with django_capture_on_commit_callbacks(execute=True):
        task = make_task(notice=cast.notice, lead=[cast.kh], coordinating=[cast.tc], path="5",
                         text="Xây dựng nền tảng dữ liệu khoa học dùng chung", due=dt.date(2025, 12, 31))
    lead, partner = _about(cast.alice, TASK_ASSIGNED).get(), _about(cast.bob, TASK_ASSIGNED).get()
    assert (lead.target, partner.target) == (task, task)
    assert "chủ trì" in lead.title and "phối hợp" in partner.title
    assert not _about(cast.carol, TASK_ASSIGNED).exists()

    # a partner added later is told; the agencies already on the task are not told again
    membership_add(user=cast.carol, organisation=cast.xd, role_code=FOCAL_POINT, actor=cast.office)
    task.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        task_update(task=task, actor=cast.office, expected_version=task.version, coordinating=[cast.tc, cast.xd])
    assert _about(cast.carol, TASK_ASSIGNED).get().target == task
    assert _about(cast.alice, TASK_ASSIGNED).count() == 1 and _about(cast.bob, TASK_ASSIGNED).count() == 1


def test_email_off_means_in_app_only_and_digest_off_means_no_digest(mailed, client_for, settings):
    cast = mailed
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    client = client_for(cast.alice)
    page = client.get(reverse("monitoring:notification_preferences"))
    assert page.status_code == 200 and "Tùy chọn nhận thông báo" in page.content.decode()
    assert reverse("monitoring:notification_preferences") in client.get(
        reverse("monitoring:notifications")).content.decode()
    saved = client.post(reverse("monitoring:notification_preferences"), {"weekly_digest": "on"})
    assert saved.status_code == 302
    preference = NotificationPreference.objects.get(user=cast.alice)
    assert (preference.email_enabled, preference.weekly_digest) == (False, True)
    assert preference.history.latest().history_user == cast.alice

    task = make_task(notice=cast.notice, lead=[cast.kh], due=dt.date(2025, 10, 15), path="6")
    mail.outbox.clear()
    assert alerts.daily_scan(today=dt.date(2025, 10, 8)).reminders == 1
    assert _about(cast.alice, alerts.TASK_REMINDER).get().target == task  # in-app: always
    assert mail.outbox == []  # e-mail: off

    client.post(reverse("monitoring:notification_preferences"), {"email_enabled": "on"})
    assert alerts.weekly_digest(today=dt.date(2025, 10, 13)) == 1  # bob's; alice turned the digest off
    assert not _about(cast.alice, alerts.DIGEST).exists()
    assert [m.to for m in mail.outbox] == [["bob@example.gov.vn"]]


def test_only_the_person_changes_their_preferences(cast):
    from nq57.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        notifications.preference_set(actor=cast.office, user=cast.alice, email_enabled=False, weekly_digest=False)


def test_an_agency_notice_whose_worker_died_after_claiming_is_sent_once_after_the_timeout(mailed, settings):
    cast = mailed
    report = _report(cast, cast.task_kh)
    report_assess(report=report, actor=cast.office, verdict=Verdict.ASK_FOR_MORE, comment="Thiếu số liệu")
    # what a job killed between claim and send leaves behind: the claim, nothing sent
    stale = notifications.claim(kind=REPORT_RETURNED, due_on=dt.date(2025, 7, 1), target=report, recipient=cast.alice)
    assert stale is not None and not _about(cast.alice, REPORT_RETURNED).exists()
    from nq57.monitoring.tasks import run_claims_retry

    assert "agencies_informed" not in run_claims_retry()  # still fresh: its worker may be sending
    later = timezone.now() + dt.timedelta(minutes=settings.NOTIFY_CLAIM_TIMEOUT_MINUTES + 1)
    mail.outbox.clear()
    with time_machine.travel(later, tick=False):
        assert run_claims_retry()["agencies_informed"] == 1
        assert "agencies_informed" not in run_claims_retry()
    assert _about(cast.alice, REPORT_RETURNED).get().dispatch_id == stale.pk
    assert len(mail.outbox) == 1 and "Thiếu số liệu" in mail.outbox[0].body
