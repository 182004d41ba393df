import datetime as dt
import re

import pytest
import time_machine
from django.core import mail, signing

from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.testing import UserFactory, make_citizen, make_focal_point
from nq57.intake import selectors, services
from nq57.intake.models import Submission, SubmissionStatus, Support
from nq57.intake.tests.conftest import pdf
from nq57.monitoring.models import Notification
from nq57.tasks.models import Task

pytestmark = pytest.mark.django_db

ANSWER = {"decision": "pilot", "reasons": "Phù hợp chủ trương dùng chung hạ tầng.",
          "scores": {"score_novelty": 4, "score_feasibility": 3, "score_impact": 5, "score_resources": 3}}


def verified(submission):
    token = signing.dumps({"id": submission.pk, "c": submission.sender_key}, salt=services.VERIFY_SALT)
    return services.contact_verify(token=token)


def test_the_whole_flow(cast, submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s = submit(attachments=[pdf()])
    assert s.status == SubmissionStatus.NEW and s.tracking_code.startswith("PA-")
    assert s.attachments.get().original_name == "bang-chung.pdf"
    assert any("xác nhận" in m.body and s.tracking_code in m.body for m in mail.outbox)
    assert Notification.objects.filter(recipient=cast.office, kind="intake.new").exists()
    assert not Submission.objects.published().exists()
    s = verified(s)
    assert s.contact_verified
    s = services.submission_route(submission=s, agency=cast.kh, actor=cast.office)
    assert s.status == SubmissionStatus.RECEIVED and s.answer_due == dt.date.today() + dt.timedelta(days=45)
    assert Notification.objects.filter(recipient=cast.alice, kind="intake.routed").exists()
    assert Submission.objects.published().filter(pk=s.pk).exists()
    s = services.submission_start(submission=s, actor=cast.alice)
    assert s.status == SubmissionStatus.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        s = services.submission_answer(submission=s, actor=cast.alice, answer="Bộ sẽ thí điểm tại 3 phòng.", **ANSWER)
    assert s.status == SubmissionStatus.ANSWERED and s.answered_on_time and s.score_impact == 5
    assert any("Bộ sẽ thí điểm" in m.body for m in mail.outbox)
    assert [x.pk for x in selectors.public_submissions(q="thiet bi do kiem")] == [s.pk]
    figures = selectors.figures()
    assert figures["answered"] == 1 and figures["on_time"] == 1
    s = services.submission_make_task(submission=s, notice=cast.notice, actor=cast.office)
    assert selectors.origin_of_task(Task.objects.get(pk=s.task_id)) == s
    assert s.history.count() >= 5


def test_initiative_answer_needs_the_assessment(cast, submit):
    s = services.submission_route(submission=submit(), agency=cast.kh, actor=cast.office)
    with pytest.raises(ServiceError) as refused:
        services.submission_answer(submission=s, actor=cast.alice, answer="Cảm ơn.")
    assert set(refused.value.errors) >= {"decision", "score_novelty", "reasons"}
    feedback = services.submission_route(submission=submit(kind="phan_anh", sender_contact="0912345678"),
                                         agency=cast.kh, actor=cast.office)
    assert services.submission_answer(submission=feedback, actor=cast.alice, answer="Đã tiếp thu.").decision == ""


def test_permissions_matrix(cast, submit):
    citizen = make_citizen("dan")
    member = UserFactory(username="member", memberships=[(cast.xd, "member")])
    s = submit(user=citizen, is_public=False)  # private: only the sender, the office and the routed agency
    # only the office triages
    for user in (citizen, member, cast.alice, cast.bob, cast.leader):
        with pytest.raises(PermissionDeniedError):
            services.submission_route(submission=s, agency=cast.kh, actor=user)
        with pytest.raises(PermissionDeniedError):
            services.submission_reject(submission=s, reason="abusive", actor=user)
    s = services.submission_route(submission=s, agency=cast.kh, actor=cast.office)
    # only the routed agency's focal point (and the office) answers
    for user in (citizen, member, cast.bob, cast.carol, cast.leader):
        with pytest.raises(PermissionDeniedError):
            services.submission_answer(submission=s, actor=user, answer="x", **ANSWER)
    visible = {u.username: set(Submission.objects.visible_to(u).values_list("pk", flat=True))
               for u in (citizen, member, cast.alice, cast.bob, cast.office)}
    assert visible == {"dan": {s.pk}, "member": set(), "alice": {s.pk}, "bob": set(), "office": {s.pk}}
    # transfer keeps the history; the new agency answers, the old one no longer can
    s = services.submission_transfer(submission=s, agency=cast.tc, actor=cast.alice, note="Thuộc Bộ Tài chính")
    assert s.status == SubmissionStatus.TRANSFERRED
    with pytest.raises(PermissionDeniedError):
        services.submission_answer(submission=s, actor=cast.alice, answer="x", **ANSWER)
    s = services.submission_answer(submission=s, actor=cast.bob, answer="Đã xử lý.", **ANSWER)
    assert [h.routed_agency_id for h in s.history.order_by("history_date")][-3:] == [cast.kh.pk, cast.tc.pk,
                                                                                       cast.tc.pk]
    # answered: nobody answers again
    with pytest.raises(PermissionDeniedError):
        services.submission_answer(submission=s, actor=cast.office, answer="x", **ANSWER)


def test_reject_merge_and_out_of_scope(cast, submit, django_capture_on_commit_callbacks):
    first = submit()
    with django_capture_on_commit_callbacks(execute=True):
        second = submit(sender_contact="lan@example.vn")
    assert second.duplicates and second.duplicates[0]["id"] == first.pk
    merged = services.submission_merge(submission=second, into=first, actor=cast.office)
    assert merged.status == SubmissionStatus.MERGED and merged.merged_into == first
    with pytest.raises(ServiceError):
        services.submission_reject(submission=merged, reason="abusive", actor=cast.office)
    third = submit(sender_contact="binh@example.vn", title="Xin việc", content="Cho tôi xin việc làm.")
    with pytest.raises(ServiceError) as refused:
        services.submission_reject(submission=third, reason="incomplete", actor=cast.office)
    assert refused.value.errors.get("reason")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(submission=third, reason="out_of_scope", note="Xin gửi cơ quan lao động.",
                                   actor=cast.office)
    assert "Xin gửi cơ quan lao động" in mail.outbox[0].body
    routed = services.submission_route(submission=first, agency=cast.tc, actor=cast.office)
    routed = services.submission_answer(submission=routed, actor=cast.bob, answer="Không thuộc Bộ Tài chính.",
                                        out_of_scope=True)
    assert routed.status == SubmissionStatus.OUT_OF_SCOPE
    again = services.submission_route(submission=routed, agency=cast.kh, actor=cast.office)
    assert again.status == SubmissionStatus.RECEIVED


def _confirm_link(message) -> str:
    return re.search(r"/ung-ho/xac-nhan/([^/\s]+)/", message.body).group(1)


def test_support_once_per_person_or_confirmed_contact(cast, submit, django_capture_on_commit_callbacks):
    s = verified(submit())
    s = services.submission_route(submission=s, agency=cast.kh, actor=cast.office)
    citizen = make_citizen("dan")
    services.support_add(submission=s, user=citizen)  # a signed-in account counts at once
    with pytest.raises(ServiceError):
        services.support_add(submission=s, user=citizen)
    with pytest.raises(ServiceError):
        services.support_add(submission=s, contact="0912345678")  # no address to mail a link to
    mail.outbox.clear()
    # anyone may type someone else's address: nothing counts until that address confirms
    with django_capture_on_commit_callbacks(execute=True):
        pending = services.support_add(submission=s, contact="HOA@example.vn")
    assert not pending.confirmed and Submission.objects.get(pk=s.pk).support_count == 1
    assert mail.outbox[-1].to == ["HOA@example.vn"]
    token = _confirm_link(mail.outbox[-1])
    # asking again within the hour mails nothing more; later, a new link for the same pending support
    with pytest.raises(ServiceError):
        services.support_add(submission=s, contact="hoa@example.vn")
    assert len(mail.outbox) == 1
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=2)):
        with django_capture_on_commit_callbacks(execute=True):
            again = services.support_add(submission=s, contact="hoa@example.vn")
    assert again.pk == pending.pk and len(mail.outbox) == 2 and Submission.objects.get(pk=s.pk).support_count == 1
    assert services.support_confirm(token=token).confirmed
    assert Submission.objects.get(pk=s.pk).support_count == 2
    # the same link twice, or the same contact again, counts once
    services.support_confirm(token=_confirm_link(mail.outbox[-1]))
    with pytest.raises(ServiceError):
        services.support_add(submission=s, contact="hoa@example.vn")
    assert Submission.objects.get(pk=s.pk).support_count == 2 == Support.objects.filter(confirmed=True).count()


