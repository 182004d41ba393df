"""Task lists kept in spreadsheets by the offices: one row per task (Số thông báo, Nội dung nhiệm vụ, Cơ quan chủ
trì, Cơ quan phối hợp, Thời hạn as written). Parsing reports every row-level error first; writing takes all rows in
committed chunks (``exchange.batches``), or all rows in one transaction (``excel_commit``)."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl.utils import get_column_letter

from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.core.events import publish

MAX_ROWS = 20000
EXCEL_MAX_BYTES = 20 * 1024 * 1024
HEADER_SCAN_ROWS = 15
COLUMNS = {  # key -> (label shown to users, folded header spellings accepted)
    "notice": ("Số thông báo", ("so thong bao", "so hieu thong bao", "thong bao", "so van ban")),
    "text": ("Nội dung nhiệm vụ", ("noi dung nhiem vu", "nhiem vu", "noi dung")),
    "lead": ("Cơ quan chủ trì", ("co quan chu tri", "chu tri", "don vi chu tri")),
    "coordinating": ("Cơ quan phối hợp", ("co quan phoi hop", "phoi hop", "don vi phoi hop")),
    "deadline": ("Thời hạn", ("thoi han", "thoi han hoan thanh", "han hoan thanh")),
    "path": ("Vị trí", ("vi tri", "muc", "so thu tu muc")),
}
REQUIRED = ("notice", "text", "lead", "deadline")
DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
DEADLINE_HELP = ("hãy ghi như “trước ngày 30/7/2025”, “tháng 6/2025”, “Quý III/2025”, “năm 2025”, “Thường xuyên”, "
                 "hoặc để trống nếu không nêu thời hạn")


@dataclass
class RowError:
    row: int
    column: str
    label: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột {self.column} ({self.label})" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    row: int
    notice: object
    text: str
    lead: list
    coordinating: list
    deadline_kind: str
    deadline_due: dt.date | None
    deadline_text: str
    path: str = ""


@dataclass
class ExcelPreview:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[ \t]+", " ", str(value)).strip()


def _split_agencies(value: str) -> list[str]:
    return [part.strip(" .-–•+\t") for part in re.split(r"[;\n]+", value) if part.strip(" .-–•+\t")]


class _Lookups:
    def __init__(self):
        from nq57.notices.models import Notice

        self.agencies: dict[str, object] = {}
        self.notices = {}
        for notice in Notice.objects.exclude(number="").select_related("programme").order_by("-programme__is_default",
                                                                                             "id"):
            self.notices.setdefault(notice.number.strip().casefold(), notice)

    def agency(self, name: str):
        from nq57.agencies.services import agency_lookup

        if name not in self.agencies:
            found = agency_lookup(name)
            self.agencies[name] = found.current() if found else None
        return self.agencies[name]

    def agencies_in(self, cell: str) -> tuple[list, list[str]]:
        """Agencies of a cell; "," also separates names unless the whole part is one name with a comma in it."""
        found, unknown = [], []
        for part in _split_agencies(cell):
            agency = self.agency(part)
            if agency is None and "," in part:
                pieces = [p.strip() for p in part.split(",") if p.strip()]
                resolved = [self.agency(p) for p in pieces]
                if all(resolved):
                    found.extend(resolved)
                    continue
                unknown.extend(p for p, a in zip(pieces, resolved, strict=True) if a is None)
                continue
            if agency is None:
                unknown.append(part)
            else:
                found.append(agency)
        return list(dict.fromkeys(found)), unknown


def _deadline(cell, *, year_hint: int | None) -> tuple[str, dt.date | None, str]:
    """(kind, due, text as written); raises ValueError with the Vietnamese reason."""
    from nq57.extraction.vietnamese import parse_deadline

    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return "date", cell, f"{cell:%d/%m/%Y}"
    text = _text(cell)
    if not text:
        return "none", None, ""
    for day, month, year in DMY.findall(text):
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"Ngày {day}/{month}/{year} không tồn tại.") from None
    parsed = parse_deadline(text, year_hint=year_hint)
    if parsed is None or parsed.kind == "none":
        raise ValueError(f"Không hiểu thời hạn “{text}”; {DEADLINE_HELP}.")
    return parsed.kind, parsed.due, text[:500]


def _header(rows: list[tuple]) -> tuple[int, dict[str, int]]:
    from nq57.extraction.vietnamese import fold

    for row_number, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        found: dict[str, int] = {}
        for index, value in enumerate(row):
            key = fold(_text(value)).strip(" :*")
            for name, (_, spellings) in COLUMNS.items():
                if name not in found and key in spellings:
                    found[name] = index
        if all(name in found for name in REQUIRED):
            return row_number, found
    labels = ", ".join(f"“{COLUMNS[n][0]}”" for n in REQUIRED)
    raise ServiceError(f"Không tìm thấy dòng tiêu đề trong {HEADER_SCAN_ROWS} dòng đầu của trang tính đầu tiên: "
                       f"cần các cột {labels} (và có thể có “Cơ quan phối hợp”, “Vị trí”).", field="file")


def excel_rows(file) -> list[tuple]:
    """The first worksheet's rows, read in a limited child process (``nq57.exchange.sheet``): a hostile workbook
    (zip bomb, millions of blank rows, DTD entities) is refused with a Vietnamese message, never a 500."""
    from nq57.core.sandbox import run_limited
    from nq57.exchange.sheet import read_first_sheet

    data = file.read(EXCEL_MAX_BYTES + 1)
    if len(data) > EXCEL_MAX_BYTES:
        raise ServiceError(f"Tệp lớn hơn {EXCEL_MAX_BYTES // 2**20} MB; hãy chia thành nhiều tệp.", field="file")
    return run_limited(read_first_sheet, bytes(data), memory_mb=1024, seconds=60, field="file")


def excel_parse(file) -> ExcelPreview:
    """Read the first worksheet; every row becomes a ParsedRow or one or more RowErrors (row, column, reason)."""
    rows = excel_rows(file)
    header_row, columns = _header(rows)
    lookups = _Lookups()
    preview = ExcelPreview()
    for row_number, row in enumerate(rows[header_row:], start=header_row + 1):
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        preview.total_rows += 1
        if preview.total_rows > MAX_ROWS:
            raise ServiceError(f"Tệp có quá {MAX_ROWS} nhiệm vụ; hãy chia thành nhiều tệp.", field="file")
        _parse_row(preview, row_number, cells, columns, lookups)
    return preview


def _parse_row(preview: ExcelPreview, row_number: int, cells: dict, columns: dict, lookups: _Lookups) -> None:
    errors: list[RowError] = []

    def error(name: str, message: str) -> None:
        errors.append(RowError(row_number, get_column_letter(columns[name] + 1), COLUMNS[name][0], message))

    number = _text(cells["notice"])
    notice = lookups.notices.get(number.casefold()) if number else None
    if not number:
        error("notice", "Thiếu số thông báo.")
    elif notice is None:
        error("notice", f"Không tìm thấy thông báo số “{number}”; hãy nhập thông báo vào hệ thống trước.")
    text = _text(cells["text"])
    if not text:
        error("text", "Nội dung nhiệm vụ không được để trống.")
    lead_cell = _text(cells["lead"])
    lead, unknown = lookups.agencies_in(lead_cell)
    if not lead_cell:
        error("lead", "Thiếu cơ quan chủ trì.")
    for name in unknown:
        error("lead", f"Không tìm thấy cơ quan “{name}” trong danh mục cơ quan.")
    coordinating = []
    if "coordinating" in columns:
        coordinating, unknown = lookups.agencies_in(_text(cells["coordinating"]))
        for name in unknown:
            error("coordinating", f"Không tìm thấy cơ quan “{name}” trong danh mục cơ quan.")
    kind, due, deadline_text = "none", None, ""
    try:
        kind, due, deadline_text = _deadline(cells["deadline"], year_hint=notice.issued_on.year if notice else None)
    except ValueError as exc:
        error("deadline", str(exc))
    path = _text(cells.get("path"))[:50] if "path" in columns else ""
    if errors:
        preview.errors.extend(errors)
        return
    preview.rows.append(ParsedRow(row_number, notice, text, lead, coordinating, kind, due, deadline_text, path))


def excel_specs(rows: list[ParsedRow]) -> list[dict]:
    """``tasks_bulk_create`` specs of parsed rows (themes found from each task's text)."""
    return [{"notice": row.notice, "text": row.text, "lead": row.lead, "coordinating": row.coordinating,
             "path": row.path, "deadline_kind": row.deadline_kind, "deadline_due": row.deadline_due,
             "deadline_text": row.deadline_text} for row in rows]


@transaction.atomic
def excel_commit(*, file, actor) -> list[int]:
    """Parse again (the registry may have changed since the preview) and create every task, or nothing, in one
    transaction (small files; the web and the command line write in committed chunks: ``exchange.batches``)."""
    from nq57.tasks.services import tasks_bulk_create

    access.require(access.can_manage_notices(actor), "Chỉ Cơ quan Thường trực được nhập danh sách nhiệm vụ.")
    preview = excel_parse(file)
    if preview.errors:
        raise ServiceError(f"Tệp còn {len(preview.errors)} lỗi; chưa ghi nhiệm vụ nào.",
                           errors={"rows": [str(e) for e in preview.errors[:200]]})
    if not preview.rows:
        raise ServiceError("Tệp không có dòng nhiệm vụ nào.", field="file")
    tasks = tasks_bulk_create(specs=excel_specs(preview.rows), actor=actor, reason="nhập từ bảng tính")
    publish("exchange.imported", system="excel", created_task_ids=[t.pk for t in tasks], updated_task_ids=[])
    return [task.pk for task in tasks]
