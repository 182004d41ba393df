"""The exchange with other monitoring systems (the Resolution 71/NQ-CP system): export our tasks in the documented
JSON format (``schema/exchange-v1.schema.json``) and import theirs as an idempotent upsert.

Import never double-counts a task both systems know: a record is matched by its link (``ExternalKey``), then by our
own id (``nq57:task:<id>``, in ``external_id`` or ``links``), then by notice number + path; only then is a task
created. Each record reports created / updated / unchanged / rejected (with the reason in Vietnamese).
"""

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from nq57.core import access
from nq57.core.bulk import insert_rows
from nq57.core.errors import ServiceError
from nq57.core.events import publish
from nq57.exchange.models import ExternalKey
from nq57.notices.models import Notice
from nq57.tasks import fields
from nq57.tasks.models import AssignmentRole, Task, TaskAssignment

OWN_SYSTEM = "nq57"
FORMAT = "nq57-exchange"
SCHEMA_PATH = Path(__file__).parent / "schema" / "exchange-v1.schema.json"
OWN_ID = re.compile(r"^nq57:task:(\d{1,18})$")
OWN_REPORT_ID = re.compile(r"^nq57:report:(\d{1,18})$")
COMPARED = fields.EXCHANGED
FIELD_LABELS = {name: text.lower() for name, text in
                fields.labels((*COMPARED, "lead", "coordinating", "status", "progress", "completed_on")).items()}


def own_external_id(task) -> str:
    return f"nq57:task:{task.pk}"


@cache
def exchange_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator():
    import jsonschema_rs

    return jsonschema_rs.validator_for(exchange_schema(), validate_formats=True)


# --- export ------------------------------------------------------------------------------------------------------

def _iso(value):
    return value.isoformat() if value is not None else None


def exchange_export(*, actor, notice: Notice | None = None, task_ids=None) -> dict:
    """Every task (with sub-tasks) of ``notice`` — or of all notices — with its links, status and reports."""
    from nq57.reports.models import ProgressReport

    access.require(access.can_view(actor), "Bạn cần đăng nhập để xuất dữ liệu.")
    assignments = TaskAssignment.objects.select_related("agency").order_by("role", "id")
    qs = (Task.objects.select_related("notice", "notice__programme", "parent")
          .prefetch_related(Prefetch("assignments", queryset=assignments), "external_keys",
                            Prefetch("reports", ProgressReport.objects.select_related("agency").order_by("submitted_at",
                                                                                                          "id")))
          .order_by("notice_id", "parent_id", "position", "id"))
    if notice is not None:
        qs = qs.filter(notice=notice)
    if task_ids is not None:
        qs = qs.filter(pk__in=task_ids)
    tasks = []
    for task in qs:
        leads = [a.assigned_name or a.agency.name for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
        partners = [a.assigned_name or a.agency.name for a in task.assignments.all()
                    if a.role == AssignmentRole.COORDINATING]
        tasks.append({
            "external_id": own_external_id(task),
            "links": [{"system": k.system, "external_id": k.external_id}
                      for k in sorted(task.external_keys.all(), key=lambda k: (k.system, k.external_id))],
            "notice": {"number": task.notice.number, "issued_on": _iso(task.notice.issued_on),
                       "programme": task.notice.programme.code, "title": task.notice.title},
            "path": task.path,
            "parent_external_id": own_external_id(task.parent) if task.parent_id else None,
            "section": task.section,
            "text": task.text,
            "lead_agencies": leads,
            "coordinating_agencies": partners,
            "deadline_kind": task.deadline_kind,
            "deadline_due": _iso(task.deadline_due),
            "deadline_text": task.deadline_text,
            "report_cadence": task.report_cadence,
            "report_due": _iso(task.report_due),
            "status": task.status,
            "progress": task.progress,
            "completed_on": _iso(task.completed_on),
            "updated_at": task.updated_at.isoformat(),
            "reports": [{
                "external_id": f"nq57:report:{r.pk}", "agency": r.agency.name,
                "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
                "text": r.text, "percent": r.percent, "claimed_status": r.claimed_status, "state": r.state,
                "submitted_at": r.submitted_at.isoformat(),
            } for r in task.reports.all()],
        })
    return {"format": FORMAT, "version": 1, "system": OWN_SYSTEM, "generated_at": timezone.now().isoformat(),
            "scope": {"notice": notice.number if notice else None}, "tasks": tasks}


# --- import ------------------------------------------------------------------------------------------------------

@dataclass
class RecordResult:
    index: int
    external_id: str | None
    outcome: str
    task_id: int | None = None
    reason: str = ""


@dataclass
class ImportResult:
    dry_run: bool
    system: str
    records: list[RecordResult] = field(default_factory=list)
    reports: dict = field(default_factory=lambda: {"created": 0, "unchanged": 0, "rejected": 0})

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.records if r.outcome == outcome)

    def to_dict(self) -> dict:
        return {"dry_run": self.dry_run, "system": self.system, "created": self.count("created"),
                "updated": self.count("updated"), "unchanged": self.count("unchanged"),
                "rejected": self.count("rejected"), "records": [asdict(r) for r in self.records],
                "reports": dict(self.reports)}


class Rejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_KIND_MESSAGES = {
    "Required": lambda k: f"thiếu trường bắt buộc “{k.property}”",
    "AdditionalProperties": lambda k: "có trường không thuộc định dạng: " + ", ".join(f"“{u}”" for u in k.unexpected),
    "Type": lambda k: "sai kiểu dữ liệu",
    "Enum": lambda k: "giá trị không nằm trong danh sách cho phép",
    "Constant": lambda k: "giá trị không đúng",
    "Format": lambda k: ("ngày không hợp lệ (cần YYYY-MM-DD, và ngày phải có thật)" if k.format == "date"
                         else "thời điểm không hợp lệ (cần ISO 8601)" if k.format == "date-time"
                         else f"không đúng định dạng {k.format}"),
    "MinLength": lambda k: "không được để trống",
    "Pattern": lambda k: "không đúng mẫu (không được để trống hoặc có ký tự không hợp lệ)",
    "MaxLength": lambda k: "quá dài",
    "MinItems": lambda k: "cần ít nhất một phần tử",
    "MaxItems": lambda k: "quá nhiều phần tử",
    "Minimum": lambda k: f"nhỏ hơn giới hạn {k.limit}",
    "Maximum": lambda k: f"lớn hơn giới hạn {k.limit}",
    "OneOfNotValid": lambda k: "sai kiểu dữ liệu hoặc ngày không hợp lệ (cần null hoặc YYYY-MM-DD có thật)",
}


def _schema_message(error) -> str:
    kind = type(error.kind).__name__
    describe = _KIND_MESSAGES.get(kind)
    try:
        text = describe(error.kind) if describe else error.message
    except AttributeError:  # pragma: no cover - an attribute renamed in a jsonschema_rs release
        text = error.message
    where = "/".join(str(p) for p in error.instance_path) or "(gốc)"
    return f"{where}: {text}"


def document_validate(document) -> dict[int, list[str]]:
    """Schema errors per task index; raises ServiceError when the document itself (not a record) is invalid."""
    if not isinstance(document, dict):
        raise ServiceError("Tệp trao đổi phải là một đối tượng JSON theo định dạng nq57-exchange phiên bản 1.")
    per_record: dict[int, list[str]] = {}
    top: list[str] = []
    for error in _validator().iter_errors(document):
        path = list(error.instance_path)
        if len(path) >= 2 and path[0] == "tasks" and isinstance(path[1], int):
            per_record.setdefault(path[1], []).append(_schema_message(error).removeprefix(f"tasks/{path[1]}/"))
        else:
            top.append(_schema_message(error))
    if top:
        raise ServiceError("Tệp không đúng định dạng trao đổi nq57-exchange phiên bản 1: " + "; ".join(top[:10]),
                           errors={"document": top[:50]})
    return per_record


