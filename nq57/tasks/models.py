import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, ExpressionWrapper, F, Q, Value, When
from simple_history.models import HistoricalRecords

from nq57.core import badges
from nq57.core.audit import history_user
from nq57.core.links import pk_url
from nq57.taxonomy.models import Theme  # moved to the taxonomy app; import it from there


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
    """The official classification (Quyết định 42/2014/QĐ-TTg) plus "sắp đến hạn" for the reminder window.

    The ONE home of the rule. ``Timing.conditions(today=...)`` gives, for each class, a plain, mutually exclusive
    query condition; every count and filter uses them (``Task.objects.with_timing``, the task list filter, the
    overview, the dashboard, the consolidated report, the escalation list, the agency scorecard).
    ``Task.timing(today=...)`` is the same rule for one task in memory; both are tested against one table of cases
    (``nq57/tasks/tests/test_timing_rule.py``).

    - done on time: done, and completed on or before the due date (or no due date);
    - done late: done after the due date;
    - open overdue: not done, and today is past the due date — or, for a recurring task or one with a report
      cadence, past the next periodic report's date;
    - due soon: not overdue, due within the reminder window (``settings.DUE_SOON_DAYS``);
    - open in time: every other task not done.
    """

    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành quá hạn"
    OPEN_IN_TIME = "open_in_time", "Chưa hoàn thành, còn trong hạn"
    DUE_SOON = "due_soon", "Sắp đến hạn"
    OPEN_OVERDUE = "open_overdue", "Chưa hoàn thành, đã quá hạn"

    @classmethod
    def soon(cls, *, today: dt.date, due_soon_days: int | None = None) -> dt.date:
        """The last day of the due-soon window that starts ``today``."""
        return today + dt.timedelta(days=settings.DUE_SOON_DAYS if due_soon_days is None else due_soon_days)

    @classmethod
    def conditions(cls, *, today: dt.date, due_soon_days: int | None = None, prefix: str = "",
                   soon: dt.date | None = None) -> dict[str, Q]:
        """Each class as a plain condition on the task's columns (index friendly, no CASE); the conditions exclude
        each other and together cover every task. ``prefix`` reaches the task through a relation ("task__").
        ``soon`` (default ``cls.soon(...)``) is passed by a query compiled once (``core.compiled``)."""
        soon = cls.soon(today=today, due_soon_days=due_soon_days) if soon is None else soon

        def q(**lookups) -> Q:
            return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

        due = F(f"{prefix}deadline_due")
        done = q(status=TaskStatus.DONE)
        not_done = q(status__in=[TaskStatus.OPEN, TaskStatus.PARTLY_DONE])
        overdue = not_done & (q(deadline_due__lt=today) | q(next_report_due__lt=today))
        report_not_missed = q(next_report_due__isnull=True) | q(next_report_due__gte=today)
        return {
            cls.DONE_ON_TIME: done & (q(deadline_due__isnull=True) | q(completed_on__lte=due)),
            cls.DONE_LATE: done & q(deadline_due__isnull=False)
            & (q(completed_on__isnull=True) | q(completed_on__gt=due)),
            cls.OPEN_OVERDUE: overdue,
            cls.DUE_SOON: not_done & q(deadline_due__gte=today, deadline_due__lte=soon) & report_not_missed,
            cls.OPEN_IN_TIME: not_done & (q(deadline_due__isnull=True) | q(deadline_due__gt=soon))
            & report_not_missed,
        }

    @classmethod
    def tally_conditions(cls, *, today: dt.date, due_soon_days: int | None = None,
                         soon: dt.date | None = None) -> dict[str, Q]:
        """``conditions`` on the rows of ``TaskTally`` (its ``late`` column stands for "completed after the due
        date"; the open classes read the same date columns)."""
        conditions = cls.conditions(today=today, due_soon_days=due_soon_days, soon=soon)
        done = Q(status=TaskStatus.DONE)
        conditions[cls.DONE_ON_TIME] = done & Q(late=False)
        conditions[cls.DONE_LATE] = done & Q(late=True)
        return conditions

    @classmethod
    def condition(cls, timing: str, *, today: dt.date, due_soon_days: int | None = None, prefix: str = "") -> Q:
        return cls.conditions(today=today, due_soon_days=due_soon_days, prefix=prefix)[timing]

    @classmethod
    def case(cls, *, today: dt.date, due_soon_days: int | None = None, prefix: str = "",
             soon: dt.date | None = None) -> Case:
        """The class of each row as one database expression, built from ``conditions``."""
        conditions = cls.conditions(today=today, due_soon_days=due_soon_days, prefix=prefix, soon=soon)
        return Case(*(When(condition, then=Value(str(timing))) for timing, condition in conditions.items()),
                    default=Value(str(cls.OPEN_IN_TIME)), output_field=models.CharField())

    @classmethod
    def counts(cls, *, today: dt.date, due_soon_days: int | None = None, prefix: str = "", field: str = "id"):
        """``Count`` aggregates, one per class (keyed by the class value), for ``.aggregate``/``.annotate``."""
        conditions = cls.conditions(today=today, due_soon_days=due_soon_days, prefix=prefix)
        return {str(timing): Count(field, filter=condition) for timing, condition in conditions.items()}

    @classmethod
    def overdue_on(cls, day: dt.date, *, prefix: str = "") -> Q:
        """Open and past its deadline at the end of ``day`` (a past week's end), as far as the record tells: the task
        existed by then, its (current) deadline was before ``day`` and it was not completed by ``day``. Periodic
        reports are not counted (their past due dates are not kept). For ``day`` = today this is ``OPEN_OVERDUE``
        less the missed-report part."""
        from django.utils import timezone

        zone = timezone.get_current_timezone()
        next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        # plain comparisons only (a created_at__date lookup would run a timezone conversion per row on SQLite)
        return Q(**{f"{prefix}deadline_due__lt": day, f"{prefix}created_at__lt": next_midnight}) & (
            Q(**{f"{prefix}completed_on__isnull": True}) | Q(**{f"{prefix}completed_on__gt": day}))

    @classmethod
    def late_since_expr(cls, *, today: dt.date, prefix: str = "") -> Case:
        """The date an overdue task missed (its deadline when passed, else its periodic report), as a database
        expression; meaningful on rows known to be ``OPEN_OVERDUE``. In memory: ``Task.late_since``."""
        return Case(When(**{f"{prefix}deadline_due__lt": today}, then=F(f"{prefix}deadline_due")),
                    default=F(f"{prefix}next_report_due"), output_field=models.DateField())

    @classmethod
    def days_late_expr(cls, *, today: dt.date, prefix: str = "") -> Case:
        """``Task.days_late`` as a database expression (a duration: read ``.days``). Open overdue: from the missed
        date to today; done late: from the due date to completion; otherwise zero."""
        conditions = cls.conditions(today=today, prefix=prefix)
        zero = Value(dt.timedelta(0), output_field=models.DurationField())
        return Case(
            When(conditions[cls.OPEN_OVERDUE], then=ExpressionWrapper(
                Value(today, output_field=models.DateField()) - cls.late_since_expr(today=today, prefix=prefix),
                output_field=models.DurationField())),
            When(conditions[cls.DONE_LATE] & Q(**{f"{prefix}completed_on__isnull": False}),
                 then=ExpressionWrapper(F(f"{prefix}completed_on") - F(f"{prefix}deadline_due"),
                                        output_field=models.DurationField())),
            default=zero, output_field=models.DurationField(),
        )


