"""Notice import, step 1 — reading and extraction: an uploaded file or pasted text → plain text → the extracted
document (``nq57.extraction``) → the editable proposal the review starts from.

Nothing here writes to the database; ``notices.services.draft_create`` keeps the result as a ``NoticeDraft``.
The proposal is a plain JSON shape (``{"notice": {...}, "tasks": [{...}, ...]}``) shared by the review page, the
review forms and the confirm service.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat

from nq57.core import limits
from nq57.core.errors import ServiceError
from nq57.core.uploads import NOTICE_DOCUMENT, check_upload
from nq57.notices.models import NoticeKind
from nq57.tasks import fields as task_fields
from nq57.tasks.models import DeadlineKind, ReportCadence

IMPORT_MAX_BYTES = NOTICE_DOCUMENT.limit
# the accepted types are described once, by core.uploads.NOTICE_DOCUMENT (help text, accept=, refusal)
IMPORT_FILE_TYPES: dict[str, tuple[bytes, ...] | None] = NOTICE_DOCUMENT.signatures()
FORMAT_LABELS = {".txt": "Văn bản (.txt)", ".html": "Trang web (.html)", ".htm": "Trang web (.htm)",
                 ".pdf": "PDF", ".docx": "Word (.docx)"}
PASTED_FORMAT = "Văn bản dán vào"

# One proposal row's fields, in the order the review shows them.
TASK_FIELD_LABELS = task_fields.labels(task_fields.IMPORTED)  # one description of a task's fields
NOTICE_FIELD_LABELS = {
    "number": "Số hiệu",
    "date": "Ngày ban hành",
    "kind": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "meeting_date": "Ngày họp",
    "signer": "Người ký",
    "references": "Văn bản được dẫn",
}

# A notice header: "Số: 41-TB/TGV" at the start of a line (Markdown emphasis allowed), as in nq57.extraction.notice.
NOTICE_HEADER = re.compile(
    r"^[\s*_#>|-]{0,6}Số\s*:\s*\**\s*(\d{1,4}\s*[-/]\s*[A-ZĐ]{1,6}(?:\s*[-/]\s*[A-ZĐ]{1,8}){0,3})(?![\w/-])",
    re.MULTILINE,
)


# --- small helpers of the proposal shape -------------------------------------------------------------------------


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


def iso(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value or ""


def as_date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def source_format(name: str) -> str:
    """How the import list names a draft's format: "PDF", "Word (.docx)", or "Văn bản dán vào"."""
    if not name:
        return PASTED_FORMAT
    suffix = PurePath(name).suffix.lower()
    return FORMAT_LABELS.get(suffix, suffix.lstrip(".").upper() or PASTED_FORMAT)


# --- reading -----------------------------------------------------------------------------------------------------


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
        check_upload(upload, NOTICE_DOCUMENT, field="upload")
        name = PurePath(upload.name).name
        upload.seek(0)
        data = upload.read()
        # read in a limited child process: a hostile file costs a refusal, not the web process's memory
        return run_limited(read_document, data, name, field="upload"), name, data
    if not (text or "").strip():
        raise ServiceError("Hãy chọn tệp văn bản hoặc dán nội dung thông báo.", field="text")
    if len(text) > limits.NOTICE_TEXT:
        raise ServiceError(limits.too_long_message("Nội dung dán vào", limits.NOTICE_TEXT, len(text)), field="text")
    size = len(text.encode("utf-8"))
    if size > IMPORT_MAX_BYTES:
        raise ServiceError(
            f"Nội dung dán vào có dung lượng {filesizeformat(size)}, vượt quá giới hạn "
            f"{filesizeformat(IMPORT_MAX_BYTES)}.",
            field="text",
        )
    return text, "", None


def notice_headers(text: str) -> list[str]:
    """The numbers of the notice headers ("Số: 41-TB/TGV" at the start of a line) in ``text``, in order."""
    return [re.sub(r"\s+", "", m.group(1)) for m in NOTICE_HEADER.finditer(text or "")]