class _Resolver:
    """Lookups cached for one import: agencies by name, notices by number."""

    def __init__(self):
        self.agencies: dict[str, object] = {}
        self.notices: dict[tuple[str, str], Notice | None] = {}

    def agency(self, name: str):
        from nq57.agencies.services import agency_lookup

        if name not in self.agencies:
            self.agencies[name] = agency_lookup(name)
        found = self.agencies[name]
        if found is None:
            raise Rejected(f"Không tìm thấy cơ quan “{name}” trong danh mục cơ quan.")
        return found  # as named: a task assigned to a merged ministry keeps that name and goes to its successor

    def notice(self, number: str, programme: str) -> Notice:
        key = (number, programme or "")
        if key not in self.notices:
            qs = Notice.objects.filter(number=number).select_related("programme")
            if programme:
                qs = qs.filter(programme__code=programme)
            found = list(qs.order_by("-programme__is_default", "id")[:2])
            self.notices[key] = found[0] if len(found) == 1 or (found and not programme) else None
        notice = self.notices[key]
        if notice is None:
            raise Rejected(f"Không tìm thấy thông báo số “{number}”"
                           + (f" thuộc chương trình {programme}" if programme else "")
                           + "; hãy nhập thông báo vào hệ thống trước.")
        return notice


def _own_id(value: str | None) -> int | None:
    match = OWN_ID.match(value or "")
    return int(match.group(1)) if match else None


def _find_task(record: dict, *, system: str, notice: Notice) -> Task | None:
    external_id = record["external_id"]
    if system != OWN_SYSTEM:
        key = ExternalKey.objects.filter(system=system, external_id=external_id).select_related("task").first()
        if key is not None:
            return key.task
    own_ids = [_own_id(external_id)] if system == OWN_SYSTEM else []
    own_ids += [_own_id(link["external_id"]) for link in record.get("links", []) if link["system"] == OWN_SYSTEM]
    for pk in filter(None, own_ids):
        task = Task.objects.filter(pk=pk).first()
        if task is None:
            raise Rejected(f"Mã nhiệm vụ nq57:task:{pk} không tồn tại trong hệ thống nq57.")
        return task
    path = (record.get("path") or "").strip()
    if path:
        matches = list(Task.objects.filter(notice=notice, path=path)[:2])
        if len(matches) > 1:
            raise Rejected(f"Có nhiều nhiệm vụ cùng vị trí “{path}” trong thông báo {notice.number}; "
                           "không xác định được nhiệm vụ cần cập nhật.")
        if matches:
            return matches[0]
    return None


def _assigned_names(record: dict, resolver: _Resolver) -> dict[int, str]:
    """The names the record assigns the task under, as written (``TaskAssignment.assigned_name``)."""
    names = {}
    for name in (*record["lead_agencies"], *record.get("coordinating_agencies", [])):
        names.setdefault(resolver.agency(name).pk, name)
    return names


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _differences(task: Task, wanted: dict, assigned: dict[str, set[int]] | None = None) -> dict:
    """What ``wanted`` changes in ``task``; ``assigned`` (role -> agency ids) spares reading its assignments."""
    changes = {}
    for name in COMPARED:
        if getattr(task, name) != wanted[name]:
            changes[name] = wanted[name]
    for key, role in (("lead", AssignmentRole.LEAD), ("coordinating", AssignmentRole.COORDINATING)):
        if assigned is not None:
            current = assigned.get(role, set())
        else:
            current = {a.agency_id for a in task.assignments.all() if a.role == role}
        if current != {a.current().pk for a in wanted[key]}:
            changes[key] = [a.current() for a in wanted[key]]
    return changes


def _status_differs(task: Task, wanted: dict) -> bool:
    if task.status != wanted["status"] or task.progress != wanted["progress"]:
        return True
    return wanted["status"] == "done" and wanted["completed_on"] and task.completed_on != wanted["completed_on"]


def _link(task: Task, *, system: str, external_id: str) -> None:
    if system == OWN_SYSTEM:
        return
    existing = ExternalKey.objects.filter(system=system, task=task).first()
    if existing is not None:
        if existing.external_id != external_id:
            raise Rejected(f"Nhiệm vụ này đã được liên kết với mã “{existing.external_id}” của hệ thống {system}, "
                           f"khác với mã “{external_id}”.")
        return
    try:
        with transaction.atomic():
            ExternalKey.objects.create(system=system, external_id=external_id, task=task)
    except IntegrityError as exc:
        raise Rejected(f"Mã “{external_id}” của hệ thống {system} đã gắn với một nhiệm vụ khác.") from exc


