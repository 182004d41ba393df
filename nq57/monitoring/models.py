from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user


class Notification(models.Model):
    """An in-app message for one user about any object (``target``: a task, a report, an extension request, a notice
    ...). ``kind`` is one of the kinds the apps registered (``monitoring.notifications.register_kind``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận"
    )
    kind = models.CharField("loại", max_length=50)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                     verbose_name="loại đối tượng")
    object_id = models.PositiveBigIntegerField("mã đối tượng", null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    dispatch = models.OneToOneField("Dispatch", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="notification", editable=False)
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
            models.Index(fields=["content_type", "object_id"], name="monitoring_notif_target_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        from nq57.monitoring.notifications import kind_label

        return kind_label(self.kind)

    @property
    def task_id(self) -> int | None:
        """The task this notification is about, when its target is a task (kept for the API's notification list)."""
        if self.content_type_id and self.content_type_id == _task_content_type_id():
            return self.object_id
        return None


def _task_content_type_id() -> int:
    from nq57.tasks.models import Task

    return ContentType.objects.get_for_model(Task).pk


class Dispatch(models.Model):
    """The claim for one message about any object (``target``), inserted BEFORE sending.

    The unique constraints are the lock (Healthchecks-style claim): whoever inserts the row sends; anyone else gets an
    IntegrityError and skips. A claim that was never confirmed (``sent_at`` null: the worker died between claim and
    send) is taken over after a timeout by ONE worker, through a conditional UPDATE of ``claimed_at``
    (``monitoring.notifications.claim``). ``due_on`` is the due date a reminder/overdue notice is about, or the
    period (the Monday) of a digest; ``step`` tells the 7/3/1-day reminders apart.
    """

    kind = models.CharField(max_length=50)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    step = models.SmallIntegerField(default=0)
    claimed_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "lượt gửi"
        verbose_name_plural = "lượt gửi"
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "recipient", "kind", "due_on", "step"],
                condition=Q(object_id__isnull=False, recipient__isnull=False),
                name="monitoring_dispatch_unique_target_recipient",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_on", "step"],
                condition=Q(object_id__isnull=False, recipient__isnull=True),
                name="monitoring_dispatch_unique_target_event",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "due_on", "step"],
                condition=Q(object_id__isnull=True, recipient__isnull=False),
                name="monitoring_dispatch_unique_recipient_period",
            ),
        ]
        indexes = [
            # daily scan: "which tasks already had their overdue event for this due date"
            models.Index(fields=["kind", "due_on"], name="monitoring_dispatch_kind_idx"),
            models.Index(fields=["content_type", "object_id"], name="monitoring_dispatch_target_idx"),
            # the retry sweep: claims never confirmed as sent
            models.Index(fields=["claimed_at"], condition=Q(sent_at__isnull=True),
                         name="monitoring_dispatch_unsent_idx"),
        ]

    def __str__(self) -> str:
        from nq57.monitoring.notifications import kind_label

        return f"{kind_label(self.kind)} {self.due_on:%d/%m/%Y}"


class NotificationPreference(models.Model):
    """How one person wants to be told: in-app notifications always; e-mail and the weekly digest on or off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name="người dùng")
    email_enabled = models.BooleanField("nhận thư điện tử", default=True)
    weekly_digest = models.BooleanField("nhận bản tổng hợp hằng tuần", default=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "tùy chọn nhận thông báo"
        verbose_name_plural = "tùy chọn nhận thông báo"

    def __str__(self) -> str:
        return f"Tùy chọn thông báo của {self.user}"


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
    """One task's status and timing in a snapshot (no foreign key: a task deleted since still shows as removed).

    Written only by ``services.report_snapshot_save``, 100,000 rows at a time in the transaction that creates the
    snapshot, and deleted with it (Django's cascade, one DELETE): no database-level constraint on ``snapshot`` (its
    per-row check doubled the cost of the INSERT on PostgreSQL) and no index of its own (the unique
    (snapshot, task) index below starts with it)."""

    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.CASCADE, related_name="entries",
                                 db_constraint=False, db_index=False)
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
