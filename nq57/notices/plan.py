"""Notice import — what confirming a proposal would do, as data (no HTML): the agencies each name resolves to, the
notice already in the system (a re-import), which proposed row is which existing task, the real changes, and the
conflicts with what the office decided in the system since the last import.

Used by the review page (``notices.review``, which adds the highlights and word diffs) and by the confirm service
(``notices.services``), which writes only the changes and the conflicts the reviewer chose to apply.

Re-import rules (issue 9):
- every confirmed import keeps what was extracted (``NoticeDraft.extracted``), what the office confirmed
  (``NoticeDraft.proposal``, each row with the ``task_id`` it became) and the task values it left (``written``);
- a new upload is compared with the previous document, not with the database: a field whose text did not change
  between the two documents takes the office's earlier correction (``proposal_carry_forward``);
- a field the system changed since the last import (an approved extension, an office edit) is a *conflict*: shown
  with both values and who decided, and the system's value is kept unless the reviewer chooses the document's.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from nq57.agencies.models import Agency
from nq57.agencies.services import agency_lookup
from nq57.notices.models import Notice, NoticeDraft, NoticeKind
from nq57.notices.reading import (
    NOTICE_FIELD_LABELS,
    TASK_FIELD_LABELS,
    as_date,
    collapse,
    iso,
    number_key,
    proposal_from_extraction,
    split_names,
)
from nq57.tasks.models import AssignmentRole, DeadlineKind, ReportCadence, Task, TaskEvent, TaskEventKind
from nq57.taxonomy.models import Programme

SIMILARITY_THRESHOLD = 0.6


# --- agencies ----------------------------------------------------------------------------------------------------


def agency_suggestions(name: str, *, limit: int = 3) -> list[str]:
    """Known agency names closest to an unknown one, for the reviewer's hint."""
    from nq57.extraction.vietnamese import fold

    names = {fold(a.name): a.name for a in Agency.objects.filter(dissolved_on__isnull=True).only("name")}
    return [names[key] for key in difflib.get_close_matches(fold(name), list(names), n=limit, cutoff=0.55)]


@dataclass
class AgencyRef:
    name: str  # as written by the extractor or the reviewer
    role: str
    agency: Agency | None
    suggestions: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.agency is not None


def resolve_names(names: list[str], role: str, cache: dict[str, Agency | None]) -> list[AgencyRef]:
    refs = []
    for name in names:
        if name not in cache:
            cache[name] = agency_lookup(name)
        agency = cache[name]
        refs.append(AgencyRef(name=name, role=role, agency=agency,
                              suggestions=[] if agency else agency_suggestions(name)))
    return refs


# --- notices -----------------------------------------------------------------------------------------------------


def existing_notice(*, programme: Programme, number: str) -> Notice | None:
    key = number_key(number)
    if not key:
        return None
    for notice in Notice.objects.filter(programme=programme).only("id", "number"):
        if number_key(notice.number) == key:
            return Notice.objects.get(pk=notice.pk)
    return None


def previous_import(notice: Notice, *, exclude: NoticeDraft | None = None) -> NoticeDraft | None:
    """The last confirmed import of ``notice``: what the office confirmed then is the base of the next one."""
    drafts = NoticeDraft.objects.filter(notice=notice, confirmed_at__isnull=False)
    if exclude is not None and exclude.pk:
        drafts = drafts.exclude(pk=exclude.pk)
    return drafts.order_by("-confirmed_at", "-id").first()


def cited_notices(references: list[str], *, programme: Programme | None = None,
                  exclude: Notice | None = None) -> list[Notice]:
    """The notices of the system that ``references`` name (numbers compared case- and space-insensitively)."""
    by_key: dict[str, list[Notice]] = {}
    for notice in Notice.objects.only("id", "number", "programme_id", "issued_on"):
        key = number_key(notice.number)
        if key:
            by_key.setdefault(key, []).append(notice)
    found = []
    for ref in references:
        candidates = [n for n in by_key.get(number_key(ref), []) if not exclude or n.pk != exclude.pk]
        if candidates:
            candidates.sort(key=lambda n: (programme is None or n.programme_id != programme.pk, -n.pk))
            if candidates[0] not in found:
                found.append(candidates[0])
    return found


