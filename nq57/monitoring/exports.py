"""Consolidated report exports: a Word document laid out like an administrative report (Nghị định 30/2020/NĐ-CP
layout: national motto, issuing body, place and date, title, numbered sections, "Nơi nhận"), an XLSX workbook and
plain text."""

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from nq57.core.spreadsheet import neutralise_workbook
from nq57.monitoring.issuers import Issuer, issuer_for
from nq57.monitoring.services import ConsolidatedReport
from nq57.tasks import fields

FONT = "Times New Roman"
RECIPIENTS = ("Thường trực Ban Chỉ đạo (để báo cáo);", "Các thành viên Ban Chỉ đạo;",
              "Các cơ quan chủ trì nhiệm vụ;")
#: the usable width of an A4 portrait page with the margins of Nghị định 30/2020 (left 3 cm, right 2 cm)
TEXT_WIDTH_CM = 16.0


def date_line(day: dt.date, issuer: Issuer | None = None) -> str:
    return (issuer or issuer_for()).date_line(day)


def recipients(issuer: Issuer) -> list[str]:
    return [*RECIPIENTS, issuer.archive_line]


# --- Word ------------------------------------------------------------------------------------------------------

def _font(run, *, size: float = 14, bold: bool = False, italic: bool = False, underline: bool = False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    return run


def _para(container, text: str = "", *, size: float = 14, bold=False, italic=False, underline=False,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, space_after: float = 6):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        _font(paragraph.add_run(text), size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _cell_text(cell, text: str, *, size: float = 13, bold=False, italic=False, underline=False,
               align=WD_ALIGN_PARAGRAPH.CENTER):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _fixed_widths(table, widths: list[float]) -> None:
    """Column widths that every word processor keeps: a fixed layout, the grid's columns and each cell's width
    (LibreOffice reads the grid, Word the cells; without both a long text column shrinks to an equal share)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    total = tbl_pr.find(qn("w:tblW"))
    if total is None:
        total = OxmlElement("w:tblW")
        tbl_pr.append(total)
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(int(sum(Cm(w).twips for w in widths))))
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _table(document, headers: list[str], rows: list[list], widths: list[float], *, size: float = 12):
    """A bordered table with fixed column ``widths`` (cm, adding up to at most ``TEXT_WIDTH_CM``): the long text
    column is given the width, the numbers and dates only what they need."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        _cell_text(table.rows[0].cells[i], header, size=size, bold=True)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.LEFT if isinstance(value, str) and len(value) > 12 else \
                WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cells[i], "" if value is None else str(value), size=size, align=align)
    _fixed_widths(table, widths)
    return table


def _repeat_header(row) -> None:
    """The header row is repeated at the top of every page the table runs on."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _heading(document, issuer: Issuer, issued_on: dt.date) -> None:
    """The two-column heading of Party or State documents, without borders (see ``nq57.monitoring.issuers``)."""
    header = document.add_table(rows=3, cols=2)
    motto, motto_line = issuer.motto
    left = header.cell(0, 0)
    if issuer.parent:
        _cell_text(left, issuer.parent, size=12)
        paragraph = left.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _font(paragraph.add_run(issuer.name), size=13, bold=True, underline=not issuer.is_party)
    else:
        _cell_text(left, issuer.name, size=13, bold=True, underline=not issuer.is_party)
    if issuer.is_party:
        _cell_text(header.cell(0, 1), motto, size=15, bold=True, underline=True)
        _cell_text(header.cell(1, 0), "*", size=13)
        _cell_text(header.cell(1, 1), "")
    else:
        _cell_text(header.cell(0, 1), motto, size=12, bold=True)
        paragraph = header.cell(0, 1).add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _font(paragraph.add_run(motto_line), size=13, bold=True, underline=True)
        _cell_text(header.cell(1, 0), "")
        _cell_text(header.cell(1, 1), "")
    _cell_text(header.cell(2, 0), issuer.number, size=13)
    _cell_text(header.cell(2, 1), issuer.date_line(issued_on), size=14, italic=True,
               align=WD_ALIGN_PARAGRAPH.RIGHT if issuer.is_party else WD_ALIGN_PARAGRAPH.CENTER)
    _fixed_widths(header, [6.4, TEXT_WIDTH_CM - 6.4])


def report_docx(report: ConsolidatedReport, *, issued_on: dt.date | None = None, issuer: Issuer | None = None) -> bytes:
    """The report as a Word document headed and numbered as ``issuer`` (default: the configured one) issues it."""
    issued_on = issued_on or report.as_of
    issuer = issuer or issuer_for()
    document = docx_document(title=report.title, subtitle=f"(tính đến ngày {report.as_of:%d/%m/%Y})",
                             issued_on=issued_on, issuer=issuer)
    _para(document, f"{issuer.in_sentence} báo cáo tình hình thực hiện các nhiệm vụ như sau:", indent=True)

    # I. overall
    _para(document, "I. TÌNH HÌNH CHUNG", bold=True)
    _para(document, f"Tổng số nhiệm vụ theo dõi: {report.total} nhiệm vụ. Trong đó: {report.summary}.", indent=True)
    _table(document, ["TT", "Tình trạng", "Số nhiệm vụ", "Tỷ lệ"],
           [[i, label, count, pct] for i, (label, count, pct, _url) in enumerate(report.by_status_rows, 1)]
           + [["", "Tổng cộng", report.total, "100%" if report.total else "0%"]],
           [1.2, 8.8, 3, 3])
    _para(document, "", space_after=0)
    _para(document, "Phân loại theo thời hạn (Quyết định số 42/2014/QĐ-TTg):", indent=True)
    _table(document, ["TT", "Phân loại", "Số nhiệm vụ", "Tỷ lệ"],
           [[i, label, count, pct] for i, (label, count, pct, _url) in enumerate(report.by_timing_rows, 1)],
           [1.2, 8.8, 3, 3])

    # II. late tasks
    _para(document, "", space_after=0)
    _para(document, "II. CÁC NHIỆM VỤ CHẬM MUỘN", bold=True)
    if report.late_tasks:
        _para(document, f"Có {report.late_total} nhiệm vụ chưa hoàn thành đã quá hạn, của "
                        f"{len(report.late_by_agency)} cơ quan chủ trì (danh sách chi tiết tại Phụ lục kèm theo).",
              indent=True)
        _para(document, "Tổng hợp theo cơ quan chủ trì:", indent=True)
        _table(document, ["TT", "Cơ quan chủ trì", "Số nhiệm vụ chậm", "Chậm nhiều nhất (ngày)"],
               [[i, g["agency"], g["count"], g["max_days_late"]] for i, g in enumerate(report.late_by_agency, 1)],
               [1.2, 8.3, 3.2, 3.3])
    else:
        _para(document, "Không có nhiệm vụ nào chậm muộn.", indent=True)

    # III. extensions
    _para(document, "", space_after=0)
    _para(document, "III. CÁC NHIỆM VỤ ĐƯỢC GIA HẠN TRONG KỲ", bold=True)
    period = (f"từ ngày {report.period_from:%d/%m/%Y} " if report.period_from else "") + \
        f"đến ngày {report.period_to:%d/%m/%Y}"
    if report.extensions:
        _para(document, f"Trong kỳ ({period}), Thường trực đã đồng ý gia hạn {len(report.extensions)} nhiệm vụ:",
              indent=True)
        _table(document, ["TT", "Nhiệm vụ", "Cơ quan đề xuất", "Hạn cũ", "Hạn mới"],
               [[i, e.label, e.agency, f"{e.previous_due:%d/%m/%Y}" if e.previous_due else "",
                 f"{e.new_due:%d/%m/%Y}"] for i, e in enumerate(report.extensions, 1)],
               [1.0, 7.1, 3.7, 2.1, 2.1])
    else:
        _para(document, f"Trong kỳ ({period}) không có nhiệm vụ nào được gia hạn.", indent=True)

    # IV. changes
    _para(document, "", space_after=0)
    _para(document, "IV. THAY ĐỔI SO VỚI KỲ BÁO CÁO TRƯỚC", bold=True)
    if report.previous_as_of is None:
        _para(document, "Đây là kỳ báo cáo đầu tiên của phạm vi này; chưa có số liệu để so sánh.", indent=True)
    elif not report.changes:
        _para(document, f"Không có thay đổi so với báo cáo ngày {report.previous_as_of:%d/%m/%Y}.", indent=True)
    else:
        _para(document, f"So với báo cáo ngày {report.previous_as_of:%d/%m/%Y}: {change_summary(report)}.",
              indent=True)
        _table(document, ["TT", "Nhiệm vụ", "Thay đổi"],
               [[i, c.label, c.description] for i, c in enumerate(report.changes, 1)], [1.0, 7.5, 7.5])

    # V. proposals
    _para(document, "", space_after=0)
    _para(document, "V. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    _para(document, "Đề nghị Thường trực Ban Chỉ đạo yêu cầu các cơ quan chủ trì nhiệm vụ chậm muộn báo cáo rõ "
                    "nguyên nhân, đề ra giải pháp khắc phục và thời hạn hoàn thành cụ thể.", indent=True)

    _signature(document, issuer)

    if report.late_tasks:
        _late_appendix(document, report, issuer, issued_on)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


#: the appendix's landscape page: A4 turned, 2 cm margins, 25.7 cm of text width — the task column takes 15 of it
LANDSCAPE_WIDTHS = [1.0, 15.3, 4.6, 2.6, 2.2]


def _late_appendix(document, report: ConsolidatedReport, issuer: Issuer, issued_on: dt.date) -> None:
    """The late tasks in full, as an appendix on landscape pages (a long table is not read in a 16 cm column): the
    task column is the widest, the dates and numbers only as wide as they need, the header row repeated."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
    _para(document, "Phụ lục", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(document, "DANH SÁCH CÁC NHIỆM VỤ CHẬM MUỘN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(document, f"(Kèm theo Báo cáo ngày {issued_on:%d/%m/%Y} của {issuer.in_sentence})", italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _table(document, ["TT", "Nhiệm vụ", fields.label("lead"), "Hạn", fields.label("days_late")],
           [[i, f"{t.label}: {t.text}", "; ".join(t.lead_agencies), f"{t.due:%d/%m/%Y}" if t.due else "",
             t.days_late] for i, t in enumerate(report.late_tasks, 1)],
           LANDSCAPE_WIDTHS)


def change_summary(report: ConsolidatedReport) -> str:
    counts = report.change_counts()
    words = {"done": "hoàn thành thêm", "overdue": "chuyển sang quá hạn", "back_in_time": "không còn quá hạn",
             "status": "thay đổi tình trạng", "new": "nhiệm vụ mới", "removed": "ra khỏi phạm vi"}
    return ", ".join(f"{counts[k]} {words[k]}" for k in words if counts.get(k))


# --- Excel -----------------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
#: the columns of the "every task" sheet after "TT" and "Nhiệm vụ" (``nq57.tasks.fields``)
ALL_TASKS_FIELDS = ("text", "lead", "coordinating", "deadline", "deadline_due", "status", "timing", "progress",
                    "days_late")


def _sheet_header(sheet, headers: list[str], widths: list[int], row: int = 1) -> None:
    for i, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = sheet.cell(row=row, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"A{row + 1}"  # a string: touching the cell would make append() skip a row


def report_xlsx(report: ConsolidatedReport) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    summary["A1"] = "BÁO CÁO " + report.title
    summary["A1"].font = Font(bold=True, size=13)
    summary["A2"] = f"Tính đến ngày {report.as_of:%d/%m/%Y}"
    summary["A3"] = report.summary
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 14
    summary.column_dimensions["C"].width = 12
    row = 5
    for title, rows in (("Tình trạng", report.by_status_rows), ("Phân loại theo thời hạn", report.by_timing_rows)):
        for col, header in enumerate((title, "Số nhiệm vụ", "Tỷ lệ"), 1):
            cell = summary.cell(row=row, column=col, value=header)
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
        for label, count, pct, _url in rows:
            row += 1
            summary.cell(row=row, column=1, value=label)
            summary.cell(row=row, column=2, value=count)
            summary.cell(row=row, column=3, value=pct)
        row += 1
        summary.cell(row=row, column=1, value="Tổng cộng").font = Font(bold=True)
        summary.cell(row=row, column=2, value=report.total).font = Font(bold=True)
        row += 2
    summary.cell(row=row, column=1, value="Số nhiệm vụ được gia hạn trong kỳ")
    summary.cell(row=row, column=2, value=len(report.extensions))
    row += 1
    if report.previous_as_of:
        summary.cell(row=row, column=1, value=f"Thay đổi so với báo cáo ngày {report.previous_as_of:%d/%m/%Y}")
        summary.cell(row=row, column=2, value=change_summary(report) or "không có")

    late = workbook.create_sheet("Nhiệm vụ chậm muộn")
    _sheet_header(late, ["TT", "Nhiệm vụ", *fields.headers(("text", "lead")), "Hạn", fields.label("days_late")],
                  [6, 22, 70, 36, 12, 12])
    for i, item in enumerate(report.late_tasks, 1):
        late.append([i, item.label, item.text, "; ".join(item.lead_agencies), item.due, item.days_late])
        late.cell(row=i + 1, column=5).number_format = "DD/MM/YYYY"

    everything = workbook.create_sheet("Tất cả nhiệm vụ")
    _sheet_header(everything, ["TT", "Nhiệm vụ", *fields.headers(ALL_TASKS_FIELDS)],
                  [6, 22, *fields.widths(ALL_TASKS_FIELDS)])
    for i, task in enumerate(report.task_rows(), 1):
        values = {"text": task.text, "lead": task.lead_agencies, "coordinating": task.coordinating_agencies,
                  "deadline": task.deadline_text, "deadline_due": task.due, "status": task.status,
                  "timing": task.timing, "progress": task.progress, "days_late": task.days_late}
        everything.append([i, task.label, *(fields.field(name).cell(values[name]) for name in ALL_TASKS_FIELDS)])
        everything.cell(row=i + 1, column=7).number_format = "DD/MM/YYYY"

    if report.changes:
        changes = workbook.create_sheet("Thay đổi")
        _sheet_header(changes, ["TT", "Nhiệm vụ", "Thay đổi"], [6, 24, 70])
        for i, change in enumerate(report.changes, 1):
            changes.append([i, change.label, change.description])
    neutralise_workbook(workbook)  # task texts starting with "=" stay text, never formulas
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- text ------------------------------------------------------------------------------------------------------

def report_text(report: ConsolidatedReport) -> str:
    lines = ["BÁO CÁO", report.title, f"(tính đến ngày {report.as_of:%d/%m/%Y})", "",
             "I. TÌNH HÌNH CHUNG", f"{report.summary}.", ""]
    for label, count, pct, _url in report.by_status_rows:
        lines.append(f"  - {label}: {count} ({pct})")
    lines.append("  Phân loại theo thời hạn:")
    for label, count, pct, _url in report.by_timing_rows:
        lines.append(f"  - {label}: {count} ({pct})")
    lines += ["", "II. CÁC NHIỆM VỤ CHẬM MUỘN"]
    if not report.late_tasks:
        lines.append("  Không có nhiệm vụ nào chậm muộn.")
    for i, item in enumerate(report.late_tasks, 1):
        due = f"{item.due:%d/%m/%Y}" if item.due else ""
        lines.append(f"  {i}. {item.label} — {'; '.join(item.lead_agencies)} — hạn {due}, chậm {item.days_late} ngày")
    lines += ["", "III. CÁC NHIỆM VỤ ĐƯỢC GIA HẠN TRONG KỲ"]
    if not report.extensions:
        lines.append("  Không có.")
    for i, ext in enumerate(report.extensions, 1):
        old = f"{ext.previous_due:%d/%m/%Y}" if ext.previous_due else "không có"
        lines.append(f"  {i}. {ext.label} — {ext.agency}: {old} → {ext.new_due:%d/%m/%Y}")
    lines += ["", "IV. THAY ĐỔI SO VỚI KỲ BÁO CÁO TRƯỚC"]
    if report.previous_as_of is None:
        lines.append("  Chưa có kỳ báo cáo trước để so sánh.")
    elif not report.changes:
        lines.append(f"  Không có thay đổi so với báo cáo ngày {report.previous_as_of:%d/%m/%Y}.")
    else:
        lines.append(f"  So với báo cáo ngày {report.previous_as_of:%d/%m/%Y}: {change_summary(report)}.")
        for change in report.changes:
            lines.append(f"  - {change.label}: {change.description}")
    return "\n".join(lines) + "\n"



# --- the administrative layout, for other apps' Word reports (indicators) -------------------------------------------

def docx_paragraph(container, text: str = "", **style):
    """A paragraph in the report's font and spacing (``size``, ``bold``, ``italic``, ``align``, ``indent``...)."""
    return _para(container, text, **style)


def docx_table(document, headers: list[str], rows: list[list], widths: list[float]):
    """A bordered table with a bold header row, in the report's font."""
    return _table(document, headers, rows, widths)


def docx_document(*, title: str, subtitle: str = "", issued_on: dt.date, issuer: Issuer | None = None):
    """A new A4 Word document opened like the consolidated report: the issuer's heading (Party or State layout,
    ``nq57.monitoring.issuers``), place and date, "BÁO CÁO" and the title. Write the sections with
    ``docx_paragraph``/``docx_table``, then ``docx_finish``."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _heading(document, issuer or issuer_for(), issued_on)
    _para(document, "", space_after=6)
    _para(document, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(document, title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    if subtitle:
        _para(document, subtitle, size=14, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    return document


def _signature(document, issuer: Issuer) -> None:
    """"Nơi nhận" (left) and the signer (right), as ``issuer`` signs."""
    _para(document, "", space_after=0)
    footer = document.add_table(rows=1, cols=2)
    left_cell, right_cell = footer.rows[0].cells
    _cell_text(left_cell, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in recipients(issuer):
        paragraph = left_cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _font(paragraph.add_run(f"- {line}"), size=11)
    _cell_text(right_cell, issuer.sign_on_behalf, size=13, bold=True)
    if issuer.signer_title:
        signer = right_cell.add_paragraph()
        signer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(signer.add_run(issuer.signer_title), size=13, bold=True)
    _fixed_widths(footer, [8.0, 8.0])


def docx_finish(document, *, issuer: Issuer | None = None) -> bytes:
    """The "Nơi nhận" and signature block, then the document's bytes."""
    _signature(document, issuer or issuer_for())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