def test_a_forged_or_expired_support_link_confirms_nothing(cast, submit, django_capture_on_commit_callbacks):
    s = services.submission_route(submission=verified(submit()), agency=cast.kh, actor=cast.office)
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            pending = services.support_add(submission=s, contact="khach@example.vn")
        token = _confirm_link(mail.outbox[-1])
    forged = [token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
              signing.dumps({"s": pending.pk, "c": pending.contact_key}, salt="another-salt"),
              signing.dumps({"s": pending.pk, "c": "someone-else"}, salt=services.SUPPORT_SALT),
              signing.dumps({"id": s.pk, "c": s.sender_key}, salt=services.VERIFY_SALT)]
    for bad in forged:
        with pytest.raises(ServiceError):
            services.support_confirm(token=bad)
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC), tick=False):  # 31 days later
        with pytest.raises(ServiceError):
            services.support_confirm(token=token)
    assert not Support.objects.get(pk=pending.pk).confirmed
    assert Submission.objects.get(pk=s.pk).support_count == 0


def test_deadlines_reminders_and_escalation_under_a_frozen_clock(cast, submit):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        s = services.submission_route(submission=submit(kind="kien_nghi"), agency=cast.kh, actor=cast.office)
        assert s.answer_due == dt.date(2026, 4, 1)  # 30 days for a recommendation
    with time_machine.travel(dt.datetime(2026, 3, 26, 1, 0, tzinfo=dt.UTC), tick=False):
        assert services.answer_deadlines_watch()["reminded"] == 1  # 6 days left: the 7-day reminder
        assert services.answer_deadlines_watch()["reminded"] == 0  # once
    assert Notification.objects.filter(recipient=cast.alice, kind="intake.answer_due").count() == 1
    with time_machine.travel(dt.datetime(2026, 4, 3, 1, 0, tzinfo=dt.UTC), tick=False):
        assert selectors.figures()["overdue"] == 1
        assert services.answer_deadlines_watch()["escalated"] == 1
        assert services.answer_deadlines_watch()["escalated"] == 0
        from nq57.monitoring.escalation import escalation_sections

        [late] = [x for x in escalation_sections(today=dt.date(2026, 4, 3)) if x["key"] == "intake.answers"]
        assert late["groups"][0]["organisation_id"] == cast.kh.pk and late["groups"][0]["items"][0].days_late == 2
        s = services.submission_answer(submission=s, actor=cast.alice, answer="Trả lời muộn.")
        assert not [x for x in escalation_sections(today=dt.date(2026, 4, 3)) if x["key"] == "intake.answers"]
        assert s.answered_on_time is False
    assert Notification.objects.filter(recipient=cast.office, kind="intake.overdue").count() == 1