# --- pairing rows: with the previous document's rows, or with the tasks already imported ---------------------------


def _similarity(a: str, b: str) -> float:
    from nq57.extraction.vietnamese import fold

    matcher = difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD or matcher.quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def pair_rows(candidates: list[tuple[object, str, str]], rows: list[dict]) -> dict[int, object]:
    """Pair proposed rows with candidates ``(id, path, text)``: same path first, then the most similar text.
    Returns {row index: candidate id}; each candidate is used once."""
    matched: dict[int, object] = {}
    free = {cid: (path, text) for cid, path, text in candidates}
    by_path: dict[str, list[object]] = {}
    for cid, path, _ in candidates:
        if path:
            by_path.setdefault(path, []).append(cid)
    for i, row in enumerate(rows):
        ids = [c for c in by_path.get(row.get("path") or "", []) if c in free]
        if row.get("path") and ids:
            best = max(ids, key=lambda c: _similarity(free[c][1], row.get("text") or ""))
            matched[i] = best
            free.pop(best)
    pairs = []
    for i, row in enumerate(rows):
        if i in matched:
            continue
        for cid, (_, text) in free.items():
            score = _similarity(text, row.get("text") or "")
            if score >= SIMILARITY_THRESHOLD:
                pairs.append((score, i, cid))
    for _, i, cid in sorted(pairs, key=lambda p: -p[0]):
        if i not in matched and cid in free:
            matched[i] = cid
            free.pop(cid)
    return matched


def match_tasks(existing: list[Task], rows: list[dict]) -> tuple[dict[int, Task], list[Task]]:
    """Pair proposed rows with existing tasks: the task a row became at the previous import (``task_id``), then the
    same path, then the most similar text. Returns ({row index: task}, unmatched existing tasks)."""
    by_pk = {task.pk: task for task in existing}
    matched: dict[int, Task] = {}
    for i, row in enumerate(rows):
        task = by_pk.get(row.get("task_id"))
        if task is not None:
            matched[i] = by_pk.pop(task.pk)
    rest = [i for i in range(len(rows)) if i not in matched]
    pairs = pair_rows([(t.pk, t.path, t.text) for t in by_pk.values()], [rows[i] for i in rest])
    for j, pk in pairs.items():
        matched[rest[j]] = by_pk.pop(pk)
    return matched, sorted(by_pk.values(), key=lambda t: (t.position, t.pk))


def _same(name: str, a, b) -> bool:
    if name in {"lead", "coordinating", "references"}:
        return split_names(a) == split_names(b)
    if name in {"coordinating_others", "drop"}:
        return bool(a) == bool(b)
    return collapse(str(a if a is not None else "")) == collapse(str(b if b is not None else ""))


def proposal_carry_forward(*, proposal: dict, previous: NoticeDraft) -> dict:
    """The new document's proposal with the office's corrections of the previous import applied where the text did
    not change between the two documents. Each row records ``previous_key`` (its row in the previous document),
    ``task_id`` (the task it became), ``carried`` (fields taken from the earlier review) and ``document_changed``
    (fields whose text changed between the two documents)."""
    proposal = copy.deepcopy(proposal)
    before = proposal_from_extraction(previous.extracted or {})
    confirmed = previous.proposal or {}
    confirmed_rows = {r.get("key"): r for r in confirmed.get("tasks") or [] if r.get("key") is not None}
    rows = proposal.get("tasks") or []
    pairs = pair_rows([(i, r["path"], r["text"]) for i, r in enumerate(before["tasks"])], rows)
    for j, row in enumerate(rows):
        i = pairs.get(j)
        row["previous_key"] = i
        row["carried"], row["document_changed"] = [], []
        if i is None:
            continue
        old, done = before["tasks"][i], confirmed_rows.get(i)
        for name in TASK_FIELD_LABELS:
            if not _same(name, old.get(name), row.get(name)):
                row["document_changed"].append(name)
            elif done is not None and not _same(name, done.get(name), row.get(name)):
                row[name] = copy.deepcopy(done.get(name))
                row["carried"].append(name)
        if done is not None:
            if done.get("drop"):
                row["drop"] = True
                row["carried"].append("drop")
            if done.get("task_id"):
                row["task_id"] = done["task_id"]
    old_notice, new_notice = before.get("notice") or {}, proposal.get("notice") or {}
    done_notice = confirmed.get("notice") or {}
    carried = []
    for name in NOTICE_FIELD_LABELS:
        if _same(name, old_notice.get(name), new_notice.get(name)) and name in done_notice \
                and not _same(name, done_notice.get(name), new_notice.get(name)):
            new_notice[name] = copy.deepcopy(done_notice[name])
            carried.append(name)
    new_notice["carried"] = carried
    return proposal