def _wanted(record: dict, resolver: _Resolver) -> dict:
    """The values a record asks its task to have."""
    wanted = {
        "text": record["text"].strip(), "section": record.get("section", ""),
        "deadline_kind": record["deadline_kind"], "deadline_due": _date(record.get("deadline_due")),
        "deadline_text": record.get("deadline_text", ""), "report_cadence": record.get("report_cadence", ""),
        "report_due": _date(record.get("report_due")),
        "lead": [resolver.agency(n) for n in dict.fromkeys(record["lead_agencies"])],
        "coordinating": [resolver.agency(n) for n in dict.fromkeys(record.get("coordinating_agencies", []))],
        "status": record["status"], "progress": record["progress"], "completed_on": _date(record.get("completed_on")),
    }
    if wanted["status"] == "done":
        wanted["progress"] = 100
    return wanted


def _import_record(record: dict, *, system: str, actor, resolver: _Resolver) -> tuple[str, Task]:
    from nq57.tasks.services import task_create, task_set_status, task_update

    notice = resolver.notice(record["notice"]["number"], record["notice"].get("programme", ""))
    wanted = _wanted(record, resolver)
    task = _find_task(record, system=system, notice=notice)
    if task is not None and task.notice_id != notice.pk:
        raise Rejected(f"Nhiệm vụ đã liên kết thuộc thông báo {task.notice.number}, không phải {notice.number}.")
    if task is None:
        parent = None
        if record.get("parent_external_id"):
            parent_record = {"external_id": record["parent_external_id"], "links": []}
            parent = _find_task(parent_record, system=system, notice=notice)
            if parent is None:
                raise Rejected(f"Không tìm thấy nhiệm vụ cha “{record['parent_external_id']}”; "
                               "hãy đặt nhiệm vụ cha trước nhiệm vụ con trong tệp.")
        task = task_create(notice=notice, parent=parent, actor=actor, path=record.get("path", ""),
                           assigned_names=_assigned_names(record, resolver),
                           **{k: wanted[k] for k in (*COMPARED, "lead", "coordinating")})
        if _status_differs(task, wanted):
            task_set_status(task=task, actor=actor, status=wanted["status"], progress=wanted["progress"],
                            completed_on=wanted["completed_on"], reason=f"theo dữ liệu từ hệ thống {system}")
        _link(task, system=system, external_id=record["external_id"])
        return "created", task
    task = Task.objects.prefetch_related("assignments").get(pk=task.pk)
    changes = _differences(task, wanted)
    status_changed = _status_differs(task, wanted)
    _link(task, system=system, external_id=record["external_id"])
    if not changes and not status_changed:
        return "unchanged", task
    if changes:
        task = task_update(task=task, actor=actor, expected_version=None, **changes)
    if status_changed:
        task_set_status(task=task, actor=actor, status=wanted["status"], progress=wanted["progress"],
                        completed_on=wanted["completed_on"], reason=f"theo dữ liệu từ hệ thống {system}")
    return "updated", task


class _DryRun(Exception):
    pass


CHUNK_SIZE = 2000


def _report_id(value: str | None) -> int | None:
    match = OWN_REPORT_ID.match(value or "")
    return int(match.group(1)) if match else None