@dataclass(frozen=True)
class OnTimeRate:
    """The on-time rate, one definition for every page: among the tasks whose deadline has come — done (on time or
    late) or still open past their deadline — the share done on time:
    ``done on time / (done on time + done late + open overdue)``. Tasks not yet due are left out; ``None`` when
    no task is due yet."""

    on_time: int
    due: int

    HELP = ("Tỷ lệ hoàn thành đúng hạn = số nhiệm vụ hoàn thành đúng hạn / số nhiệm vụ đã đến hạn (đã hoàn thành, "
            "đúng hạn hoặc quá hạn, cộng các nhiệm vụ chưa hoàn thành đã quá hạn). Nhiệm vụ chưa đến hạn không tính.")

    @classmethod
    def of(cls, *, done_on_time: int, done_late: int, open_overdue: int) -> "OnTimeRate":
        return cls(on_time=done_on_time, due=done_on_time + done_late + open_overdue)

    @classmethod
    def from_counts(cls, counts: dict) -> "OnTimeRate":
        """From counts keyed by ``Timing`` values (``Timing.counts`` or a ``by_timing`` dict)."""
        return cls.of(done_on_time=counts.get(Timing.DONE_ON_TIME, 0) or 0,
                      done_late=counts.get(Timing.DONE_LATE, 0) or 0,
                      open_overdue=counts.get(Timing.OPEN_OVERDUE, 0) or 0)

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None

    def __str__(self) -> str:
        return f"{self.on_time}/{self.due}"