# --- comparing with the tasks in the system ---------------------------------------------------------------------


def task_current(task: Task) -> dict:
    """A task's values in the proposal's terms (dates ISO, agencies by current name, sorted)."""
    assignments = list(task.assignments.select_related("agency"))
    return {
        "path": task.path,
        "section": task.section,
        "text": task.text,
        "lead": sorted(a.agency.name for a in assignments if a.role == AssignmentRole.LEAD),
        "coordinating": sorted(a.agency.name for a in assignments if a.role == AssignmentRole.COORDINATING),
        "coordinating_others": task.coordinating_others,
        "deadline_kind": task.deadline_kind,
        "deadline_due": iso(task.deadline_due),
        "deadline_text": task.deadline_text,
        "report_cadence": task.report_cadence,
        "report_due": iso(task.report_due),
        "report_text": task.report_text,
    }


def row_comparable(row: dict, refs: list[AgencyRef]) -> dict:
    def names(role):
        return sorted({(r.agency.current().name if r.agency else r.name) for r in refs if r.role == role})

    return {
        "path": row.get("path") or "",
        "section": collapse(row.get("section"))[:500],
        "text": (row.get("text") or "").strip(),
        "lead": names(AssignmentRole.LEAD),
        "coordinating": names(AssignmentRole.COORDINATING),
        "coordinating_others": bool(row.get("coordinating_others")),
        "deadline_kind": row.get("deadline_kind") or DeadlineKind.NONE,
        "deadline_due": iso(row.get("deadline_due")),
        "deadline_text": collapse(row.get("deadline_text"))[:500],
        "report_cadence": row.get("report_cadence") or "",
        "report_due": iso(row.get("report_due")),
        "report_text": collapse(row.get("report_text"))[:500],
    }


def notice_current(notice: Notice) -> dict:
    return {
        "number": notice.number,
        "date": iso(notice.issued_on),
        "kind": notice.kind,
        "issuer": notice.issuer,
        "meeting_date": iso(notice.meeting_date),
        "signer": notice.signer,
        "references": list(notice.cited_numbers or []),
    }


def display_value(name: str, value) -> str:
    if isinstance(value, list):
        return "; ".join(value) or "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if name == "deadline_kind":
        return DeadlineKind(value).label if value in DeadlineKind.values else value
    if name == "report_cadence":
        return ReportCadence(value).label if value in ReportCadence.values else "—"
    if name in {"deadline_due", "report_due", "date", "meeting_date"} and value:
        day = as_date(value)
        return f"{day:%d/%m/%Y}" if day else str(value)
    if name == "kind":
        return NoticeKind(value).label if value in NoticeKind.values else value
    return str(value) if value not in (None, "") else "—"


def comparable(value):
    if isinstance(value, str):
        return collapse(value)
    if value is None:
        return ""
    return value


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    inline: object = None  # the review page's word diff of a long text (``notices.review``)


@dataclass
class Decision:
    """Who changed a field of a task in the system, when, and how the timeline puts it."""

    actor: str
    at: dt.datetime | None
    summary: str


@dataclass
class FieldConflict:
    """The document says one thing, the system decided another since the last import; the system's value is kept
    unless the reviewer applies the document's (``apply``)."""

    name: str
    label: str
    document: str
    system: str
    system_value: object
    decision: Decision
    apply: bool = False


def changes_between(current: dict, proposed: dict, labels: dict[str, str]) -> list[FieldChange]:
    out = []
    for name, label in labels.items():
        old, new = current.get(name), proposed.get(name)
        if comparable(old) != comparable(new):
            out.append(FieldChange(name, label, display_value(name, old), display_value(name, new)))
    return out