class ChunkImporter:
    """Writes records of one document chunk by chunk. A record whose task does not exist yet goes to a pending list
    written with ``tasks_bulk_create`` (history, assignments, themes, timeline) and ``ExternalKey`` bulk inserts; a
    record of an existing task goes through ``task_update`` / ``task_set_status`` in its own savepoint. Reports of
    every record go through ``reports_bulk_import``, made idempotent by ``ReportKey``. The pending list is written
    before any record that depends on it (a sub-task of a pending task, the same key twice)."""

    def __init__(self, *, system: str, actor, schema_errors: dict[int, list[str]]):
        self.system = system
        self.actor = actor
        self.schema_errors = schema_errors
        self.resolver = _Resolver()
        self.positions: dict = {}
        self.reports = {"created": 0, "unchanged": 0, "rejected": 0}
        self.report_rejections: list[str] = []

    # -- one chunk ------------------------------------------------------------------------------------------------
    def run(self, items: list[tuple[int, dict]]) -> list[RecordResult]:
        from nq57.exchange.models import ExternalKey
        from nq57.tasks.models import Task as TaskModel

        results: dict[int, RecordResult] = {}
        keyed = {}
        if self.system != OWN_SYSTEM:
            ids = [r["external_id"] for i, r in items if isinstance(r, dict) and i not in self.schema_errors]
            keyed = dict(ExternalKey.objects.filter(system=self.system, external_id__in=ids)
                         .values_list("external_id", "task_id"))
        paths = {(r["notice"]["number"], (r.get("path") or "").strip()) for i, r in items
                 if isinstance(r, dict) and i not in self.schema_errors and (r.get("path") or "").strip()}
        existing_paths = set()
        if paths:
            # the notices' ids first and no ordering, so SQLite reads the (notice, path) index alone: a join on the
            # notice number, or the tasks' default ordering, has it scan every task of those notices once per chunk
            notice_ids = list(Notice.objects.filter(number__in={n for n, _ in paths}).values_list("pk", flat=True))
            existing_paths = set(TaskModel.objects.filter(notice_id__in=notice_ids, path__in={p for _, p in paths})
                                 .order_by().values_list("notice_id", "path"))
        # tasks already linked to this system's ids, read at once: an unchanged record costs no query of its own
        linked = TaskModel.objects.in_bulk(set(keyed.values())) if keyed else {}
        self.assigned: dict[int, dict[str, set[int]]] = {}
        if linked:
            for task_id, agency_id, role in TaskAssignment.objects.filter(task_id__in=list(linked)).values_list(
                    "task_id", "agency_id", "role"):
                self.assigned.setdefault(task_id, {}).setdefault(role, set()).add(agency_id)
        self.pending: list[tuple[int, dict, dict]] = []
        self.pending_ids: set[str] = set()
        self.pending_paths: set = set()
        self.done_tasks: dict[int, TaskModel] = {}
        for index, record in items:
            external_id = record.get("external_id") if isinstance(record, dict) else None
            if index in self.schema_errors:
                reason = "Bản ghi không đúng định dạng: " + "; ".join(self.schema_errors[index][:5])
                results[index] = RecordResult(index, external_id, "rejected", None, reason)
                continue
            if "\\u0000" in json.dumps(record):  # PostgreSQL refuses NUL in text: one refused record, not a 500
                results[index] = RecordResult(index, external_id, "rejected", None,
                                              "Bản ghi chứa ký tự NUL (\\u0000), không được chấp nhận.")
                continue
            try:
                spec = self._new_spec(record, keyed=keyed, existing_paths=existing_paths)
            except Rejected as exc:
                results[index] = RecordResult(index, external_id, "rejected", None, exc.message)
                continue
            except ServiceError as exc:
                results[index] = RecordResult(index, external_id, "rejected", None, _reason(exc))
                continue
            if spec is None and external_id in keyed and external_id not in self.pending_ids:
                task = linked.get(keyed[external_id])
                if task is not None and self._unchanged(record, task):
                    results[index] = RecordResult(index, external_id, "unchanged", task.pk)
                    self.done_tasks[index] = task
                    continue
            if spec is not None:
                self.pending.append((index, record, spec))
                self.pending_ids.add(external_id)
                if spec.get("path"):
                    self.pending_paths.add((spec["notice"].pk, spec["path"]))
                continue
            self._flush(results)
            try:
                with transaction.atomic():
                    outcome, task = _import_record(record, system=self.system, actor=self.actor,
                                                   resolver=self.resolver)
                results[index] = RecordResult(index, external_id, outcome, task.pk)
                self.done_tasks[index] = task
            except Rejected as exc:
                results[index] = RecordResult(index, external_id, "rejected", None, exc.message)
            except ServiceError as exc:
                results[index] = RecordResult(index, external_id, "rejected", None, _reason(exc))
        self._flush(results)
        self._reports(items)
        ordered = [results[i] for i, _ in items]
        created = [r.task_id for r in ordered if r.outcome == "created"]
        updated = [r.task_id for r in ordered if r.outcome == "updated"]
        if created or updated:
            publish("exchange.imported", system=self.system, created_task_ids=created, updated_task_ids=updated)
        return ordered

    def _unchanged(self, record: dict, task) -> bool:
        try:
            notice = self.resolver.notice(record["notice"]["number"], record["notice"].get("programme", ""))
            wanted = _wanted(record, self.resolver)
        except Rejected:
            return False
        return (task.notice_id == notice.pk and not _differences(task, wanted, self.assigned.get(task.pk, {}))
                and not _status_differs(task, wanted))

    def _new_spec(self, record: dict, *, keyed: dict, existing_paths: set) -> dict | None:
        """The ``tasks_bulk_create`` spec of a record whose task does not exist yet; None for every other record
        (an existing task, or one that depends on the pending list: those take the one-by-one path)."""
        from nq57.tasks.services import task_values_check

        external_id = record["external_id"]
        if external_id in keyed or external_id in self.pending_ids:
            return None
        if self.system == OWN_SYSTEM and _own_id(external_id) is not None:
            return None
        if any(link["system"] == OWN_SYSTEM and _own_id(link["external_id"]) for link in record.get("links", [])):
            return None
        notice = self.resolver.notice(record["notice"]["number"], record["notice"].get("programme", ""))
        path = (record.get("path") or "").strip()
        if path and ((notice.pk, path) in existing_paths or (notice.pk, path) in self.pending_paths):
            return None
        parent = None
        if record.get("parent_external_id"):
            if record["parent_external_id"] in self.pending_ids:
                return None
            parent = _find_task({"external_id": record["parent_external_id"], "links": []}, system=self.system,
                                notice=notice)
            if parent is None:
                raise Rejected(f"Không tìm thấy nhiệm vụ cha “{record['parent_external_id']}”; "
                               "hãy đặt nhiệm vụ cha trước nhiệm vụ con trong tệp.")
        status = record["status"]
        spec = {
            "notice": notice, "parent": parent, "path": record.get("path", ""), "text": record["text"].strip(),
            "section": record.get("section", ""), "deadline_kind": record["deadline_kind"],
            "deadline_due": _date(record.get("deadline_due")), "deadline_text": record.get("deadline_text", ""),
            "report_cadence": record.get("report_cadence", ""), "report_due": _date(record.get("report_due")),
            "lead": [self.resolver.agency(n) for n in dict.fromkeys(record["lead_agencies"])],
            "coordinating": [self.resolver.agency(n) for n in dict.fromkeys(record.get("coordinating_agencies", []))],
            "assigned_names": _assigned_names(record, self.resolver),
            "status": status, "progress": 100 if status == "done" else record["progress"],
            "completed_on": _date(record.get("completed_on")),
        }
        task_values_check(text=spec["text"], lead=spec["lead"], deadline_kind=spec["deadline_kind"],
                          deadline_due=spec["deadline_due"], report_cadence=spec["report_cadence"])
        if status == "done" and spec["deadline_kind"] == "recurring":
            raise ServiceError("Nhiệm vụ thường xuyên không bao giờ được đóng; hãy ghi nhận báo cáo định kỳ.",
                               field="status")
        return spec

    def _flush(self, results: dict) -> None:
        from nq57.exchange.models import ExternalKey
        from nq57.tasks.services import tasks_bulk_create

        if not self.pending:
            return
        tasks = tasks_bulk_create(specs=[spec for _, _, spec in self.pending], actor=self.actor,
                                  reason=f"theo dữ liệu từ hệ thống {self.system}", positions=self.positions)
        keys, now = [], timezone.now()
        for (index, record, _), task in zip(self.pending, tasks, strict=True):
            results[index] = RecordResult(index, record["external_id"], "created", task.pk)
            self.done_tasks[index] = task
            if self.system != OWN_SYSTEM:
                keys.append((self.system, record["external_id"], task.pk, now))
        insert_rows(ExternalKey, ("system", "external_id", "task_id", "created_at"), keys)
        self.pending, self.pending_ids, self.pending_paths = [], set(), set()

    # -- reports --------------------------------------------------------------------------------------------------
    def _reports(self, items: list[tuple[int, dict]]) -> None:
        from nq57.exchange.models import ReportKey
        from nq57.reports.models import ProgressReport
        from nq57.reports.services import report_values_check, reports_bulk_import

        wanted = [(self.done_tasks[i], report) for i, record in items if i in self.done_tasks
                  for report in record.get("reports") or ()]
        if not wanted:
            return
        ids = [r["external_id"] for _, r in wanted]
        known = set(ReportKey.objects.filter(system=self.system, external_id__in=ids)
                    .values_list("external_id", flat=True))
        if self.system == OWN_SYSTEM:
            own = {_report_id(x) for x in ids} - {None}
            known |= {f"nq57:report:{pk}" for pk in ProgressReport.objects.filter(pk__in=own)
                      .values_list("pk", flat=True)}
        specs, keys = [], []
        for task, report in wanted:
            external_id = report["external_id"]
            if external_id in known:
                self.reports["unchanged"] += 1
                continue
            known.add(external_id)
            try:
                agency = self.resolver.agency(report["agency"]).current()
            except Rejected as exc:
                self._report_rejected(external_id, exc.message)
                continue
            spec = {"task": task, "agency": agency, "period_start": _date(report["period_start"]),
                    "period_end": _date(report["period_end"]), "text": report["text"], "percent": report["percent"],
                    "claimed_status": report["claimed_status"], "state": report.get("state") or "submitted",
                    "submitted_at": (dt.datetime.fromisoformat(report["submitted_at"]) if report.get("submitted_at")
                                     else timezone.now())}
            errors = report_values_check(**{k: spec[k] for k in ("task", "text", "percent", "claimed_status",
                                                                  "period_start", "period_end", "submitted_at")})
            if errors:
                self._report_rejected(external_id, next(iter(errors.values()))[0])
                continue
            specs.append(spec)
            keys.append(external_id)
        created = reports_bulk_import(specs=specs, actor=self.actor)
        now = timezone.now()
        insert_rows(ReportKey, ("system", "external_id", "report_id", "created_at"),
                    [(self.system, key, report.pk, now) for key, report in zip(keys, created, strict=True)])
        self.reports["created"] += len(created)

    def _report_rejected(self, external_id: str, reason: str) -> None:
        self.reports["rejected"] += 1
        if len(self.report_rejections) < 1000:
            self.report_rejections.append(f"Báo cáo {external_id}: {reason}")


