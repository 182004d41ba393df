"""Every write to the intake: submit, verify, classify, merge, reject, route, answer, transfer, publish, support,
moderate, turn into a task, and the senders' personal data. Each checks access (``core.access``), saves, keeps the
search index in step and tells the people concerned."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nq57.accounts.selectors import office_staff, people_of
from nq57.core import access
from nq57.core.audit import acting
from nq57.core.errors import ConflictError, ServiceError
from nq57.core.events import publish
from nq57.core.uploads import check_upload
from nq57.intake import events as kinds
from nq57.intake.models import (
    AWAITING,
    Decision,
    RejectReason,
    Submission,
    SubmissionAttachment,
    SubmissionKind,
    SubmissionStatus,
    Support,
    answer_days,
)
from nq57.monitoring.notifications import absolute_url, claim, notify, remind_before, send_claimed
from nq57.monitoring.roles import FOCAL_POINT
from nq57.search import selectors as search_selectors
from nq57.search import services as search_index
from nq57.text.vietnamese import canon, fold

KIND = "intake.submission"  # the search index's kind
LIMITS = {"title": 300, "content": 20000, "legal_reference": 500, "sender_name": 200, "sender_contact": 200,
          "sender_organisation": 300, "answer": 20000, "reason": 2000}
MAX_ATTACHMENTS = 5
DUPLICATE_SCORE = 0.35  # similarity from which an earlier submission is a likely duplicate (bench/intake_duplicates.py)
VERIFY_SALT = "intake.verify-contact"
SUPPORT_SALT = "intake.confirm-support"


class RateLimited(ServiceError):
    code = "rate_limited"
    status = 429


def _setting(name: str, default):
    return getattr(settings, name, default)


def contact_key(contact: str) -> str:
    """The folded contact (e-mail lower case; phone digits only): one sender however they type it."""
    contact = (contact or "").strip()
    if "@" in contact:
        return contact.lower()
    digits = "".join(ch for ch in contact if ch.isdigit())
    if digits.startswith("84"):
        digits = "0" + digits[2:]
    return digits or fold(contact)


def address_key(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32] if address else ""


def _clean(value: str, field: str, *, required: bool = False, label: str = "") -> str:
    value = canon((value or "").strip())
    if required and not value:
        raise ServiceError(f"Hãy nhập {label}.", field=field)
    limit = LIMITS.get(field)
    if limit and len(value) > limit:
        raise ServiceError(f"{label[:1].upper() + label[1:]} dài {len(value)} ký tự, vượt quá {limit} ký tự.",
                           field=field)
    return value


def _index(submission: Submission) -> None:
    search_index.entry_index(
        kind=KIND, object_id=submission.pk, title=submission.title,
        text=f"{submission.content}\n{submission.legal_reference}",
        is_public=Submission.objects.published().filter(pk=submission.pk).exists(),
        organisation_id=submission.routed_agency_id,
    )


def follow_path(submission: Submission) -> str:
    return reverse("intake:follow", args=[submission.tracking_code, submission.secret])


def _tell_sender(submission: Submission, *, subject: str, body: str) -> None:
    """Tell the sender what happened: in-app (and by mail) when they have an account, by mail to their address
    otherwise (after commit). A sender with only a phone number reads it on the follow page."""
    context = {"subject": subject, "body": body, "submission": submission, "recipient_name": submission.sender_name}
    if submission.user_id and submission.user.is_active:
        notify(recipient=submission.user, kind=kinds.STATUS, template="intake/emails/message", context=context,
               target=submission, url=follow_path(submission))
        return
    address = submission.sender_email
    if not address:
        return
    context = {**context, "url": absolute_url(follow_path(submission))}
    text = render_to_string("intake/emails/message-body.txt", context)
    html = render_to_string("intake/emails/message-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    message.attach_alternative(html, "text/html")
    transaction.on_commit(lambda: message.send(fail_silently=True))


def _tell_people(users, submission: Submission, *, kind: str, subject: str, body: str, path: str) -> None:
    for user in users:
        notify(recipient=user, kind=kind, template="intake/emails/message",
               context={"subject": subject, "body": body, "submission": submission,
                        "recipient_name": user.full_name}, target=submission, url=path)


def focal_points_of(submission: Submission):
    if not submission.routed_agency_id:
        return []
    return list(people_of([submission.routed_agency_id], roles=[FOCAL_POINT]))


# --- submit ------------------------------------------------------------------------------------------------------

@transaction.atomic
def submission_submit(*, kind: str, title: str, content: str, sender_name: str = "", sender_contact: str = "",
                      sender_organisation: str = "", theme=None, technology=None, legal_reference: str = "",
                      is_public: bool = True, attachments: Sequence = (), user=None, organisation=None,
                      address: str = "", honeypot: str = "", now: dt.datetime | None = None) -> Submission:
    """A new submission from anyone. Refuses a filled honeypot, too many submissions from one address or one
    contact, and attachments that fail the platform's upload checks."""
    now = now or timezone.now()
    if honeypot:
        raise ServiceError("Không gửi được nội dung này. Hãy thử lại.")
    if kind not in SubmissionKind.values:
        raise ServiceError("Hãy chọn loại: phản ánh, kiến nghị hoặc sáng kiến, giải pháp.", field="kind")
    user = user if getattr(user, "is_authenticated", False) else None
    if user is not None:
        sender_name = sender_name or user.full_name or user.get_username()
        sender_contact = sender_contact or user.email
    errors: dict[str, list[str]] = {}
    values = {}
    for field, label, required in (("title", "tiêu đề", True), ("content", "nội dung", True),
                                   ("legal_reference", "văn bản, thủ tục liên quan", False),
                                   ("sender_name", "họ và tên", True),
                                   ("sender_contact", "thư điện tử hoặc số điện thoại", True),
                                   ("sender_organisation", "tên tổ chức", False)):
        try:
            values[field] = _clean(locals()[field], field, required=required, label=label)
        except ServiceError as exc:
            errors.setdefault(field, []).append(exc.message)
    contact = values.get("sender_contact", "")
    if contact and "@" not in contact and len("".join(c for c in contact if c.isdigit())) < 9:
        errors.setdefault("sender_contact", []).append(
            "Hãy nhập địa chỉ thư điện tử hoặc số điện thoại (ít nhất 9 chữ số) để được liên hệ.")
    if len(attachments) > MAX_ATTACHMENTS:
        errors.setdefault("attachments", []).append(f"Chỉ được đính kèm tối đa {MAX_ATTACHMENTS} tệp.")
    for uploaded in attachments:
        try:
            check_upload(uploaded)
        except ServiceError as exc:
            errors.setdefault("attachments", []).append(exc.message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first, errors=errors)
    key = contact_key(contact)
    where = address_key(address)
    hour_ago, day_ago = now - dt.timedelta(hours=1), now - dt.timedelta(days=1)
    if where and Submission.objects.filter(sender_address=where, created_at__gte=hour_ago).count() >= _setting(
            "INTAKE_MAX_PER_ADDRESS_HOUR", 5):
        raise RateLimited("Bạn đã gửi nhiều nội dung trong một giờ qua. Hãy thử lại sau.")
    if Submission.objects.filter(sender_key=key, created_at__gte=day_ago).count() >= _setting(
            "INTAKE_MAX_PER_CONTACT_DAY", 5):
        raise RateLimited("Địa chỉ liên hệ này đã gửi nhiều nội dung trong một ngày. Hãy thử lại vào ngày mai.")
    submission = Submission.objects.create(
        kind=kind, theme=theme, technology=technology, is_public=bool(is_public), user=user,
        organisation=organisation, sender_key=key, sender_address=where, created_at=now,
        contact_verified=user is not None,  # an account's address was verified when it signed up
        **values,
    )
    for uploaded in attachments:
        name = (getattr(uploaded, "name", "") or "tep")[-300:]
        attachment = SubmissionAttachment(submission=submission, original_name=name, size=uploaded.size or 0)
        attachment.file.save(name, uploaded, save=False)
        attachment.save()
    hits = search_selectors.similar(KIND, f"{submission.title}\n{submission.content}", limit=3,
                                    exclude_ids=[submission.pk], min_score=DUPLICATE_SCORE, passages=False)
    if hits:
        submission.duplicates = [{"id": h.object_id, "score": h.score} for h in hits]
        submission.save(update_fields=["duplicates"])
    _index(submission)
    publish("intake.submitted", submission_id=submission.pk, tracking_code=submission.tracking_code,
            kind=submission.kind, title=submission.title)
    path = reverse("intake:detail", args=[submission.pk])
    _tell_people(office_staff(), submission, kind=kinds.NEW, subject=f"Có {submission.get_kind_display().lower()} "
                 f"mới: {submission.title}", body="Một nội dung mới chờ phân loại.", path=path)
    body = (f"Hệ thống đã nhận {submission.get_kind_display().lower()} của Quý vị. Mã theo dõi: "
            f"{submission.tracking_code}.")
    if not submission.contact_verified and submission.sender_email:
        token = signing.dumps({"id": submission.pk, "c": key}, salt=VERIFY_SALT)
        link = absolute_url(reverse("intake:verify", args=[token]))
        body += f"\nHãy xác nhận địa chỉ thư điện tử (cần trước khi nội dung được công khai): {link}"
    _tell_sender(submission, subject=f"Đã nhận nội dung {submission.tracking_code}", body=body)
    return submission


