from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from nq57.core import badges
from nq57.core.audit import history_user
from nq57.tasks.models import TaskStatus


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", "Chờ đánh giá"
    ACCEPTED = "accepted", "Đã chấp nhận"
    NEEDS_MORE = "needs_more", "Yêu cầu bổ sung"


badges.register("report_state", ReportState, {
    ReportState.SUBMITTED: "attention", ReportState.ACCEPTED: "success", ReportState.NEEDS_MORE: "warning",
})


class ProgressReport(models.Model):
    """An agency's report on one task for a period: what was done, how far, and the status it claims."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="reports", verbose_name="nhiệm vụ")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="reports", verbose_name="cơ quan"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    text = models.TextField("nội dung báo cáo")
    percent = models.PositiveSmallIntegerField("tiến độ (%)")
    claimed_status = models.CharField("tình trạng đề nghị", max_length=20, choices=TaskStatus.choices)
    state = models.CharField("trạng thái", max_length=20, choices=ReportState.choices, default=ReportState.SUBMITTED)
    submitted_at = models.DateTimeField("thời điểm gửi", db_index=True)
    # read per task id: the other indexes are not copied into the history table
    history = HistoricalRecords(no_db_index=["submitted_at", "agency", "author"], get_user=history_user)

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["task", "submitted_at"], name="reports_task_subm_idx"),
            models.Index(fields=["state", "submitted_at"], name="reports_state_subm_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="reports_report_percent_0_100", condition=Q(percent__lte=100)),
            models.CheckConstraint(name="reports_report_period_order", condition=Q(period_end__gte=F("period_start"))),
        ]

    def __str__(self) -> str:
        return f"Báo cáo {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y} của {self.agency}"


def attachment_path(instance: "ReportAttachment", filename: str) -> str:
    return f"reports/{instance.report.task_id}/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=500)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField("dung lượng (byte)")
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Verdict(models.TextChoices):
    ACCEPT = "accept", "Chấp nhận"
    ASK_FOR_MORE = "ask_for_more", "Yêu cầu bổ sung"


class Assessment(models.Model):
    """The Standing Office's verdict on a progress report; accepting it applies the claimed status."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    verdict = models.CharField("kết luận", max_length=20, choices=Verdict.choices)
    comment = models.TextField("ý kiến", blank=True)
    assessed_at = models.DateTimeField("thời điểm đánh giá")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} — {self.report}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "Chờ quyết định"
    APPROVED = "approved", "Đồng ý gia hạn"
    REJECTED = "rejected", "Không đồng ý"


badges.register("extension_state", ExtensionState, {
    ExtensionState.PENDING: "attention", ExtensionState.APPROVED: "success", ExtensionState.REJECTED: "danger",
})


class ExtensionRequest(models.Model):
    """A lead agency's request to move a task's deadline, and the office's decision."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="extension_requests")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("thời điểm đề xuất")
    current_due = models.DateField("hạn hiện tại", null=True, blank=True)
    requested_due = models.DateField("hạn đề xuất")
    reason = models.TextField("lý do")
    state = models.CharField(
        "trạng thái", max_length=20, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("thời điểm quyết định", null=True, blank=True)
    decision_note = models.TextField("ý kiến quyết định", blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "đề xuất gia hạn"
        verbose_name_plural = "đề xuất gia hạn"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(state="pending"), name="reports_extension_one_pending_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"Gia hạn {self.task} đến {self.requested_due:%d/%m/%Y}"