def _person(user) -> str:
    if user is None:
        return "hệ thống"
    return getattr(user, "full_name", "") or getattr(user, "username", "") or str(user)


def system_decisions(tasks: list[Task], *, since: dt.datetime | None) -> dict[int, dict[str, Decision]]:
    """For each task, the fields changed in the system after ``since`` (the last import), from its timeline:
    approved extensions and scheduled event deadlines move ``deadline_due``; an office edit names its fields."""
    out: dict[int, dict[str, Decision]] = {}
    events = TaskEvent.objects.filter(task__in=tasks).select_related("actor").order_by("at", "id")
    if since is not None:
        events = events.filter(at__gt=since)
    for event in events:
        names: list[str] = []
        if event.kind == TaskEventKind.EXTENSION_DECIDED and (event.details or {}).get("approved"):
            names = ["deadline_due"]
        elif event.kind == TaskEventKind.DEADLINE_SCHEDULED:
            names = ["deadline_due"]
        elif event.kind == TaskEventKind.EDITED:
            names = list(((event.details or {}).get("changes") or {}).keys())
        for name in names:
            out.setdefault(event.task_id, {})[name] = Decision(_person(event.actor), event.at, event.summary)
    return out


def _history_decision(task: Task, since) -> Decision:
    record = task.history.filter(history_date__gt=since).order_by("-history_date").first() if since else None
    if record is None:
        return Decision("hệ thống", None, "Đã sửa trong hệ thống sau lần nhập trước")
    return Decision(_person(record.history_user), record.history_date, "Đã sửa trong hệ thống sau lần nhập trước")


# --- the plan ----------------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    index: int
    row: dict
    refs: list[AgencyRef]
    status: str = "new"  # new | changed | same | dropped
    task: Task | None = None
    changes: list[FieldChange] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def unknown(self) -> list[AgencyRef]:
        return [r for r in self.refs if not r.known]

    @property
    def carried_labels(self) -> list[str]:
        """The fields that took the office's correction of the previous import, in Vietnamese."""
        return [TASK_FIELD_LABELS.get(n, "bỏ nhiệm vụ") for n in self.row.get("carried") or []]

    @property
    def applied(self) -> list[str]:
        """The fields confirming writes to the existing task: real changes and the conflicts applied."""
        names = [c.name for c in self.changes if c.name != "path"]
        return names + [c.name for c in self.conflicts if c.apply]


@dataclass
class ImportPlan:
    draft: NoticeDraft
    proposal: dict
    rows: list[RowPlan]
    existing: Notice | None
    removed: list[Task]
    notice_changes: list[FieldChange]
    previous: NoticeDraft | None = None

    @property
    def unknown_count(self) -> int:
        return sum(len(r.unknown) for r in self.rows if r.status != "dropped")

    @property
    def kept_count(self) -> int:
        return sum(1 for r in self.rows if r.status != "dropped")

    @property
    def problem_rows(self) -> list[RowPlan]:
        """Rows flagged before confirming (``row_problems``), dropped rows left out."""
        return [r for r in self.rows if r.status != "dropped" and r.problems]

    @property
    def conflicts(self) -> list[tuple[RowPlan, FieldConflict]]:
        return [(r, c) for r in self.rows if r.status != "dropped" for c in r.conflicts]

    @property
    def counts(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "same": 0, "dropped": 0}
        for row in self.rows:
            out[row.status] += 1
        out["conflicts"] = len(self.conflicts)
        return out


LONG_TASK_CHARS = 1200  # a task text longer than this probably merges several tasks
_ENUMERATOR = re.compile(r"(?:^|[\s;:,.])\((?:[ivx]{1,4}|\d{1,2}|[a-zđ])\)\s", re.IGNORECASE)


