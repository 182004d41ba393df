"""Feedback (phản ánh), recommendations (kiến nghị) and initiatives (sáng kiến, giải pháp) sent by people and
organisations: received, triaged by the Standing Office, routed to an agency, answered and published."""

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from nq57.core import badges
from nq57.core.audit import history_user

#: days an agency has to answer, per kind (``settings.INTAKE_ANSWER_DAYS`` overrides)
DEFAULT_ANSWER_DAYS = {"phan_anh": 15, "kien_nghi": 30, "sang_kien": 45}


class SubmissionKind(models.TextChoices):
    FEEDBACK = "phan_anh", "Phản ánh"
    RECOMMENDATION = "kien_nghi", "Kiến nghị"
    INITIATIVE = "sang_kien", "Sáng kiến, giải pháp"


class SubmissionStatus(models.TextChoices):
    NEW = "new", "Mới gửi, chờ phân loại"
    RECEIVED = "received", "Đã tiếp nhận"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    ANSWERED = "answered", "Đã trả lời"
    TRANSFERRED = "transferred", "Đã chuyển cơ quan khác"
    OUT_OF_SCOPE = "out_of_scope", "Không thuộc thẩm quyền"
    REJECTED = "rejected", "Không tiếp nhận"
    MERGED = "merged", "Đã gộp với nội dung trùng"


#: routed to an agency and waiting for its answer
AWAITING = (SubmissionStatus.RECEIVED, SubmissionStatus.IN_PROGRESS, SubmissionStatus.TRANSFERRED)


#: the states shown on the public pages (for a public submission from a verified sender)
PUBLISHED = (*AWAITING, SubmissionStatus.ANSWERED)


class RejectReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", "Không thuộc phạm vi khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    ABUSIVE = "abusive", "Nội dung không phù hợp, xúc phạm"
    INCOMPLETE = "incomplete", "Thiếu thông tin cần thiết"


class Decision(models.TextChoices):
    ADOPTED = "adopted", "Được áp dụng"
    PILOT = "pilot", "Thí điểm"
    NOT_ADOPTED = "not_adopted", "Chưa được áp dụng"


badges.register("intake_kind", SubmissionKind, {
    SubmissionKind.FEEDBACK: "attention", SubmissionKind.RECOMMENDATION: "info", SubmissionKind.INITIATIVE: "success",
})
badges.register("intake_status", SubmissionStatus, {
    SubmissionStatus.NEW: "warning", SubmissionStatus.RECEIVED: "info", SubmissionStatus.IN_PROGRESS: "info",
    SubmissionStatus.ANSWERED: "success", SubmissionStatus.TRANSFERRED: "attention",
    SubmissionStatus.OUT_OF_SCOPE: "muted", SubmissionStatus.REJECTED: "danger", SubmissionStatus.MERGED: "muted",
})
badges.register("intake_decision", Decision, {
    Decision.ADOPTED: "success", Decision.PILOT: "info", Decision.NOT_ADOPTED: "muted",
})


def answer_days(kind: str) -> int:
    return int({**DEFAULT_ANSWER_DAYS, **getattr(settings, "INTAKE_ANSWER_DAYS", {})}[kind])


def new_tracking_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "PA-" + "".join(secrets.choice(alphabet) for _ in range(8))


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class SubmissionQuerySet(models.QuerySet):
    def published(self):
        """What the public pages show: accepted by the office (routed, answered), public, not hidden, from a verified
        sender."""
        return self.filter(status__in=PUBLISHED, is_public=True, hidden=False, contact_verified=True)

    def visible_to(self, user):
        from nq57.core.access import submissions_visible_to

        return submissions_visible_to(user, self)


