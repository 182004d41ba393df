"""Notice import ("Nhập thông báo"): read an uploaded or pasted notice, extract its tasks, let the office review and
correct them, then create (or, for a notice already in the system, update) the Notice and its tasks in one go.

Flow: ``draft_create`` (read + extract, nothing else written on bad input) -> ``review_build`` (read only: agency
resolution, highlights in the source, changes against the notice already imported) -> ``draft_save`` (keep the
reviewer's edits) -> ``draft_confirm`` (one transaction; an unknown agency or an invalid row writes nothing).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from nq57.agencies.models import Agency
from nq57.agencies.services import agency_lookup
from nq57.core import access
from nq57.core.errors import ConflictError, ServiceError
from nq57.core.uploads import check_upload
from nq57.notices.models import Notice, NoticeDraft, NoticeKind, Programme
from nq57.tasks.models import AssignmentRole, DeadlineKind, ReportCadence, Task, TaskEventKind

IMPORT_MAX_BYTES = 20 * 1024 * 1024
# The readers of nq57.extraction decide whether a .txt/.html is really text (UTF-8, UTF-16, Windows-1258), so those
# only go through the size, extension and executable checks here; .pdf and .docx must start with their signature.
IMPORT_FILE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".txt": (b"",),
    ".html": (b"",),
    ".htm": (b"",),
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
}
DATED_KINDS = {DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR}
UNDATED_KINDS = {DeadlineKind.RECURRING, DeadlineKind.ROADMAP, DeadlineKind.NONE}
SIMILARITY_THRESHOLD = 0.6

TASK_FIELD_LABELS = {
    "path": "Vị trí",
    "section": "Mục",
    "text": "Nội dung",
    "lead": "Cơ quan chủ trì",
    "coordinating": "Cơ quan phối hợp",
    "coordinating_others": "Có cơ quan liên quan khác phối hợp",
    "deadline_kind": "Loại thời hạn",
    "deadline_due": "Hạn hoàn thành",
    "deadline_text": "Thời hạn (nguyên văn)",
    "report_cadence": "Chế độ báo cáo",
    "report_due": "Hạn báo cáo",
    "report_text": "Yêu cầu báo cáo (nguyên văn)",
}
NOTICE_FIELD_LABELS = {
    "number": "Số hiệu",
    "date": "Ngày ban hành",
    "kind": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "meeting_date": "Ngày họp",
    "signer": "Người ký",
    "references": "Văn bản được dẫn",
}


# --------------------------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------------------------


def number_key(number: str | None) -> str:
    """Compare notice numbers insensitive to case, diacritics and spaces: "25-TB/TGV" == "25 - tb/tgv"."""
    from nq57.extraction.vietnamese import fold

    return re.sub(r"\s+", "", fold(number or "")).upper()


def split_names(value) -> list[str]:
    """Agency names typed one per line or separated by ";" (a list passes through, cleaned)."""
    parts = value if isinstance(value, list | tuple) else re.split(r"[;\n]", value or "")
    names, seen = [], set()
    for part in parts:
        name = " ".join(str(part).split()).strip(" ,.")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _iso(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value or ""


def _date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


# --------------------------------------------------------------------------------------------------------------------
# Reading and extraction
# --------------------------------------------------------------------------------------------------------------------


def source_read(*, upload=None, text: str = "") -> tuple[str, str, bytes | None]:
    """(text, file name, raw bytes) of an uploaded file, or of pasted text; ServiceError in Vietnamese otherwise."""
    from nq57.core.sandbox import run_limited
    from nq57.extraction import read_document

    if upload is not None:
        if (upload.size or 0) > IMPORT_MAX_BYTES:
            raise ServiceError(
                f"Tệp “{PurePath(upload.name).name}” quá lớn ({filesizeformat(upload.size)}): chỉ nhận tệp tối đa "
                "20 MB. Hãy tách văn bản hoặc dán phần nội dung cần nhập.",
                field="upload",
            )
        try:
            check_upload(upload, max_bytes=IMPORT_MAX_BYTES, allowed=IMPORT_FILE_TYPES)
        except ServiceError as error:
            raise ServiceError(error.message, field="upload") from None
        name = PurePath(upload.name).name
        upload.seek(0)
        data = upload.read()
        # read in a limited child process: a hostile file costs a refusal, not the web process's memory
        return run_limited(read_document, data, name, field="upload"), name, data
    if not (text or "").strip():
        raise ServiceError("Hãy chọn tệp văn bản hoặc dán nội dung thông báo.", field="text")
    size = len(text.encode("utf-8"))
    if size > IMPORT_MAX_BYTES:
        raise ServiceError(
            f"Nội dung dán vào có dung lượng {filesizeformat(size)}, vượt quá giới hạn "
            f"{filesizeformat(IMPORT_MAX_BYTES)}.",
            field="text",
        )
    return text, "", None


def proposal_from_extraction(extracted: dict) -> dict:
    """The editable proposal the review page starts from: the extractor's output in the task model's terms."""
    notice = extracted.get("notice") or {}
    default = notice.get("default_deadline") or None
    kind = notice.get("kind") or NoticeKind.CONCLUSION_NOTICE
    tasks = []
    for index, item in enumerate(extracted.get("tasks") or []):
        deadline = item.get("deadline") or {}
        if (not deadline or deadline.get("kind") in (None, "", DeadlineKind.NONE)) and default:
            deadline = default
        report = item.get("report") or {}
        deadline_kind = deadline.get("kind") or DeadlineKind.NONE
        tasks.append({
            "key": index,
            "path": item.get("path") or "",
            "section": item.get("section") or "",
            "text": item.get("text") or "",
            "lead": list(item.get("lead") or []),
            "coordinating": list(item.get("coordinating") or []),
            "coordinating_others": bool(item.get("coordinating_others")),
            "deadline_kind": deadline_kind if deadline_kind in DeadlineKind.values else DeadlineKind.NONE,
            "deadline_due": deadline.get("due") or "",
            "deadline_text": deadline.get("raw") or "",
            "report_cadence": (report.get("cadence") or "") if (report.get("cadence") or "") in ReportCadence.values
            else "",
            "report_due": report.get("due") or "",
            "report_text": report.get("raw") or "",
            "drop": False,
        })
    return {
        "notice": {
            "number": notice.get("number") or "",
            "date": notice.get("date") or "",
            "kind": kind if kind in NoticeKind.values else NoticeKind.OTHER,
            "issuer": notice.get("issuer") or "",
            "meeting_date": notice.get("meeting_date") or "",
            "signer": notice.get("signer") or "",
            "references": list(notice.get("references") or []),
        },
        "tasks": tasks,
    }


@transaction.atomic
def draft_create(*, actor, programme: Programme, upload=None, text: str = "") -> NoticeDraft:
    """Read and extract a notice; keep it as a draft for review. Bad input raises ServiceError and writes nothing."""
    from nq57.core.sandbox import run_limited
    from nq57.extraction import extract_text

    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập thông báo.")
    if programme is None:
        raise ServiceError("Hãy chọn chương trình.", field="programme")
    source_text, name, data = source_read(upload=upload, text=text)
    extracted = run_limited(extract_text, source_text, source=name or None,
                            field="upload" if upload is not None else "text")
    if not extracted.get("tasks"):
        raise ServiceError(
            "Không tìm thấy nhiệm vụ nào trong văn bản. Hãy kiểm tra đây có đúng là thông báo kết luận, chương trình "
            "hành động hoặc tin bài giao nhiệm vụ không.",
            field="upload" if upload is not None else "text",
        )
    draft = NoticeDraft(
        programme=programme,
        source_name=name,
        source_text=source_text,
        extracted=extracted,
        proposal=proposal_from_extraction(extracted),
        created_by=actor,
    )
    if data is not None:
        draft.source_file.save(name, ContentFile(data), save=False)
    draft.save()
    return draft


@transaction.atomic
def draft_save(*, draft: NoticeDraft, actor, proposal: dict) -> NoticeDraft:
    """Keep the reviewer's edits so the review page (highlights, changes) reflects them."""
    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập thông báo.")
    if draft.confirmed_at:
        raise ConflictError("Bản nhập này đã được xác nhận.")
    draft.proposal = proposal
    draft.save(update_fields=["proposal"])
    return draft


