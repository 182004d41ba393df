import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from nq57.core.audit import history_user


class DeadlineKind(models.TextChoices):
    DATE = "date", "Ngày cụ thể"
    MONTH = "month", "Trong tháng"
    QUARTER = "quarter", "Trong quý"
    YEAR = "year", "Trong năm"
    RECURRING = "recurring", "Thường xuyên"
    EVENT = "event", "Theo sự kiện"
    ROADMAP = "roadmap", "Theo lộ trình"
    NONE = "none", "Không nêu thời hạn"


class ReportCadence(models.TextChoices):
    WEEKLY = "weekly", "Hằng tuần"
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    SEMIANNUAL = "semiannual", "6 tháng"
    YEARLY = "yearly", "Hằng năm"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Chưa hoàn thành"
    PARTLY_DONE = "partly_done", "Hoàn thành một phần"
    DONE = "done", "Hoàn thành"


class Timing(models.TextChoices):
    """The official classification (Quyết định 42/2014/QĐ-TTg) plus "sắp đến hạn" for the reminder window."""

    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành quá hạn"
    OPEN_IN_TIME = "open_in_time", "Chưa hoàn thành, còn trong hạn"
    DUE_SOON = "due_soon", "Sắp đến hạn"
    OPEN_OVERDUE = "open_overdue", "Chưa hoàn thành, đã quá hạn"


TIMING_BADGES = {
    Timing.DONE_ON_TIME: "success",
    Timing.DONE_LATE: "warning",
    Timing.OPEN_IN_TIME: "info",
    Timing.DUE_SOON: "attention",
    Timing.OPEN_OVERDUE: "danger",
}


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