# the colour of each state, declared once (labels are the choices' own); read through ``nq57.core.badges``
badges.register("task_status", TaskStatus, {
    TaskStatus.OPEN: "muted", TaskStatus.PARTLY_DONE: "info", TaskStatus.DONE: "success",
})
badges.register("timing", Timing, {
    Timing.DONE_ON_TIME: "success", Timing.DONE_LATE: "warning", Timing.OPEN_IN_TIME: "info",
    Timing.DUE_SOON: "attention", Timing.OPEN_OVERDUE: "danger",
})


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


_SEARCH_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The folded words of ``text`` (no diacritics, any tone-mark style, NFC or NFD; punctuation dropped):
    "Chuyển đổi số, 30-TB/TGV" -> ["chuyen", "doi", "so", "30", "tb", "tgv"]. Queries and keys both go through it."""
    from nq57.text.vietnamese import fold

    return _SEARCH_WORD.findall(fold(text))


def task_search_key(text: str, path: str = "") -> str:
    """The folded words the task list searches, one space between them and one at each end, so that
    ``" doi so "`` finds the whole words "đổi số" (and never "sửa đổi sở hữu")."""
    words = search_words(f"{path} {text}")
    return f" {' '.join(words)} " if words else ""


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tasks ``user`` may see (the rule lives in ``core.access.tasks_visible_to``)."""
        from nq57.core.access import tasks_visible_to

        return tasks_visible_to(user, self)

    def with_timing(self, *, today: dt.date, due_soon_days: int | None = None, soon: dt.date | None = None):
        """Annotate ``timing`` (a ``Timing`` value) computed in the database from ``Timing.conditions``, so lists
        filter and count by it."""
        return self.annotate(timing=Timing.case(today=today, due_soon_days=due_soon_days, soon=soon))

    def filter_timing(self, timing: str, *, today: dt.date):
        """The tasks of one timing class, by its plain condition (no annotation)."""
        return self.filter(Timing.condition(timing, today=today))

    def roots(self):
        return self.filter(parent__isnull=True)


