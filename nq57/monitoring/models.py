from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", "Nhắc hạn"
    OVERDUE = "overdue", "Quá hạn"
    DIGEST = "digest", "Tổng hợp hằng tuần"
    ESCALATION = "escalation", "Danh sách chậm muộn"


class Notification(models.Model):
    """An in-app message for one user (reminders, overdue notices, weekly digests, the escalation list)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận"
    )
    kind = models.CharField("loại", max_length=20, choices=NotificationKind.choices)
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="nhiệm vụ"
    )
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    created_at = models.DateTimeField("thời điểm", db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo trong hệ thống"
        verbose_name_plural = "thông báo trong hệ thống"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the unread count in the navigation bar and the notification page
            models.Index(fields=["recipient", "read_at"], name="monitoring_notif_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DispatchKind(models.TextChoices):
    OVERDUE_EVENT = "overdue_event", "Sự kiện quá hạn"
    REMINDER = "reminder", "Nhắc hạn"
    OVERDUE = "overdue", "Thông báo quá hạn"
    DIGEST = "digest", "Tổng hợp hằng tuần"
    ESCALATION = "escalation", "Danh sách chậm muộn"


class Dispatch(models.Model):
    """The claim for one message: inserted BEFORE sending, so a second scan or worker can never send it again.

    The unique constraints are the lock (Healthchecks-style claim): whoever inserts the row sends; anyone else gets an
    IntegrityError and skips. ``due_on`` is the due date a reminder/overdue notice is about, or the period (the
    Monday) of a digest; ``step`` tells the 7/3/1-day reminders apart.
    """

    kind = models.CharField(max_length=20, choices=DispatchKind.choices)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    step = models.SmallIntegerField(default=0)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "lượt gửi"
        verbose_name_plural = "lượt gửi"
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "recipient", "kind", "due_on", "step"],
                condition=Q(task__isnull=False, recipient__isnull=False),
                name="monitoring_dispatch_unique_task_recipient",
            ),
            models.UniqueConstraint(
                fields=["task", "kind", "due_on"],
                condition=Q(task__isnull=False, recipient__isnull=True),
                name="monitoring_dispatch_unique_task_event",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "due_on"],
                condition=Q(task__isnull=True, recipient__isnull=False),
                name="monitoring_dispatch_unique_recipient_period",
            ),
        ]
        indexes = [
            # daily scan: "which tasks already had their overdue event for this due date"
            models.Index(fields=["kind", "due_on"], name="monitoring_dispatch_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%d/%m/%Y}"


class ReportSnapshot(models.Model):
    """The per-task status and timing at the date of an issued consolidated report, to say what changed by the next
    report of the same scope. ``scope`` is a stable key of the report's filters (notice, agency, theme, period); the
    states are rows of ``ReportSnapshotEntry`` so the comparison runs in the database."""

    scope = models.CharField(max_length=200)
    as_of = models.DateField()
    task_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ảnh chụp báo cáo tổng hợp"
        verbose_name_plural = "ảnh chụp báo cáo tổng hợp"
        ordering = ["-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "as_of"], name="monitoring_snapshot_unique_scope_date"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} @ {self.as_of:%d/%m/%Y}"

    @property
    def states(self) -> dict[str, list[str]]:
        return {str(task_id): [status, timing]
                for task_id, status, timing in self.entries.values_list("task_id", "status", "timing")}


class ReportSnapshotEntry(models.Model):
    """One task's status and timing in a snapshot (no foreign key: a task deleted since still shows as removed)."""

    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.CASCADE, related_name="entries")
    task_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    timing = models.CharField(max_length=20)

    class Meta:
        verbose_name = "trạng thái nhiệm vụ trong ảnh chụp"
        verbose_name_plural = "trạng thái nhiệm vụ trong ảnh chụp"
        constraints = [
            # the comparison looks up each task's previous state by (snapshot, task)
            models.UniqueConstraint(fields=["snapshot", "task_id"], name="monitoring_snapshot_entry_unique_task"),
        ]

    def __str__(self) -> str:
        return f"#{self.task_id}: {self.status}/{self.timing}"
