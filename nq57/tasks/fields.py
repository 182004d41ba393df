"""One description of a task's fields: name, Vietnamese label, how a value is shown, compared and written to a
spreadsheet. Forms (labels), the task-list and consolidated-report exports (column titles and cells), the import
review (field labels of its diff), the exchange format (compared fields and their labels) and the edit service
(editable fields) read it from here instead of restating the list.

    from nq57.tasks import fields
    fields.label("deadline_due")            # "Hạn hoàn thành"
    fields.display("deadline_kind", "month")  # "Trong tháng"
    fields.EDITABLE                          # the fields the edit form and ``task_update`` change
    fields.labels(fields.IMPORTED)           # {"path": "Vị trí", ...} for the import review's diff
"""

import datetime as dt
from dataclasses import dataclass

from nq57.tasks.models import DeadlineKind, ReportCadence, TaskStatus, Timing


@dataclass(frozen=True)
class TaskField:
    name: str
    label: str
    kind: str = "text"  # text | date | choice | bool | agencies | percent | number
    choices: type | None = None
    width: int = 20  # spreadsheet column width

    def display(self, value) -> str:
        """The value as a reader sees it: dates dd/mm/yyyy, choice labels, có/không, names joined by "; "."""
        if value is None or value == "" or value == []:
            return "—"
        if self.kind == "agencies" or isinstance(value, (list, tuple)):
            return "; ".join(str(v) for v in value) or "—"
        if self.kind == "bool":
            return "có" if value else "không"
        if self.kind == "choice" and self.choices is not None:
            return str(self.choices(value).label) if value in self.choices.values else str(value)
        if self.kind == "date":
            day = value if isinstance(value, dt.date) else _parse_date(value)
            return f"{day:%d/%m/%Y}" if day else str(value)
        if self.kind == "percent":
            return f"{value}%"
        return str(value)

    def comparable(self, value):
        """The value normalised for a diff: dates as ISO text, name lists sorted, empty text as ""."""
        if self.kind == "agencies":
            return sorted(value or [])
        if self.kind == "date":
            if isinstance(value, dt.date):
                return value.isoformat()
            return value or None
        if self.kind == "bool":
            return bool(value)
        if value is None:
            return ""
        return value

    def cell(self, value):
        """The value for a spreadsheet cell: dates stay dates, choices become labels, names are joined."""
        if self.kind in ("date", "number", "percent"):
            return value
        if self.kind == "bool":
            return "Có" if value else "Không"
        if value is None:
            return ""
        if self.kind == "agencies":
            return "; ".join(str(v) for v in value)
        return self.display(value) if self.kind == "choice" else value


def _parse_date(value):
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


TASK_FIELDS: tuple[TaskField, ...] = (
    TaskField("notice", "Thông báo", width=18),
    TaskField("path", "Vị trí", width=10),
    TaskField("section", "Mục", width=30),
    TaskField("text", "Nội dung", width=80),
    TaskField("lead", "Cơ quan chủ trì", "agencies", width=40),
    TaskField("coordinating", "Cơ quan phối hợp", "agencies", width=40),
    TaskField("coordinating_others", "Có các cơ quan liên quan khác phối hợp", "bool", width=12),
    TaskField("deadline_kind", "Loại thời hạn", "choice", DeadlineKind, width=18),
    TaskField("deadline_due", "Hạn hoàn thành", "date", width=14),
    TaskField("deadline_text", "Thời hạn (nguyên văn)", width=30),
    TaskField("deadline", "Thời hạn", width=30),  # as written, else the kind's label (``deadline_phrase``)
    TaskField("original_deadline_due", "Hạn ban đầu", "date", width=14),
    TaskField("report_cadence", "Chế độ báo cáo", "choice", ReportCadence, width=16),
    TaskField("report_due", "Hạn báo cáo", "date", width=14),
    TaskField("report_text", "Yêu cầu báo cáo (nguyên văn)", width=30),
    TaskField("next_report_due", "Kỳ báo cáo tiếp theo", "date", width=14),
    TaskField("status", "Tình trạng", "choice", TaskStatus, width=20),
    TaskField("progress", "Tiến độ (%)", "percent", width=10),
    TaskField("completed_on", "Ngày hoàn thành", "date", width=14),
    TaskField("themes", "Chủ đề", "agencies", width=30),
    # derived, computed for a date (``Timing``, ``Task.days_late``)
    TaskField("timing", "Phân loại thời hạn", "choice", Timing, width=28),
    TaskField("days_late", "Số ngày chậm", "number", width=12),
)
FIELDS: dict[str, TaskField] = {f.name: f for f in TASK_FIELDS}

#: what the office edits on the task page (form and ``task_update``), in form order (``themes``: the form only)
EDITABLE = ("text", "section", "deadline_kind", "deadline_due", "deadline_text", "report_cadence", "report_due",
            "report_text", "coordinating_others")
#: what a notice import reads for a task and its review compares
IMPORTED = ("path", "section", "text", "lead", "coordinating", "coordinating_others", "deadline_kind", "deadline_due",
            "deadline_text", "report_cadence", "report_due", "report_text")
#: what the exchange format compares to decide whether a record changes a task (besides the agencies)
EXCHANGED = ("text", "section", "deadline_kind", "deadline_due", "deadline_text", "report_cadence", "report_due")


def deadline_phrase(deadline_text: str, deadline_kind: str) -> str:
    """The "Thời hạn" column: the deadline as the notice wrote it, else the label of its kind."""
    return deadline_text or FIELDS["deadline_kind"].display(deadline_kind)


def field(name: str) -> TaskField:
    return FIELDS[name]


def label(name: str) -> str:
    return FIELDS[name].label


def labels(names=None) -> dict[str, str]:
    """``{name: label}`` for ``names`` (every field when omitted), in that order."""
    return {name: FIELDS[name].label for name in (names if names is not None else FIELDS)}


def display(name: str, value) -> str:
    return FIELDS[name].display(value)


def headers(names) -> list[str]:
    return [FIELDS[name].label for name in names]


def widths(names) -> list[int]:
    return [FIELDS[name].width for name in names]