class Task(models.Model):
    """One assignment of a notice, or a sub-task an agency made of it for its own units (``parent``)."""

    notice = models.ForeignKey(  # (indexed by the composite indexes that start with it, see Meta)
        "notices.Notice", on_delete=models.CASCADE, related_name="tasks", verbose_name="thông báo", db_index=False,
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
    deadline_due = models.DateField("hạn hoàn thành", null=True, blank=True)
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
    # history copies the row at each change: the derived and bookkeeping columns are left out (the folded text, the
    # version counter, the update time: each record has its own history_date), and so are the indexes the history
    # is never searched by (it is read per task id)
    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=["search_key", "version", "updated_at"],
                                no_db_index=["notice", "parent", "deadline_due"], get_user=history_user)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["notice_id", "position", "id"]
        indexes = [
            # task list default order and the notice page
            models.Index(fields=["notice", "position"], name="tasks_notice_position_idx"),
            # overview / daily scan / task list: open tasks by due date; with parent, counting the top-level tasks of a
            # status and due-date range reads the index only
            models.Index(fields=["status", "deadline_due", "parent"], name="tasks_status_due_parent_idx"),
            # every column of the timing classes (Timing.conditions, Timing.overdue_on): the overview's and the
            # dashboard's grouped counts over all top-level tasks read this index, not the wide rows
            models.Index(fields=["parent", "status", "deadline_due", "completed_on", "next_report_due", "created_at"],
                         name="tasks_timing_cover_idx"),
            # the lists sorted by update time
            models.Index(fields=["updated_at", "id"], name="tasks_updated_idx"),
            # lookups by due date, and "soonest first" (due date, then id: the overview's next deadlines read the
            # first few entries in that order instead of sorting every task due that day; SQLite's index on the due
            # date alone ends with the rowid, PostgreSQL's does not)
            models.Index(fields=["deadline_due", "id"], name="tasks_due_id_idx"),
            models.Index(fields=["status", "next_report_due"], name="tasks_status_nextrep_idx"),
            # imports match a record by notice + path (exchange.services._find_task)
            models.Index(fields=["notice", "path"], name="tasks_notice_path_idx"),
            # the notices list counts each notice's top-level tasks by status from this index alone (it also serves
            # every lookup by notice, so the foreign key has no index of its own)
            models.Index(fields=["notice", "parent", "status"], name="tasks_notice_parent_status_idx"),
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
        return pk_url("tasks:task_detail", self.pk)

    @property
    def is_recurring(self) -> bool:
        return self.deadline_kind == DeadlineKind.RECURRING

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    def timing(self, *, today: dt.date, due_soon_days: int | None = None) -> str:
        """The rule of ``Timing.conditions`` for one task in memory (tested against the same table of cases)."""
        if self.status == TaskStatus.DONE:
            if self.deadline_due is None or (self.completed_on and self.completed_on <= self.deadline_due):
                return Timing.DONE_ON_TIME
            return Timing.DONE_LATE
        if Task.late_since(self, today=today) is not None:  # also called unbound on plain rows (api)
            return Timing.OPEN_OVERDUE
        if self.deadline_due and self.deadline_due <= Timing.soon(today=today, due_soon_days=due_soon_days):
            return Timing.DUE_SOON
        return Timing.OPEN_IN_TIME

    def is_overdue(self, *, today: dt.date) -> bool:
        return self.timing(today=today) == Timing.OPEN_OVERDUE

    def late_since(self, *, today: dt.date) -> dt.date | None:
        """The date an open task missed: its deadline, or — for recurring tasks and report cadences — the missed
        periodic report. ``None`` when the task is not overdue. In the database: ``Timing.late_since_expr``."""
        if self.status == TaskStatus.DONE:
            return None
        if self.deadline_due and self.deadline_due < today:
            return self.deadline_due
        if self.next_report_due and self.next_report_due < today:
            return self.next_report_due
        return None

    def days_late(self, *, today: dt.date) -> int:
        """Days late: for an open overdue task, from the missed deadline or periodic report to today; for a task
        done late, from the due date to completion; otherwise 0. In the database: ``Timing.days_late_expr``."""
        if self.status == TaskStatus.DONE:
            if self.deadline_due and self.completed_on and self.completed_on > self.deadline_due:
                return (self.completed_on - self.deadline_due).days
            return 0
        since = Task.late_since(self, today=today)
        return (today - since).days if since else 0


class TaskAssignment(models.Model):
    """An agency's place on a task: lead (chủ trì) or coordinating (phối hợp).

    ``assigned_name`` keeps the name the task was assigned under when the agency later merges into a successor.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("agencies.Agency", verbose_name="cơ quan", on_delete=models.PROTECT,
                               related_name="assignments")
    role = models.CharField("vai trò", max_length=20, choices=AssignmentRole.choices)
    assigned_name = models.CharField("tên khi được giao", max_length=300, blank=True)
    # Copies of the task's columns that an agency's lists filter and sort by, kept equal to the task's by database
    # triggers IN THE SAME TRANSACTION as every write to either table, whatever the writer (migration
    # ``0013_assignment_task_columns``; only the bulk import gives them, already equal). With them in the agency
    # index below, "one agency's open top-level tasks" is counted and narrowed from that index alone instead of
    # reading each of the agency's tasks. Never edited, never audited (the task's own history records the change).
    task_status = models.CharField(max_length=20, choices=TaskStatus.choices, null=True, editable=False)
    task_parent_id = models.BigIntegerField(null=True, editable=False)
    task_deadline_due = models.DateField(null=True, editable=False)
    history = HistoricalRecords(no_db_index=["agency"], get_user=history_user,  # read per task id
                                excluded_fields=["task_status", "task_parent_id", "task_deadline_due"])

    class Meta:
        verbose_name = "cơ quan được giao"
        verbose_name_plural = "cơ quan được giao"
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "role"], name="tasks_assignment_unique_role"),
        ]
        # "the tasks of an agency" (any role, or one role; with the task's status, level and due date: the task
        # list's and the API's agency filters and their counts, an agency's pages and report) read from this index
        # alone, without fetching each assignment row or task. (An earlier version left the task id out because
        # SQLite then drove the dashboard's per-agency counts from it over every task; those counts now come from
        # ``TaskTally``.)
        indexes = [models.Index(fields=["agency", "role", "task_status", "task_parent_id", "task_deadline_due",
                                        "task"], name="tasks_asg_agency_task_cols_idx")]

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


class TallyKind(models.TextChoices):
    ALL = "all", "Mọi nhiệm vụ"
    LEAD = "lead", "Theo cơ quan chủ trì"
    THEME = "theme", "Theo chủ đề"


class TaskTally(models.Model):
    """How many top-level tasks share each combination of the columns the timing classes read, kept up to date by
    database triggers IN THE SAME TRANSACTION as every write to tasks, lead assignments and theme links (migration
    ``0009_task_tally``), whatever the writer (services, ``bulk_create``, ``update()``, imports, the admin, raw SQL).
    Nothing is cached across requests: the overview and the dashboard sum a few thousand rows instead of reading
    100,000 tasks, and the "today"-relative classes are still decided at read time from the dates kept here.

    - ``all``: every top-level task, by status, ``late``, due date and next report date;
    - ``lead``: the same per lead agency (a task with two lead agencies counts for each); a done task's dates are
      not kept (a done task's class depends only on ``late``);
    - ``theme``: per theme, by status and ``late`` only.

    ``late`` is "done after the due date" (``Timing.DONE_LATE`` without the status). Rows are summed by readers
    (``n`` may be 0). ``Timing.tally_conditions`` states the timing classes on these columns."""

    kind = models.CharField(max_length=8, choices=TallyKind.choices)
    agency_id = models.BigIntegerField(null=True)
    theme_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=20, choices=TaskStatus.choices)
    late = models.BooleanField()
    deadline_due = models.DateField(null=True)
    next_report_due = models.DateField(null=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "số đếm nhiệm vụ"
        verbose_name_plural = "số đếm nhiệm vụ"
        # the triggers find a row by its whole key (PostgreSQL also gets a unique index on it, NULLS NOT DISTINCT,
        # for the upsert; see the migration)
        # (with ``n`` last, the sums read the index alone)
        indexes = [models.Index(fields=["kind", "agency_id", "theme_id", "status", "late", "deadline_due",
                                        "next_report_due", "n"], name="tasks_tally_key_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.agency_id or self.theme_id or ''} {self.status}: {self.n}"


DAY_ZERO = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """``day`` as whole days since 1 January 1970: the day columns of ``OverdueSpan``."""
    return day.toordinal() - DAY_ZERO.toordinal()


class OverdueSpan(models.Model):
    """How many top-level tasks are overdue (``Timing.overdue_on``) over each span of days, kept up to date by
    database triggers IN THE SAME TRANSACTION as every write to tasks (migration ``0011_overdue_span``), as
    ``TaskTally`` is. A task with a deadline is overdue at the end of day D when ``starts_on <= D < ends_on``:

    - ``starts_on``: the later of the day after its deadline and the day it was created (local time, TIME_ZONE);
    - ``ends_on``: the day it was completed (null: not completed).

    Tasks that can never be overdue (no deadline, completed on or before it, or before they were created) are left
    out. Days are whole days since 1 January 1970 (``day_number``), so the dashboard's weekly trend groups a few
    thousand rows by integer arithmetic instead of reading every task. The local day of ``created_at`` is computed by
    the triggers in the zone the migration found (written into the trigger); a reader checks
    ``tasks.selectors.overdue_spans_follow_zone`` first and reads the tasks when TIME_ZONE has changed since."""

    starts_on = models.IntegerField()
    ends_on = models.IntegerField(null=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "khoảng quá hạn"
        verbose_name_plural = "khoảng quá hạn"
        # the triggers find a row by its key (PostgreSQL also gets a unique index, NULLS NOT DISTINCT, for the upsert)
        indexes = [models.Index(fields=["starts_on", "ends_on", "n"], name="tasks_span_key_idx")]

    def __str__(self) -> str:
        return f"{self.starts_on}-{self.ends_on}: {self.n}"