def row_problems(row: dict, refs: list[AgencyRef], *, document_date: dt.date | None) -> list[str]:
    """What the office should look at before confirming a row, in Vietnamese: no lead, an unknown agency, a deadline
    earlier than the document itself, a text so long or so enumerated that it probably merges several tasks."""
    from nq57.text.vietnamese import find_deadlines

    problems = []
    if not any(r.role == AssignmentRole.LEAD for r in refs):
        problems.append("Chưa có cơ quan chủ trì.")
    unknown = [r.name for r in refs if not r.known]
    if unknown:
        problems.append("Tên cơ quan chưa có trong danh mục: " + "; ".join(unknown) + ".")
    if document_date is not None:
        for name, label in (("deadline_due", "Hạn hoàn thành"), ("report_due", "Hạn báo cáo")):
            due = as_date(row.get(name))
            if due is not None and due < document_date:
                problems.append(f"{label} {due:%d/%m/%Y} sớm hơn ngày ban hành văn bản ({document_date:%d/%m/%Y}).")
    text = row.get("text") or ""
    dated = {m.deadline.due for m in find_deadlines(text) if m.deadline.due}
    parts = len(_ENUMERATOR.findall(text))
    if len(text) > LONG_TASK_CHARS or len(dated) > 1 or parts >= 3:
        why = [f"{len(text):,} ký tự".replace(",", ".")] if len(text) > LONG_TASK_CHARS else []
        if len(dated) > 1:
            why.append(f"{len(dated)} thời hạn khác nhau")
        if parts >= 3:
            why.append(f"{parts} ý được đánh số")
        problems.append(f"Nội dung có thể gộp nhiều nhiệm vụ ({', '.join(why)}): hãy xem có cần tách không.")
    return problems


def import_plan(*, draft: NoticeDraft, proposal: dict | None = None) -> ImportPlan:
    """What confirming ``proposal`` (default: the draft's) would do; reads only."""
    proposal = proposal if proposal is not None else draft.proposal
    cache: dict[str, Agency | None] = {}
    rows = []
    for i, row in enumerate(proposal.get("tasks") or []):
        refs = resolve_names(split_names(row.get("lead")), AssignmentRole.LEAD, cache)
        refs += resolve_names(split_names(row.get("coordinating")), AssignmentRole.COORDINATING, cache)
        rows.append(RowPlan(index=i, row=row, refs=refs, status="dropped" if row.get("drop") else "new"))
    notice_fields = proposal.get("notice") or {}
    for review in rows:
        review.problems = row_problems(review.row, review.refs, document_date=as_date(notice_fields.get("date")))
    existing = draft.notice if draft.confirmed_at else existing_notice(
        programme=draft.programme, number=notice_fields.get("number") or "")
    plan = ImportPlan(draft=draft, proposal=proposal, rows=rows, existing=existing, removed=[], notice_changes=[])
    if existing is None or draft.confirmed_at:
        return plan
    previous = plan.previous = previous_import(existing, exclude=draft)
    since = previous.confirmed_at if previous else existing.created_at
    written = (previous.written or {}) if previous else {}
    live = [r for r in rows if r.status != "dropped"]
    tasks = list(existing.tasks.filter(parent__isnull=True))
    matched, plan.removed = match_tasks(tasks, [r.row for r in live])
    decisions = system_decisions([t for t in matched.values()], since=since)
    for j, review in enumerate(live):
        task = matched.get(j)
        if task is None:
            continue
        review.task = task
        current, proposed = task_current(task), row_comparable(review.row, review.refs)
        baseline = written.get(str(task.pk))
        applied = set(review.row.get("apply") or [])
        for change in changes_between(current, proposed, TASK_FIELD_LABELS):
            name = change.name
            decision = decisions.get(task.pk, {}).get(name)
            if decision is None and baseline is not None and name in baseline \
                    and comparable(baseline[name]) != comparable(current[name]):
                decision = _history_decision(task, since)
            if decision is not None and name != "path":
                review.conflicts.append(FieldConflict(
                    name=name, label=change.label, document=change.new, system=change.old,
                    system_value=current[name], decision=decision, apply=name in applied))
            else:
                review.changes.append(change)
        # the position in the text is shown but not applied: tasks keep the path they were created with
        review.status = "changed" if review.applied else "same"
    proposed_notice = {**notice_fields, "references": split_names(notice_fields.get("references"))}
    plan.notice_changes = changes_between(notice_current(existing), proposed_notice, NOTICE_FIELD_LABELS)
    return plan