@transaction.atomic
def contact_verify(*, token: str) -> Submission:
    """The sender opened the link mailed to them: their address is confirmed (for every submission they sent
    from it)."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=_setting("INTAKE_VERIFY_DAYS", 14) * 86400)
    except signing.BadSignature as exc:
        raise ServiceError("Liên kết xác nhận không hợp lệ hoặc đã hết hạn.") from exc
    submission = Submission.objects.filter(pk=data.get("id"), sender_key=data.get("c")).first()
    if submission is None:
        raise ServiceError("Liên kết xác nhận không hợp lệ hoặc đã hết hạn.")
    for item in Submission.objects.filter(sender_key=submission.sender_key, contact_verified=False):
        item.contact_verified = True
        item.save(update_fields=["contact_verified"])
        _index(item)
    submission.refresh_from_db()
    return submission


# --- the office ----------------------------------------------------------------------------------------------------

def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _require_status(submission: Submission, allowed, message: str) -> None:
    if submission.status not in allowed:
        raise ConflictError(message)


TRIAGE_ONLY = "Chỉ Cơ quan Thường trực được phân loại, chuyển, gộp hoặc từ chối phản ánh, kiến nghị."


@acting
@transaction.atomic
def submission_classify(*, submission: Submission, actor, kind: str | None = None, theme=None,
                        technology=None) -> Submission:
    access.require(access.can_triage(actor), TRIAGE_ONLY)
    submission = _locked(submission)
    if kind is not None:
        if kind not in SubmissionKind.values:
            raise ServiceError("Loại không hợp lệ.", field="kind")
        submission.kind = kind
    submission.theme, submission.technology = theme, technology
    submission.save()
    return submission


@acting
@transaction.atomic
def submission_reject(*, submission: Submission, actor, reason: str, note: str = "") -> Submission:
    access.require(access.can_triage(actor), TRIAGE_ONLY)
    submission = _locked(submission)
    _require_status(submission, (SubmissionStatus.NEW,), "Chỉ từ chối được nội dung chưa chuyển cơ quan.")
    if reason not in RejectReason.values:
        raise ServiceError("Hãy chọn lý do không tiếp nhận.", field="reason")
    note = _clean(note, "reason", required=reason == RejectReason.INCOMPLETE, label="điều người gửi cần bổ sung")
    submission.status, submission.reject_reason, submission.office_note = SubmissionStatus.REJECTED, reason, note
    submission.save()
    _index(submission)
    _tell_sender(submission, subject=f"Nội dung {submission.tracking_code} chưa được tiếp nhận",
                 body=f"Lý do: {RejectReason(reason).label}." + (f"\n{note}" if note else ""))
    return submission


@acting
@transaction.atomic
def submission_merge(*, submission: Submission, into: Submission, actor) -> Submission:
    """``submission`` duplicates ``into``: it is closed, its supports move over, its sender is told where to
    follow."""
    access.require(access.can_triage(actor), TRIAGE_ONLY)
    if into.pk == submission.pk:
        raise ServiceError("Không thể gộp một nội dung với chính nó.", field="into")
    submission = _locked(submission)
    into = _locked(into)
    _require_status(submission, (SubmissionStatus.NEW,), "Chỉ gộp được nội dung chưa chuyển cơ quan.")
    if into.status in (SubmissionStatus.MERGED, SubmissionStatus.REJECTED):
        raise ServiceError("Không thể gộp vào nội dung đã gộp hoặc không được tiếp nhận.", field="into")
    submission.status, submission.merged_into = SubmissionStatus.MERGED, into
    submission.save()
    moved = 0
    for support in Support.objects.filter(submission=submission):
        duplicate = Support.objects.filter(submission=into).filter(
            user_id=support.user_id) if support.user_id else Support.objects.filter(
            submission=into, contact_key=support.contact_key)
        if not duplicate.exists():
            support.submission = into
            support.save(update_fields=["submission"])
            moved += support.confirmed
    Submission.objects.filter(pk=into.pk).update(support_count=F("support_count") + moved + 1)
    Submission.objects.filter(pk=submission.pk).update(support_count=0)
    _index(submission)
    _tell_sender(submission, subject=f"Nội dung {submission.tracking_code} được gộp",
                 body=f"Nội dung của Quý vị trùng với nội dung {into.tracking_code} và được xử lý cùng nội dung đó.")
    return submission


@acting
@transaction.atomic
def submission_route(*, submission: Submission, agency, actor, due: dt.date | None = None) -> Submission:
    """Send to the agency that must answer, with the answer deadline of its kind (or ``due``)."""
    access.require(access.can_triage(actor), TRIAGE_ONLY)
    submission = _locked(submission)
    _require_status(submission, (SubmissionStatus.NEW, SubmissionStatus.OUT_OF_SCOPE),
                    "Nội dung này đã được chuyển hoặc đã đóng.")
    if agency is None or getattr(agency, "dissolved_on", None):
        raise ServiceError("Hãy chọn cơ quan còn hoạt động.", field="agency")
    today = timezone.localdate()
    due = due or today + dt.timedelta(days=answer_days(submission.kind))
    if due < today:
        raise ServiceError("Hạn trả lời không được trước hôm nay.", field="due")
    submission.status, submission.routed_agency = SubmissionStatus.RECEIVED, agency
    submission.routed_at = timezone.now()
    submission.answer_due = due
    submission.save()
    _index(submission)
    _tell_people(focal_points_of(submission), submission, kind=kinds.ROUTED,
                 subject=f"Phản ánh, kiến nghị cần trả lời trước {due:%d/%m/%Y}: {submission.title}",
                 body=f"Cơ quan Thường trực chuyển đến {agency} để trả lời.",
                 path=reverse("intake:detail", args=[submission.pk]))
    _tell_sender(submission, subject=f"Nội dung {submission.tracking_code} đã được tiếp nhận",
                 body=f"Nội dung đã được chuyển đến {agency}, hạn trả lời {due:%d/%m/%Y}.")
    return submission


@acting
@transaction.atomic
def submission_hide(*, submission: Submission, actor, reason: str, hidden: bool = True) -> Submission:
    """Moderation: hide a published submission from the public pages (the reason stays in the audit)."""
    access.require(access.can_triage(actor), "Chỉ Cơ quan Thường trực được ẩn nội dung.")
    submission = _locked(submission)
    reason = _clean(reason, "reason", required=hidden, label="lý do ẩn")
    submission.hidden, submission.hidden_reason = hidden, reason
    submission.save()
    _index(submission)
    return submission


# --- the agency ----------------------------------------------------------------------------------------------------

ANSWER_ONLY = "Chỉ cán bộ đầu mối của cơ quan được chuyển nội dung này hoặc Cơ quan Thường trực được trả lời."


@acting
@transaction.atomic
def submission_start(*, submission: Submission, actor) -> Submission:
    submission = _locked(submission)
    access.require(access.can_answer(actor, submission), ANSWER_ONLY)
    submission.status = SubmissionStatus.IN_PROGRESS
    submission.save()
    _tell_sender(submission, subject=f"Nội dung {submission.tracking_code} đang được xử lý",
                 body=f"{submission.routed_agency} đang xử lý nội dung của Quý vị.")
    return submission


@acting
@transaction.atomic
def submission_transfer(*, submission: Submission, agency, actor, note: str = "") -> Submission:
    """The routed agency (or the office) hands the submission to another agency; the deadline stays."""
    submission = _locked(submission)
    access.require(access.can_answer(actor, submission), ANSWER_ONLY)
    if agency is None or agency.pk == submission.routed_agency_id:
        raise ServiceError("Hãy chọn một cơ quan khác.", field="agency")
    note = _clean(note, "reason", label="ghi chú")
    previous = submission.routed_agency
    submission.status, submission.routed_agency, submission.routed_at = (SubmissionStatus.TRANSFERRED, agency,
                                                                         timezone.now())
    submission.office_note = note or submission.office_note
    submission.save()
    _index(submission)
    _tell_people(focal_points_of(submission), submission, kind=kinds.ROUTED,
                 subject=f"{previous} chuyển phản ánh, kiến nghị: {submission.title}",
                 body=f"Hạn trả lời {submission.answer_due:%d/%m/%Y}." + (f"\n{note}" if note else ""),
                 path=reverse("intake:detail", args=[submission.pk]))
    _tell_sender(submission, subject=f"Nội dung {submission.tracking_code} đã chuyển cơ quan khác",
                 body=f"{previous} đã chuyển nội dung đến {agency}.")
    return submission


SCORES = ("score_novelty", "score_feasibility", "score_impact", "score_resources")


@acting
@transaction.atomic
def submission_answer(*, submission: Submission, actor, answer: str, out_of_scope: bool = False,
                      decision: str = "", scores: dict | None = None, reasons: str = "") -> Submission:
    """The agency's reply. For an initiative, the assessment too: adopted / to pilot / not adopted, the reasons
    and the four criteria (1-5). ``out_of_scope``: the agency is not competent (the office re-routes)."""
    submission = _locked(submission)
    access.require(access.can_answer(actor, submission), ANSWER_ONLY)
    errors: dict[str, list[str]] = {}
    try:
        answer = _clean(answer, "answer", required=True, label="nội dung trả lời")
    except ServiceError as exc:
        errors["answer"] = [exc.message]
    scores = scores or {}
    if submission.is_initiative and not out_of_scope:
        if decision not in Decision.values:
            errors.setdefault("decision", []).append("Hãy chọn kết quả đánh giá sáng kiến.")
        for name in SCORES:
            value = scores.get(name)
            if value in (None, ""):
                errors.setdefault(name, []).append("Hãy chấm điểm tiêu chí này (1–5).")
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= 5:
                errors.setdefault(name, []).append("Điểm tiêu chí từ 1 đến 5.")
            scores[name] = value
        try:
            reasons = _clean(reasons, "reason", required=True, label="lý do đánh giá")
        except ServiceError as exc:
            errors.setdefault("reasons", []).append(exc.message)
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    submission.answer, submission.answered_at, submission.answered_by = answer, timezone.now(), actor
    submission.answered_in_time = submission.answered_on_time
    if out_of_scope:
        submission.status = SubmissionStatus.OUT_OF_SCOPE
    else:
        submission.status = SubmissionStatus.ANSWERED
        if submission.is_initiative:
            submission.decision, submission.decision_reasons = decision, reasons
            for name in SCORES:
                setattr(submission, name, scores[name])
    submission.save()
    _index(submission)
    if not out_of_scope:
        publish("intake.answered", submission_id=submission.pk, tracking_code=submission.tracking_code,
                agency_id=submission.routed_agency_id, on_time=submission.answered_on_time)
    else:
        _tell_people(office_staff(), submission, kind=kinds.NEW,
                     subject=f"{submission.routed_agency} báo không thuộc thẩm quyền: {submission.title}",
                     body=answer, path=reverse("intake:detail", args=[submission.pk]))
    _tell_sender(submission, subject=f"Nội dung {submission.tracking_code} đã có trả lời",
                 body=f"{submission.routed_agency} trả lời:\n{answer}")
    return submission


@acting
@transaction.atomic
def submission_make_task(*, submission: Submission, notice, actor, text: str = "") -> Submission:
    """Turn the submission into a monitoring task led by the routed agency, linked both ways."""
    from nq57.tasks.services import task_create

    access.require(access.can_triage(actor), "Chỉ Cơ quan Thường trực được giao nhiệm vụ từ phản ánh, kiến nghị.")
    submission = _locked(submission)
    if submission.task_id:
        raise ConflictError("Nội dung này đã được giao thành nhiệm vụ.")
    if not submission.routed_agency_id:
        raise ServiceError("Hãy chuyển nội dung đến cơ quan chủ trì trước khi giao nhiệm vụ.", field="notice")
    task = task_create(notice=notice, text=text or f"{submission.title} (từ {submission.tracking_code})",
                       lead=[submission.routed_agency], actor=actor)
    submission.task = task
    submission.save()
    return submission


# --- the public ----------------------------------------------------------------------------------------------------

@transaction.atomic
def support_add(*, submission: Submission, user=None, contact: str = "") -> Support:
    """One support per signed-in person (counted at once), or per e-mail address: that support stays pending, and
    is not counted, until the address confirms it through the signed, expiring link mailed to it."""
    if not Submission.objects.published().filter(pk=submission.pk).exists():
        raise ServiceError("Chỉ ủng hộ được nội dung đã công khai.")
    if getattr(user, "is_authenticated", False):
        if Support.objects.filter(submission=submission, user=user).exists():
            raise ConflictError("Bạn đã ủng hộ nội dung này.")
        support = Support.objects.create(submission=submission, user=user)
        Submission.objects.filter(pk=submission.pk).update(support_count=F("support_count") + 1)
        return support
    address = (contact or "").strip()
    key = contact_key(address)
    if not key or "@" not in address:
        raise ServiceError("Hãy đăng nhập hoặc nhập địa chỉ thư điện tử để nhận liên kết xác nhận ủng hộ.",
                           field="contact")
    support = Support.objects.filter(submission=submission, contact_key=key).first()
    if support is not None and support.confirmed:
        raise ConflictError("Địa chỉ này đã ủng hộ nội dung này.")
    if support is None:
        support = Support.objects.create(submission=submission, contact_key=key, confirmed=False)
    elif support.created_at > timezone.now() - dt.timedelta(hours=1):  # at most one link an hour to an address
        raise ConflictError("Liên kết xác nhận đã được gửi tới địa chỉ này; hãy mở thư (kể cả thư mục thư rác) và "
                            "bấm nút xác nhận.", field="contact")
    else:
        Support.objects.filter(pk=support.pk).update(created_at=timezone.now())
    token = signing.dumps({"s": support.pk, "c": key}, salt=SUPPORT_SALT)
    link = absolute_url(reverse("intake:support_confirm", args=[token]))
    context = {"subject": f"Xác nhận ủng hộ nội dung {submission.tracking_code}", "submission": submission,
               "recipient_name": "", "url": link,
               "body": ("Có người dùng địa chỉ thư điện tử này để ủng hộ nội dung dưới đây. Nếu đúng là Quý vị, hãy "
                        "mở liên kết sau và bấm nút xác nhận; nếu không, hãy bỏ qua thư này.")}
    message = EmailMultiAlternatives(context["subject"], render_to_string("intake/emails/message-body.txt", context),
                                     settings.DEFAULT_FROM_EMAIL, [address])
    message.attach_alternative(render_to_string("intake/emails/message-body.html", context), "text/html")
    transaction.on_commit(lambda: message.send(fail_silently=True))
    return support


@transaction.atomic
def support_confirm(*, token: str) -> Support:
    """The address opened the link mailed to it and pressed the button: its pending support counts (once)."""
    try:
        data = signing.loads(token, salt=SUPPORT_SALT, max_age=_setting("INTAKE_VERIFY_DAYS", 14) * 86400)
    except signing.BadSignature as exc:
        raise ServiceError("Liên kết xác nhận không hợp lệ hoặc đã hết hạn.") from exc
    support = Support.objects.select_for_update().filter(
        pk=data.get("s"), contact_key=data.get("c") or "-").first()
    if support is None:
        raise ServiceError("Liên kết xác nhận không hợp lệ hoặc đã hết hạn.")
    if not support.confirmed:
        support.confirmed = True
        support.save(update_fields=["confirmed"])
        Submission.objects.filter(pk=support.submission_id).update(support_count=F("support_count") + 1)
    return support


# --- personal data -------------------------------------------------------------------------------------------------

PERSONAL_FIELDS = ("sender_name", "sender_contact", "sender_organisation")


def sender_export(*, contact: str, actor) -> dict:
    """Everything the intake holds about one sender (by contact), for a request to see one's data."""
    access.require(access.can_triage(actor), "Chỉ Cơ quan Thường trực được xuất dữ liệu cá nhân.")
    key = contact_key(contact)
    items = Submission.objects.filter(sender_key=key).order_by("created_at")
    return {"contact": contact, "submissions": [
        {"tracking_code": s.tracking_code, "created_at": s.created_at.isoformat(), "kind": s.kind, "title": s.title,
         "content": s.content, "status": s.status, **{f: getattr(s, f) for f in PERSONAL_FIELDS}}
        for s in items
    ]}