def require_single_notice(text: str, *, field: str) -> None:
    """One import is one notice: a text with two notice headers is refused rather than silently cut to the first."""
    headers = notice_headers(text)
    if len(headers) > 1:
        listed = ", ".join(dict.fromkeys(headers))
        raise ServiceError(
            f"Nội dung có {len(headers)} thông báo (số hiệu: {listed}). Mỗi lần chỉ nhập một thông báo: hãy tách "
            "và nhập từng thông báo riêng.",
            field=field,
        )


def known_agency_names() -> list[str]:
    """The organisations the office registered (names and aliases), so the extractor knows every name the database
    knows, not only its built-in registry: an agency added once is recognised in every later import."""
    from nq57.agencies.models import Agency, AgencyAlias

    names = list(Agency.objects.filter(dissolved_on__isnull=True).values_list("name", flat=True))
    return names + list(AgencyAlias.objects.values_list("alias", flat=True))


def document_extract(*, text: str, name: str = "", field: str = "text") -> dict:
    """The extracted document (nq57.extraction's shape) of one notice's text; ServiceError in Vietnamese."""
    from nq57.core.sandbox import run_limited
    from nq57.extraction import extract_text

    require_single_notice(text, field=field)
    # a limited child process: deeply nested or huge text costs a refusal, not the web process's time
    extracted = run_limited(extract_text, text, source=name or None, agencies=known_agency_names(), field=field)
    if not extracted.get("tasks"):
        raise ServiceError(
            "Không tìm thấy nhiệm vụ nào trong văn bản. Hãy kiểm tra đây có đúng là thông báo kết luận, chương trình "
            "hành động hoặc tin bài giao nhiệm vụ không.",
            field=field,
        )
    return extracted


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
    targets = [{"key": index, "text": collapse(item.get("text")), "year": item.get("year"),
                "value": str(item.get("value") or ""), "unit": item.get("unit") or "", "keep": True}
               for index, item in enumerate(extracted.get("targets") or []) if collapse(item.get("text"))]
    return {
        "targets": targets,
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


FRAGMENT_MAX_CHARS = 20_000
_BULLET = re.compile(r"^\s*(?:[-–+*•]|\(?[0-9]{1,3}[.)]|\(?[a-zđ][.)]|\(?[ivxIVX]{1,5}[.)])\s+")


def fragment_fields(text: str, *, document_date: dt.date | None = None) -> dict:
    """A proposal row read from a passage the reviewer selected in the source (a task the extractor missed): its
    text without the bullet mark, the agencies the extractor finds in it (lead / partners), its deadline and report
    duty. ServiceError in Vietnamese for an empty or oversized selection."""
    from nq57.core.sandbox import run_limited
    from nq57.extraction import extract_text
    from nq57.text.vietnamese import analyse_schedule

    passage = collapse(text)
    if not passage:
        raise ServiceError("Hãy bôi đen đoạn văn bản của nhiệm vụ trong cột “Văn bản nguồn” rồi bấm thêm.",
                           field="selection")
    if len(passage) > FRAGMENT_MAX_CHARS:
        raise ServiceError(f"Đoạn đã chọn quá dài ({len(passage):,} ký tự); một nhiệm vụ chỉ nên là một đoạn ngắn "
                           f"(tối đa {FRAGMENT_MAX_CHARS:,} ký tự).".replace(",", "."), field="selection")
    passage = _BULLET.sub("", passage)
    try:
        found = run_limited(extract_text, passage, agencies=known_agency_names(), field="selection").get("tasks") or []
    except ServiceError:
        found = []  # a passage too short or too plain for the extractor still becomes a row, without agencies
    lead = split_names([name for item in found for name in item.get("lead") or []])
    coordinating = [n for n in split_names([name for item in found for name in item.get("coordinating") or []])
                    if n not in lead]
    deadline, report = analyse_schedule(passage, year_hint=document_date.year if document_date else None)
    return {
        "text": passage,
        "lead": lead,
        "coordinating": coordinating,
        "deadline_kind": deadline.kind if deadline.kind in DeadlineKind.values else DeadlineKind.NONE,
        "deadline_due": iso(deadline.due),
        "deadline_text": deadline.raw or "",
        "report_cadence": (report.cadence or "") if report and (report.cadence or "") in ReportCadence.values else "",
        "report_due": iso(report.due) if report else "",
        "report_text": report.raw if report else "",
    }