class Theme(models.Model):
    """How leaders slice the work: 3 Nhà, khu công nghệ cao, đô thị thông minh, trí tuệ nhân tạo, ..."""

    code = models.SlugField("mã", max_length=50, unique=True)
    name = models.CharField("tên", max_length=200)
    keywords = models.JSONField(
        "từ khóa", default=list, blank=True, help_text="Nhiệm vụ có chứa một trong các từ khóa được gắn chủ đề này."
    )

    class Meta:
        verbose_name = "chủ đề"
        verbose_name_plural = "chủ đề"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def task_search_key(text: str, path: str = "") -> str:
    """The folded text the task list searches (no diacritics, any tone-mark style, NFC or NFD)."""
    from nq57.extraction.vietnamese import fold

    return fold(f"{path} {text}")


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tasks ``user`` may see (the rule lives in ``core.access.tasks_visible_to``)."""
        from nq57.core.access import tasks_visible_to

        return tasks_visible_to(user, self)

    def with_timing(self, *, today: dt.date, due_soon_days: int | None = None):
        """Annotate ``timing`` (a ``Timing`` value) computed in the database, so lists filter and count by it.

        Rules: a done task is on time when it was completed on or before its due date (or has none). An open task
        is overdue once today is past its due date, or — for a recurring task or one with a report cadence — once
        its next periodic report is past due. It is "due soon" when its due date falls within the window.
        """
        window = settings.DUE_SOON_DAYS if due_soon_days is None else due_soon_days
        soon = today + dt.timedelta(days=window)
        return self.annotate(
            timing=Case(
                When(status=TaskStatus.DONE, deadline_due__isnull=True, then=Value(Timing.DONE_ON_TIME)),
                When(status=TaskStatus.DONE, completed_on__lte=F("deadline_due"), then=Value(Timing.DONE_ON_TIME)),
                When(status=TaskStatus.DONE, then=Value(Timing.DONE_LATE)),
                When(deadline_due__lt=today, then=Value(Timing.OPEN_OVERDUE)),
                When(next_report_due__lt=today, then=Value(Timing.OPEN_OVERDUE)),
                When(deadline_due__lte=soon, then=Value(Timing.DUE_SOON)),
                default=Value(Timing.OPEN_IN_TIME),
                output_field=models.CharField(),
            )
        )

    def filter_timing(self, timing: str, *, today: dt.date):
        return self.with_timing(today=today).filter(timing=timing)

    def roots(self):
        return self.filter(parent__isnull=True)


class Task(models.Model):
    """One assignment of a notice, or a sub-task an agency made of it for its own units (``parent``)."""

    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.CASCADE, related_name="tasks", verbose_name="thông báo"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks", verbose_name="nhiệm vụ cha"
    )
    path = models.CharField("vị trí trong văn bản", max_length=50, blank=True, help_text="Ví dụ: 1.a.2")
    position = models.PositiveIntegerField("thứ tự", default=0)
    section = models.CharField("mục", max_length=500, blank=True)
    text = models.TextField("nội dung")
    themes = models.ManyToManyField(Theme, blank=True, related_name="tasks", verbose_name="chủ đề")
    agencies = models.ManyToManyField(
        "agencies.Agency", through="TaskAssignment", related_name="tasks", verbose_name="cơ quan"
    )
    coordinating_others = models.BooleanField("có các cơ quan liên quan khác phối hợp", default=False)

    deadline_kind = models.CharField(
        "loại thời hạn", max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_due = models.DateField("hạn hoàn thành", null=True, blank=True, db_index=True)
    deadline_text = models.CharField("thời hạn (nguyên văn)", max_length=500, blank=True)
    original_deadline_due = models.DateField("hạn ban đầu", null=True, blank=True)

    report_cadence = models.CharField(
        "chế độ báo cáo", max_length=20, choices=ReportCadence.choices, blank=True, default=""
    )
    report_due = models.DateField("hạn báo cáo", null=True, blank=True)
    report_text = models.CharField("yêu cầu báo cáo (nguyên văn)", max_length=500, blank=True)
    next_report_due = models.DateField(
        "kỳ báo cáo tiếp theo",
        null=True,
        blank=True,
        help_text="Với nhiệm vụ thường xuyên hoặc có chế độ báo cáo định kỳ: hạn của báo cáo định kỳ tiếp theo.",
    )

    status = models.CharField("tình trạng", max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    last_report_at = models.DateTimeField("báo cáo gần nhất", null=True, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False, help_text="Tăng mỗi lần sửa; chống ghi đè.")
    search_key = models.TextField(
        blank=True, default="", editable=False, help_text="Nội dung đã bỏ dấu, dùng cho tìm kiếm không phân biệt dấu."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=["search_key"], get_user=history_user)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["notice_id", "position", "id"]
        indexes = [
            # task list default order and the notice page
            models.Index(fields=["notice", "position"], name="tasks_notice_position_idx"),
            # overview / daily scan: open tasks by due date
            models.Index(fields=["status", "deadline_due"], name="tasks_status_due_idx"),
            models.Index(fields=["status", "next_report_due"], name="tasks_status_nextrep_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="tasks_task_progress_0_100", condition=Q(progress__lte=100)),
            models.CheckConstraint(
                name="tasks_task_done_has_completion_date",
                condition=~Q(status="done") | Q(completed_on__isnull=False),
            ),
            models.CheckConstraint(name="tasks_task_not_own_parent", condition=~Q(parent=F("id"))),
        ]

    def __str__(self) -> str:
        label = f"{self.notice.number} · {self.path}" if self.path else f"Nhiệm vụ #{self.pk}"
        return label

    def save(self, *args, **kwargs):
        self.search_key = task_search_key(self.text, self.path)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("text" in update_fields or "path" in update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[self.pk])

    @property
    def is_recurring(self) -> bool:
        return self.deadline_kind == DeadlineKind.RECURRING

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    def timing(self, *, today: dt.date, due_soon_days: int | None = None) -> str:
        """The same rule as ``TaskQuerySet.with_timing``, for one task in memory."""
        window = settings.DUE_SOON_DAYS if due_soon_days is None else due_soon_days
        if self.status == TaskStatus.DONE:
            if self.deadline_due is None or (self.completed_on and self.completed_on <= self.deadline_due):
                return Timing.DONE_ON_TIME
            return Timing.DONE_LATE
        if self.deadline_due and self.deadline_due < today:
            return Timing.OPEN_OVERDUE
        if self.next_report_due and self.next_report_due < today:
            return Timing.OPEN_OVERDUE
        if self.deadline_due and self.deadline_due <= today + dt.timedelta(days=window):
            return Timing.DUE_SOON
        return Timing.OPEN_IN_TIME

    def is_overdue(self, *, today: dt.date) -> bool:
        return self.timing(today=today) == Timing.OPEN_OVERDUE

    def days_late(self, *, today: dt.date) -> int:
        """Days past the due date: until today for an open task, until completion for a done one."""
        if not self.deadline_due:
            return 0
        end = self.completed_on if self.status == TaskStatus.DONE and self.completed_on else today
        return max(0, (end - self.deadline_due).days)


class TaskAssignment(models.Model):
    """An agency's place on a task: lead (chủ trì) or coordinating (phối hợp).

    ``assigned_name`` keeps the name the task was assigned under when the agency later merges into a successor.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("agencies.Agency", verbose_name="cơ quan", on_delete=models.PROTECT,
                               related_name="assignments")
    role = models.CharField("vai trò", max_length=20, choices=AssignmentRole.choices)
    assigned_name = models.CharField("tên khi được giao", max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = "cơ quan được giao"
        verbose_name_plural = "cơ quan được giao"
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "role"], name="tasks_assignment_unique_role"),
        ]
        indexes = [models.Index(fields=["agency", "role"], name="tasks_asg_agency_role_idx")]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display()})"

    @property
    def was_renamed(self) -> bool:
        return bool(self.assigned_name) and self.assigned_name != self.agency.name


class TaskEventKind(models.TextChoices):
    CREATED = "created", "Tạo nhiệm vụ"
    EDITED = "edited", "Sửa nhiệm vụ"
    REPORT_SUBMITTED = "report_submitted", "Gửi báo cáo"
    REPORT_ASSESSED = "report_assessed", "Đánh giá báo cáo"
    STATUS_CHANGED = "status_changed", "Đổi tình trạng"
    EXTENSION_REQUESTED = "extension_requested", "Đề xuất gia hạn"
    EXTENSION_DECIDED = "extension_decided", "Quyết định gia hạn"
    DEADLINE_SCHEDULED = "deadline_scheduled", "Ấn định thời hạn"
    SUBTASK_ADDED = "subtask_added", "Thêm nhiệm vụ con"
    REASSIGNED = "reassigned", "Chuyển cơ quan kế thừa"


class TaskEvent(models.Model):
    """One line of a task's timeline, written by the service that made the change."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=TaskEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    summary = models.CharField(max_length=1000)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "sự kiện nhiệm vụ"
        verbose_name_plural = "sự kiện nhiệm vụ"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"], name="tasks_event_task_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"