class Submission(models.Model):
    kind = models.CharField("loại", max_length=20, choices=SubmissionKind.choices)
    theme = models.ForeignKey("taxonomy.Theme", verbose_name="chủ đề", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    technology = models.ForeignKey("taxonomy.TechnologyField", verbose_name="lĩnh vực công nghệ chiến lược",
                                   null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField("tiêu đề", max_length=300)
    content = models.TextField("nội dung")
    legal_reference = models.CharField("văn bản, thủ tục liên quan", max_length=500, blank=True)
    is_public = models.BooleanField("đồng ý công khai", default=True)
    # the sender: never shown publicly
    sender_name = models.CharField("họ và tên", max_length=200)
    sender_contact = models.CharField("thư điện tử hoặc điện thoại", max_length=200)
    sender_organisation = models.CharField("tổ chức", max_length=300, blank=True)
    sender_key = models.CharField(max_length=200, blank=True, db_index=True)  # folded contact: rate limit, export
    sender_address = models.CharField(max_length=64, blank=True, db_index=True)  # hashed client address
    contact_verified = models.BooleanField("đã xác minh liên hệ", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="intake_submissions")
    organisation = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="intake_sent")
    tracking_code = models.CharField("mã theo dõi", max_length=20, unique=True, default=new_tracking_code)
    secret = models.CharField(max_length=64, default=new_secret)
    status = models.CharField("tình trạng", max_length=20, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.NEW, db_index=True)
    routed_agency = models.ForeignKey("agencies.Agency", verbose_name="cơ quan trả lời", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="intake_routed")
    routed_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField("hạn trả lời", null=True, blank=True)
    answer = models.TextField("trả lời", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_in_time = models.BooleanField("trả lời đúng hạn", null=True, blank=True)  # set with the answer
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    decision = models.CharField("kết quả đánh giá", max_length=20, choices=Decision.choices, blank=True)
    score_novelty = models.PositiveSmallIntegerField("tính mới", null=True, blank=True)
    score_feasibility = models.PositiveSmallIntegerField("tính khả thi", null=True, blank=True)
    score_impact = models.PositiveSmallIntegerField("hiệu quả, tác động", null=True, blank=True)
    score_resources = models.PositiveSmallIntegerField("khả năng huy động nguồn lực", null=True, blank=True)
    decision_reasons = models.TextField("lý do", blank=True)
    reject_reason = models.CharField("lý do không tiếp nhận", max_length=20, choices=RejectReason.choices, blank=True)
    office_note = models.TextField("ghi chú gửi người gửi", blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="intake_origins")
    hidden = models.BooleanField("đã ẩn", default=False)
    hidden_reason = models.CharField("lý do ẩn", max_length=500, blank=True)
    support_count = models.PositiveIntegerField("lượt ủng hộ", default=0)
    # likely duplicates found when it was sent: [{"id": submission id, "score": 0..1}], best first
    duplicates = models.JSONField("có thể trùng", default=list, blank=True)
    created_at = models.DateTimeField("ngày gửi", db_index=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["secret"])

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "phản ánh, kiến nghị, sáng kiến"
        verbose_name_plural = "phản ánh, kiến nghị, sáng kiến"
        indexes = [
            models.Index(fields=["status", "created_at"], name="intake_status_created"),
            models.Index(fields=["routed_agency", "status"], name="intake_agency_status"),
            # the public list's filter, so counting the published rows reads this index only
            models.Index(fields=["is_public", "hidden", "contact_verified", "status", "kind"], name="intake_published"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} — {self.title}"

    @property
    def is_initiative(self) -> bool:
        return self.kind == SubmissionKind.INITIATIVE

    @property
    def sender_email(self) -> str:
        contact = (self.sender_contact or "").strip()
        return contact if "@" in contact else ""

    @property
    def answered_on_time(self) -> bool | None:
        if not self.answered_at or not self.answer_due:
            return None
        from django.utils import timezone

        return timezone.localdate(self.answered_at) <= self.answer_due


def attachment_path(instance, filename):
    return f"intake/{instance.submission.tracking_code}/{filename}"


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=500)
    original_name = models.CharField(max_length=300)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.original_name


class Support(models.Model):
    """One support per signed-in person or per contact. A support given by contact counts only once that contact
    confirmed it (the signed link mailed to it); a signed-in person's counts at once."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    contact_key = models.CharField(max_length=200, blank=True)
    confirmed = models.BooleanField("đã xác nhận", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], condition=models.Q(user__isnull=False),
                                    name="intake_support_one_per_user"),
            models.UniqueConstraint(fields=["submission", "contact_key"], condition=~models.Q(contact_key=""),
                                    name="intake_support_one_per_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.user_id or self.contact_key}"