# --------------------------------------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------------------------------------


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


def _resolve(names: list[str], role: str, cache: dict[str, Agency | None]) -> list[AgencyRef]:
    refs = []
    for name in names:
        if name not in cache:
            cache[name] = agency_lookup(name)
        agency = cache[name]
        refs.append(AgencyRef(name=name, role=role, agency=agency,
                              suggestions=[] if agency else agency_suggestions(name)))
    return refs


# --------------------------------------------------------------------------------------------------------------------
# Highlights in the source
# --------------------------------------------------------------------------------------------------------------------

_MARKS = re.compile(r"[\u0300-\u036f]")


def _fold_char(ch: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFD", ch)).replace("đ", "d").replace("Đ", "D").lower()


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` built character by character, with the index in ``text`` of every folded character."""
    out: list[str] = []
    where: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
                space = True
            continue
        for c in _fold_char(ch):
            out.append(c)
            where.append(i)
            space = False
    return "".join(out), where


class SourceIndex:
    """Finds phrases in the source the way lookups compare names: folded, so any spelling or tone style matches."""

    def __init__(self, text: str):
        from nq57.extraction.vietnamese import fold, strip_markdown_emphasis

        self.text = text
        self.folded, self.where = folded_with_map(text)
        self._fold = lambda s: fold(strip_markdown_emphasis(s or ""))

    def _span(self, start: int, length: int) -> tuple[int, int]:
        begin = self.where[start]
        end = self.where[start + length - 1] + 1
        while end < len(self.text) and unicodedata.combining(self.text[end]):
            end += 1
        return begin, end

    def find(self, phrase: str, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
        """Original (start, end) of the first occurrence of ``phrase`` in folded[lo:hi]."""
        needle = self._fold(phrase)
        if not needle:
            return None
        pos = self.folded.find(needle, lo, len(self.folded) if hi is None else hi)
        return None if pos < 0 else (*self._span(pos, len(needle)), pos, pos + len(needle))

    def rfind(self, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
        needle = self._fold(phrase)
        if not needle:
            return None
        pos = self.folded.rfind(needle, lo, hi)
        return None if pos < 0 else (*self._span(pos, len(needle)), pos, pos + len(needle))

    def find_all(self, phrase: str, lo: int, hi: int) -> list[tuple[int, int]]:
        needle = self._fold(phrase)
        spans = []
        while needle:
            pos = self.folded.find(needle, lo, hi)
            if pos < 0:
                break
            spans.append(self._span(pos, len(needle)))
            lo = pos + len(needle)
        return spans


@dataclass
class Highlight:
    start: int
    end: int
    css: str
    title: str
    row: int


def source_highlights(text: str, tasks: list[dict]) -> tuple[list[Highlight], dict[int, int]]:
    """Where each task's agencies, deadline phrase and report phrase occur in the source; and where each task starts.

    A task's phrases are searched inside the task's own text in the source; an agency named in the heading above
    the task ("a) Bộ Khoa học và Công nghệ:") is found as the nearest earlier occurrence.
    """
    index = SourceIndex(text)
    marks: list[Highlight] = []
    anchors: dict[int, int] = {}
    cursor = 0
    for row, task in enumerate(tasks):
        label = f"Nhiệm vụ {task.get('path') or row + 1}"
        region = index.find((task.get("text") or "")[:200], cursor) or index.find((task.get("text") or "")[:200])
        if region:
            lo = region[2]
            full = index.find(task.get("text") or "", lo)
            hi = full[3] if full else min(len(index.folded), lo + len(index._fold(task.get("text") or "")) + 40)
            anchors[row] = region[0]
            cursor = lo
        else:
            lo, hi = 0, len(index.folded)
        for kind, css, phrase in (("thời hạn", "hl-deadline", task.get("deadline_text")),
                                  ("báo cáo", "hl-report", task.get("report_text"))):
            hit = index.find(phrase or "", lo, hi) if phrase else None
            if hit:
                marks.append(Highlight(hit[0], hit[1], css, f"{label}: {kind}", row))
        for role, names in (("chủ trì", task.get("lead") or []), ("phối hợp", task.get("coordinating") or [])):
            for name in names:
                spans = index.find_all(name, lo, hi) if region else []
                if not spans and region:
                    earlier = index.rfind(name, max(0, lo - 3000), lo)
                    spans = [earlier[:2]] if earlier else []
                for start, end in spans:
                    marks.append(Highlight(start, end, "hl-agency", f"{label}: cơ quan {role}", row))
    return marks, anchors


def source_html(text: str, tasks: list[dict]) -> SafeString:
    """The source text, escaped, with ``<mark>`` around the highlights and an anchor where each task starts."""
    marks, anchors = source_highlights(text, tasks)
    points: list[tuple[int, int, str]] = [(pos, 0, f'<span class="src-anchor" id="src-{row}"></span>')
                                          for row, pos in anchors.items()]
    marks.sort(key=lambda m: (m.start, -(m.end - m.start)))
    last_end = -1
    for mark in marks:
        if mark.start < last_end:
            continue  # overlapping highlights: the first (longest) wins
        last_end = mark.end
        points.append((mark.start, 1, f'<mark class="{mark.css}" data-row="{mark.row}" title="{escape(mark.title)}">'))
        points.append((mark.end, -1, "</mark>"))
    points.sort(key=lambda p: (p[0], p[1]))
    out, pos = [], 0
    for at, _, tag in points:
        out.append(escape(text[pos:at]))
        out.append(tag)
        pos = at
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the source is escaped above


# --------------------------------------------------------------------------------------------------------------------
# Re-import: matching proposed rows to the tasks already imported
# --------------------------------------------------------------------------------------------------------------------


def existing_notice(*, programme: Programme, number: str) -> Notice | None:
    key = number_key(number)
    if not key:
        return None
    for notice in Notice.objects.filter(programme=programme).only("id", "number"):
        if number_key(notice.number) == key:
            return Notice.objects.get(pk=notice.pk)
    return None


def _similarity(a: str, b: str) -> float:
    from nq57.extraction.vietnamese import fold

    matcher = difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD or matcher.quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def match_tasks(existing: list[Task], rows: list[dict]) -> tuple[dict[int, Task], list[Task]]:
    """Pair proposed rows with existing tasks: same path first, then the most similar text. Returns
    ({row index: task}, unmatched existing tasks)."""
    matched: dict[int, Task] = {}
    free = {task.pk: task for task in existing}
    by_path: dict[str, list[Task]] = {}
    for task in existing:
        if task.path:
            by_path.setdefault(task.path, []).append(task)
    for i, row in enumerate(rows):
        candidates = [t for t in by_path.get(row.get("path") or "", []) if t.pk in free]
        if row.get("path") and candidates:
            best = max(candidates, key=lambda t: _similarity(t.text, row.get("text") or ""))
            matched[i] = free.pop(best.pk)
    pairs = []
    for i, row in enumerate(rows):
        if i in matched:
            continue
        for task in free.values():
            score = _similarity(task.text, row.get("text") or "")
            if score >= SIMILARITY_THRESHOLD:
                pairs.append((score, i, task.pk))
    for _, i, pk in sorted(pairs, key=lambda p: -p[0]):
        if i not in matched and pk in free:
            matched[i] = free.pop(pk)
    return matched, sorted(free.values(), key=lambda t: (t.position, t.pk))


def _task_current(task: Task) -> dict:
    assignments = list(task.assignments.select_related("agency"))
    return {
        "path": task.path,
        "section": task.section,
        "text": task.text,
        "lead": sorted(a.agency.name for a in assignments if a.role == AssignmentRole.LEAD),
        "coordinating": sorted(a.agency.name for a in assignments if a.role == AssignmentRole.COORDINATING),
        "coordinating_others": task.coordinating_others,
        "deadline_kind": task.deadline_kind,
        "deadline_due": _iso(task.deadline_due),
        "deadline_text": task.deadline_text,
        "report_cadence": task.report_cadence,
        "report_due": _iso(task.report_due),
        "report_text": task.report_text,
    }


def _row_comparable(row: dict, refs: list[AgencyRef]) -> dict:
    def names(role):
        return sorted({(r.agency.current().name if r.agency else r.name) for r in refs if r.role == role})

    return {
        "path": row.get("path") or "",
        "section": _collapse(row.get("section"))[:500],
        "text": (row.get("text") or "").strip(),
        "lead": names(AssignmentRole.LEAD),
        "coordinating": names(AssignmentRole.COORDINATING),
        "coordinating_others": bool(row.get("coordinating_others")),
        "deadline_kind": row.get("deadline_kind") or DeadlineKind.NONE,
        "deadline_due": _iso(row.get("deadline_due")),
        "deadline_text": _collapse(row.get("deadline_text"))[:500],
        "report_cadence": row.get("report_cadence") or "",
        "report_due": _iso(row.get("report_due")),
        "report_text": _collapse(row.get("report_text"))[:500],
    }


def _display(name: str, value) -> str:
    if isinstance(value, list):
        return "; ".join(value) or "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if name == "deadline_kind":
        return DeadlineKind(value).label if value in DeadlineKind.values else value
    if name == "report_cadence":
        return ReportCadence(value).label if value in ReportCadence.values else "—"
    if name in {"deadline_due", "report_due", "date", "meeting_date"} and value:
        day = _date(value)
        return f"{day:%d/%m/%Y}" if day else str(value)
    if name == "kind":
        return NoticeKind(value).label if value in NoticeKind.values else value
    return str(value) if value not in (None, "") else "—"


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str

    @property
    def inline(self) -> SafeString | None:
        """For long texts: one line with only the changed words marked (``<del>``/``<ins>``), some context around."""
        if self.name not in {"text", "section"}:
            return None
        return word_diff(self.old, self.new)


def word_diff(old: str, new: str, *, context: int = 6) -> SafeString:
    a, b = old.split(), new.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            if len(words) > 2 * context:
                head = " ".join(words[:context]) if out else ""
                tail = " ".join(words[-context:]) if i2 < len(a) or j2 < len(b) else ""
                out.append(escape(" ".join(x for x in (head, "…", tail) if x)))
            else:
                out.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every word is escaped above


def _changes(current: dict, proposed: dict, labels: dict[str, str]) -> list[FieldChange]:
    out = []
    for name, label in labels.items():
        old, new = current.get(name), proposed.get(name)
        if _comparable(old) != _comparable(new):
            out.append(FieldChange(name, label, _display(name, old), _display(name, new)))
    return out


def _comparable(value):
    if isinstance(value, str):
        return _collapse(value)
    if value is None:
        return ""
    return value


def _notice_current(notice: Notice) -> dict:
    return {
        "number": notice.number,
        "date": _iso(notice.issued_on),
        "kind": notice.kind,
        "issuer": notice.issuer,
        "meeting_date": _iso(notice.meeting_date),
        "signer": notice.signer,
        "references": list(notice.cited_numbers or []),
    }


# --------------------------------------------------------------------------------------------------------------------
# Review
# --------------------------------------------------------------------------------------------------------------------


@dataclass
class RowReview:
    index: int
    row: dict
    refs: list[AgencyRef]
    status: str = "new"  # new | changed | same | dropped
    task: Task | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def unknown(self) -> list[AgencyRef]:
        return [r for r in self.refs if not r.known]


@dataclass
class Review:
    draft: NoticeDraft
    proposal: dict
    rows: list[RowReview]
    existing: Notice | None
    removed: list[Task]
    notice_changes: list[FieldChange]
    source: SafeString
    cited: list[Notice]

    @property
    def unknown_count(self) -> int:
        return sum(len(r.unknown) for r in self.rows if r.status != "dropped")

    @property
    def kept_count(self) -> int:
        return sum(1 for r in self.rows if r.status != "dropped")

    @property
    def counts(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "same": 0, "dropped": 0}
        for row in self.rows:
            out[row.status] += 1
        return out


def _notice_map() -> dict[str, list[Notice]]:
    out: dict[str, list[Notice]] = {}
    for notice in Notice.objects.only("id", "number", "programme_id", "issued_on"):
        key = number_key(notice.number)
        if key:
            out.setdefault(key, []).append(notice)
    return out


def cited_notices(references: list[str], *, programme: Programme | None = None,
                  exclude: Notice | None = None) -> list[Notice]:
    """The notices of the system that ``references`` name (numbers compared case- and space-insensitively)."""
    by_key = _notice_map()
    found = []
    for ref in references:
        candidates = [n for n in by_key.get(number_key(ref), []) if not exclude or n.pk != exclude.pk]
        if candidates:
            candidates.sort(key=lambda n: (programme is None or n.programme_id != programme.pk, -n.pk))
            if candidates[0] not in found:
                found.append(candidates[0])
    return found


def review_build(*, draft: NoticeDraft, proposal: dict | None = None) -> Review:
    """Everything the review page shows; reads only."""
    proposal = proposal if proposal is not None else draft.proposal
    tasks = proposal.get("tasks") or []
    cache: dict[str, Agency | None] = {}
    rows = []
    for i, row in enumerate(tasks):
        refs = _resolve(split_names(row.get("lead")), AssignmentRole.LEAD, cache)
        refs += _resolve(split_names(row.get("coordinating")), AssignmentRole.COORDINATING, cache)
        rows.append(RowReview(index=i, row=row, refs=refs, status="dropped" if row.get("drop") else "new"))
    notice_fields = proposal.get("notice") or {}
    existing = draft.notice if draft.confirmed_at else existing_notice(
        programme=draft.programme, number=notice_fields.get("number") or "")
    removed: list[Task] = []
    notice_changes: list[FieldChange] = []
    if existing is not None and not draft.confirmed_at:
        live = [r for r in rows if r.status != "dropped"]
        matched, removed = match_tasks(list(existing.tasks.filter(parent__isnull=True)), [r.row for r in live])
        for j, review in enumerate(live):
            task = matched.get(j)
            if task is None:
                continue
            review.task = task
            review.changes = _changes(_task_current(task), _row_comparable(review.row, review.refs), TASK_FIELD_LABELS)
            # the position in the text is shown but not applied: tasks keep the path they were created with
            review.status = "changed" if any(c.name != "path" for c in review.changes) else "same"
        proposed_notice = {**notice_fields, "references": split_names(notice_fields.get("references"))}
        notice_changes = _changes(_notice_current(existing), proposed_notice, NOTICE_FIELD_LABELS)
    highlight_rows = [{**r.row, "lead": [x.name for x in r.refs if x.role == AssignmentRole.LEAD],
                       "coordinating": [x.name for x in r.refs if x.role == AssignmentRole.COORDINATING]}
                      for r in rows]
    return Review(
        draft=draft,
        proposal=proposal,
        rows=rows,
        existing=existing,
        removed=removed,
        notice_changes=notice_changes,
        source=source_html(draft.source_text, highlight_rows),
        cited=cited_notices(split_names(notice_fields.get("references")), programme=draft.programme,
                            exclude=existing),
    )


# --------------------------------------------------------------------------------------------------------------------
# Confirm
# --------------------------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    notice: Notice
    created: list[Task]
    updated: list[Task]
    unchanged: list[Task]
    removed: list[Task]
    reimport: bool
    registered: list[Agency] = field(default_factory=list)

    @property
    def message(self) -> str:
        added = ""
        if self.registered:
            added = (f" Đã thêm {len(self.registered)} tên mới vào danh mục cơ quan: "
                     + "; ".join(a.name for a in self.registered) + ".")
        if not self.reimport:
            return f"Đã nhập thông báo {self.notice} với {len(self.created)} nhiệm vụ." + added
        text = (f"Đã cập nhật thông báo {self.notice}: {len(self.created)} nhiệm vụ mới, {len(self.updated)} nhiệm vụ "
                f"được sửa, {len(self.unchanged)} nhiệm vụ không đổi.")
        if self.removed:
            labels = ", ".join(t.path or f"#{t.pk}" for t in self.removed)
            text += (f" Lưu ý: {len(self.removed)} nhiệm vụ không còn trong văn bản mới ({labels}) vẫn được giữ "
                     "nguyên cùng các báo cáo của chúng; hãy xem xét từng nhiệm vụ.")
        return text + added


def _validate(proposal: dict, review: Review) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    fields = proposal.get("notice") or {}
    issued_on = _date(fields.get("date"))
    if issued_on is None:
        add("notice.date", "Cần có ngày ban hành của thông báo (ngày/tháng/năm).")
    meeting_date = _date(fields.get("meeting_date"))
    if fields.get("meeting_date") and meeting_date is None:
        add("notice.meeting_date", "Ngày họp không hợp lệ.")
    kind = fields.get("kind") or NoticeKind.CONCLUSION_NOTICE
    if kind not in NoticeKind.values:
        add("notice.kind", "Loại văn bản không hợp lệ.")
    if len(fields.get("number") or "") > 100:
        add("notice.number", "Số hiệu quá dài (tối đa 100 ký tự).")
    clean_notice = {
        "number": _collapse(fields.get("number"))[:100],
        "issued_on": issued_on,
        "kind": kind,
        "issuer": _collapse(fields.get("issuer"))[:300],
        "meeting_date": meeting_date,
        "signer": _collapse(fields.get("signer"))[:200],
        "references": split_names(fields.get("references")),
    }
    kept = [r for r in review.rows if r.status != "dropped"]
    if not kept:
        add("tasks", "Cần giữ lại ít nhất một nhiệm vụ.")
    for review_row in kept:
        key, row = f"tasks.{review_row.index}", review_row.row
        label = row.get("path") or review_row.index + 1
        if not (row.get("text") or "").strip():
            add(key, f"Nhiệm vụ {label}: nội dung không được để trống.")
        if not any(r.role == AssignmentRole.LEAD for r in review_row.refs):
            add(key, f"Nhiệm vụ {label}: cần có ít nhất một cơ quan chủ trì.")
        for ref in review_row.unknown:
            hint = f" Có phải: {'; '.join(ref.suggestions)}?" if ref.suggestions else ""
            add(key, f"Nhiệm vụ {label}: không tìm thấy cơ quan “{ref.name}” trong danh mục cơ quan. Hãy sửa lại tên "
                     f"hoặc chọn một cơ quan có trong danh mục.{hint}")
        kind_value = row.get("deadline_kind") or DeadlineKind.NONE
        due = _date(row.get("deadline_due"))
        if row.get("deadline_due") and due is None:
            add(key, f"Nhiệm vụ {label}: hạn hoàn thành không hợp lệ.")
        if kind_value not in DeadlineKind.values:
            add(key, f"Nhiệm vụ {label}: loại thời hạn không hợp lệ.")
        elif kind_value in DATED_KINDS and due is None:
            add(key, f"Nhiệm vụ {label}: thời hạn loại “{DeadlineKind(kind_value).label}” cần có hạn hoàn thành.")
        elif kind_value in UNDATED_KINDS and due is not None:
            add(key, f"Nhiệm vụ {label}: thời hạn loại “{DeadlineKind(kind_value).label}” không có hạn hoàn thành; "
                     "hãy xóa ngày hoặc đổi loại thời hạn.")
        cadence = row.get("report_cadence") or ""
        if cadence and cadence not in ReportCadence.values:
            add(key, f"Nhiệm vụ {label}: chế độ báo cáo không hợp lệ.")
        if row.get("report_due") and _date(row.get("report_due")) is None:
            add(key, f"Nhiệm vụ {label}: hạn báo cáo không hợp lệ.")
    return clean_notice, errors


def _task_values(row: dict) -> dict:
    return {
        "text": (row.get("text") or "").strip(),
        "section": _collapse(row.get("section"))[:500],
        "coordinating_others": bool(row.get("coordinating_others")),
        "deadline_kind": row.get("deadline_kind") or DeadlineKind.NONE,
        "deadline_due": _date(row.get("deadline_due")),
        "deadline_text": _collapse(row.get("deadline_text"))[:500],
        "report_cadence": row.get("report_cadence") or "",
        "report_due": _date(row.get("report_due")),
        "report_text": _collapse(row.get("report_text"))[:500],
    }


def _written_names(refs: list[AgencyRef]) -> dict[int, str]:
    from nq57.extraction.vietnamese import fold

    return {r.agency.pk: r.name for r in refs if r.agency and fold(r.name) != fold(r.agency.name)}


def notice_link_citations(*, notice: Notice) -> None:
    """``notice.cites`` = the notices of the system it cites; and every notice citing it now links to it."""
    notice.cites.set(cited_notices(list(notice.cited_numbers or []), programme=notice.programme, exclude=notice))
    own = number_key(notice.number)
    if not own:
        return
    for other in Notice.objects.exclude(pk=notice.pk).only("id", "cited_numbers"):
        if own in {number_key(n) for n in other.cited_numbers or []}:
            other.cites.add(notice)


COLLECTIVE_PREFIXES = ("cac ", "mot so ", "nhung ", "toan the ")


def register_unknown_addressees(*, review: Review) -> list[Agency]:
    """Add the names the registry does not know to it, as the reviewer confirmed them: a collective ("Các thành
    phố", "Một số tỉnh đủ điều kiện") or another addressee (a leader named in person, a body not yet listed)."""
    from nq57.agencies.models import AgencyKind
    from nq57.extraction.vietnamese import canon, fold

    added: dict[str, Agency] = {}
    for row in review.rows:
        if row.status == "dropped":
            continue
        for ref in row.unknown:
            name = _collapse(canon(ref.name))[:300]
            key = fold(name)
            if not key or key in added:
                continue
            agency = agency_lookup(name)
            if agency is None:
                kind = AgencyKind.COLLECTIVE if key.startswith(COLLECTIVE_PREFIXES) else AgencyKind.OTHER
                agency = Agency.objects.create(name=name, kind=kind)
            added[key] = agency
    return list(added.values())


@transaction.atomic
def draft_confirm(
    *, draft: NoticeDraft, actor, proposal: dict | None = None, register_unknown: bool = False
) -> ImportResult:
    """Create the notice and its tasks (or apply the changes to the notice already imported) in one transaction.

    Raises ServiceError with ``errors`` keyed ``notice.<field>`` / ``tasks.<row>`` and writes nothing when a row is
    invalid, e.g. names an agency that is not in the registry — unless the reviewer chose ``register_unknown``: then
    those names are added to the registry (and listed in the result) within the same transaction.
    """
    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập thông báo.")
    draft = NoticeDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.confirmed_at:
        raise ConflictError("Bản nhập này đã được xác nhận trước đó.")
    proposal = proposal if proposal is not None else draft.proposal
    review = review_build(draft=draft, proposal=proposal)
    registered: list[Agency] = []
    if register_unknown and review.unknown_count:
        registered = register_unknown_addressees(review=review)
        review = review_build(draft=draft, proposal=proposal)
    fields, errors = _validate(proposal, review)
    if errors:
        count = len([k for k in errors if k.startswith("tasks.")])
        message = "Chưa thể xác nhận: " + (f"{count} nhiệm vụ cần sửa" if count else "thông tin thông báo cần sửa")
        if review.unknown_count:
            message += f" ({review.unknown_count} tên cơ quan không có trong danh mục)"
        raise ServiceError(message + ". Chưa có gì được ghi.", errors=errors)

    notice = review.existing
    reimport = notice is not None
    if notice is None:
        notice = Notice(programme=draft.programme, created_by=actor)
    notice.number = fields["number"]
    notice.issued_on = fields["issued_on"]
    notice.kind = fields["kind"]
    notice.issuer = fields["issuer"]
    notice.meeting_date = fields["meeting_date"]
    notice.signer = fields["signer"]
    notice.cited_numbers = fields["references"]
    notice.full_text = draft.source_text
    if draft.source_file:
        with draft.source_file.open("rb") as handle:
            notice.source_file.save(draft.source_name or PurePath(draft.source_file.name).name,
                                    ContentFile(handle.read()), save=False)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        raise ConflictError(
            f"Thông báo số {notice.number} vừa được nhập bởi người khác. Hãy tải lại trang để xem những gì thay đổi."
        ) from None
    notice_link_citations(notice=notice)

    from nq57.tasks.services import event_record, task_create, task_update

    created, updated, unchanged = [], [], []
    position = (max((t.position for t in notice.tasks.filter(parent__isnull=True)), default=0)) if reimport else 0
    service_errors: dict[str, list[str]] = {}
    for row in (r for r in review.rows if r.status != "dropped"):
        values = _task_values(row.row)
        lead = [r.agency for r in row.refs if r.role == AssignmentRole.LEAD]
        coordinating = [r.agency for r in row.refs if r.role == AssignmentRole.COORDINATING]
        try:
            if row.task is None:
                position += 1
                created.append(task_create(
                    notice=notice, actor=actor, path=(row.row.get("path") or "")[:50], position=position,
                    lead=lead, coordinating=coordinating, assigned_names=_written_names(row.refs), **values,
                ))
            elif row.status == "changed":
                changed = {name: values[name] for name in values if name in {c.name for c in row.changes}}
                names = {c.name for c in row.changes}
                if "lead" in names:
                    changed["lead"] = [a.current() for a in lead]
                if "coordinating" in names:
                    changed["coordinating"] = [a.current() for a in coordinating]
                updated.append(task_update(task=row.task, actor=actor, expected_version=None, **changed))
            else:
                unchanged.append(row.task)
        except ServiceError as error:
            service_errors.setdefault(f"tasks.{row.index}", []).append(
                f"Nhiệm vụ {row.row.get('path') or row.index + 1}: {error.message}")
    if service_errors:
        raise ServiceError("Chưa thể xác nhận: có nhiệm vụ cần sửa. Chưa có gì được ghi.", errors=service_errors)
    for task in review.removed:
        event_record(task=task, kind=TaskEventKind.EDITED, actor=actor,
                     summary=f"Khi nhập lại thông báo {notice}, nhiệm vụ này không còn trong văn bản mới; nhiệm vụ "
                             "được giữ nguyên để Cơ quan Thường trực xem xét.",
                     details={"reimport_draft": draft.pk, "missing_from_source": True})
    draft.proposal = proposal
    draft.notice = notice
    draft.confirmed_at = timezone.now()
    draft.save(update_fields=["proposal", "notice", "confirmed_at"])
    return ImportResult(notice=notice, created=created, updated=updated, unchanged=unchanged,
                        removed=review.removed, reimport=reimport, registered=registered)