def _reason(exc: ServiceError) -> str:
    label = FIELD_LABELS.get(exc.field or "", "")
    return f"{label.capitalize()}: {exc.message}" if label else exc.message


def import_prepare(*, document, actor, system: str | None = None) -> tuple[str, dict[int, list[str]]]:
    """Check who imports, the document's schema and the system name: (system, schema errors per record)."""
    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập dữ liệu trao đổi.")
    schema_errors = document_validate(document)
    system = (system or document["system"]).strip().lower()
    if not re.match(r"^[a-z0-9][a-z0-9_-]{0,49}$", system):
        raise ServiceError("Tên hệ thống không hợp lệ (chữ thường, số, dấu gạch).", field="system")
    return system, schema_errors


def exchange_import(*, document, actor, system: str | None = None, dry_run: bool = False,
                    chunk_size: int = CHUNK_SIZE) -> ImportResult:
    """Validate ``document`` against the schema, then upsert every record (and its reports) in one transaction; a
    rejected record leaves the others be. ``dry_run`` reports the same outcomes and writes nothing. Large files go
    through ``exchange.batches`` instead (committed chunk by chunk, resumable, with progress)."""
    system, schema_errors = import_prepare(document=document, actor=actor, system=system)
    result = ImportResult(dry_run=dry_run, system=system)
    importer = ChunkImporter(system=system, actor=actor, schema_errors=schema_errors)
    records = list(enumerate(document["tasks"]))
    try:
        with transaction.atomic():
            for start in range(0, len(records), chunk_size):
                result.records.extend(importer.run(records[start:start + chunk_size]))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    result.reports = importer.reports
    return result