def test_answer_deadline_configurable_per_kind(cast, submit, settings):
    settings.INTAKE_ANSWER_DAYS = {"phan_anh": 5}
    s = services.submission_route(submission=submit(kind="phan_anh"), agency=cast.kh, actor=cast.office)
    assert s.answer_due == dt.date.today() + dt.timedelta(days=5)


def test_abuse_honeypot_rate_limits_and_files(cast, submit, settings):
    with pytest.raises(ServiceError):
        submit(honeypot="http://spam.example")
    settings.INTAKE_MAX_PER_ADDRESS_HOUR = 2
    submit(sender_contact="a1@example.vn")
    submit(sender_contact="a2@example.vn")
    with pytest.raises(services.RateLimited):
        submit(sender_contact="a3@example.vn")
    settings.INTAKE_MAX_PER_CONTACT_DAY = 1
    submit(sender_contact="b@example.vn", address="198.51.100.1")
    with pytest.raises(services.RateLimited):
        submit(sender_contact="B@Example.vn", address="198.51.100.2")  # the same contact, however typed
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ServiceError) as refused:
        submit(sender_contact="c@example.vn", address="198.51.100.3", attachments=[pdf(size=2000)])
    assert "vượt quá" in refused.value.errors["attachments"][0]
    disguised = pdf(name="hoa-don.pdf")
    disguised.file.write(b"")
    disguised.file.seek(0)
    disguised.file.truncate()
    disguised.file.write(b"MZ\x90\x00 executable")
    disguised.size = 16
    disguised.file.seek(0)
    with pytest.raises(ServiceError) as refused:
        submit(sender_contact="d@example.vn", address="198.51.100.4", attachments=[disguised])
    assert "chương trình" in refused.value.errors["attachments"][0]
    with pytest.raises(ServiceError) as refused:
        submit(sender_contact="e@example.vn", address="198.51.100.5", title="x" * 301)
    assert "title" in refused.value.errors


def test_export_and_erase_personal_data(cast, submit):
    s = submit()
    data = services.sender_export(contact="hoa@example.vn", actor=cast.office)
    assert data["submissions"][0]["sender_name"] == "Nguyễn Thị Hoa"
    with pytest.raises(PermissionDeniedError):
        services.sender_erase(contact="hoa@example.vn", actor=cast.alice)
    assert services.sender_erase(contact="hoa@example.vn", actor=cast.office) == 1
    s.refresh_from_db()
    assert s.sender_contact == "" and s.sender_name == "(đã xoá)"
    assert not s.history.filter(sender_contact="hoa@example.vn").exists()


def test_focal_point_of_a_unit_answers_for_its_parent_routing(cast, submit):
    unit_fp = make_focal_point("unitfp", cast.xd_unit)
    s = services.submission_route(submission=submit(kind="phan_anh"), agency=cast.xd_unit, actor=cast.office)
    services.submission_answer(submission=s, actor=unit_fp, answer="Đã xử lý.")