@acting
@transaction.atomic
def sender_erase(*, contact: str, actor) -> int:
    """Erase one sender's personal data (name, contact, organisation, address) from their submissions and from the
    audit history; the submissions themselves stay (anonymised)."""
    access.require(access.can_triage(actor), "Chỉ Cơ quan Thường trực được xoá dữ liệu cá nhân.")
    key = contact_key(contact)
    if not key:
        raise ServiceError("Hãy nhập địa chỉ liên hệ cần xoá.", field="contact")
    ids = list(Submission.objects.filter(sender_key=key).values_list("pk", flat=True))
    blank = {"sender_name": "(đã xoá)", "sender_contact": "", "sender_organisation": "", "sender_key": "",
             "sender_address": ""}
    Submission.objects.filter(pk__in=ids).update(**blank)
    Submission.history.filter(id__in=ids).update(**blank)
    Support.objects.filter(contact_key=key).update(contact_key=f"erased-{key[:0]}")
    return len(ids)


# --- deadlines -----------------------------------------------------------------------------------------------------

def answer_deadlines_watch(*, today: dt.date | None = None) -> dict:
    """The periodic job: remind the routed agency's focal points before the answer is due (``remind_before``), and
    escalate each overdue submission to the office once."""
    today = today or timezone.localdate()
    waiting = list(Submission.objects.filter(status__in=AWAITING, answer_due__isnull=False)
                   .select_related("routed_agency"))
    reminded = remind_before(
        kind=kinds.DUE, objects=[s for s in waiting if s.answer_due >= today], due_on=lambda s: s.answer_due,
        recipients=focal_points_of, template="intake/emails/message", today=today,
        context=lambda s, due, left: {"subject": f"Còn {left} ngày để trả lời: {s.title}",
                                      "body": f"Hạn trả lời {due:%d/%m/%Y}.", "submission": s},
        url=lambda s: reverse("intake:detail", args=[s.pk]),
    )
    escalated = 0
    staff = list(office_staff())
    for submission in (s for s in waiting if s.answer_due < today):
        for person in staff:
            dispatch = claim(kind=kinds.OVERDUE, due_on=submission.answer_due, target=submission, recipient=person)
            if dispatch is None:
                continue
            if send_claimed(dispatch, lambda p=person, s=submission, d=dispatch: notify(
                    recipient=p, kind=kinds.OVERDUE, template="intake/emails/message", dispatch=d, target=s,
                    context={"subject": f"Quá hạn trả lời: {s.title}", "submission": s,
                             "body": f"{s.routed_agency} chưa trả lời, hạn {s.answer_due:%d/%m/%Y}."},
                    url=reverse("intake:detail", args=[s.pk]))):
                escalated += 1
    return {"reminded": len(reminded), "escalated": escalated}
