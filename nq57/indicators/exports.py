"""Dashboard and scorecard exports: XLSX through ``core.spreadsheet`` and Word in the consolidated report's
administrative layout (``monitoring.exports`` public helpers)."""

from __future__ import annotations

import datetime as dt
import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Font

from nq57.core.spreadsheet import neutralise_workbook
from nq57.indicators import scoring
from nq57.indicators.models import IndicatorStatus
from nq57.indicators.projection import RULE_TEXT
from nq57.monitoring.exports import docx_document, docx_finish, docx_paragraph, docx_table

INDICATOR_HEADERS = ["ID", "Chỉ tiêu", "Đơn vị", "Cơ quan chủ trì", "Chủ đề", "Giá trị mới nhất", "Kỳ",
                     "Mục tiêu kế tiếp", "Năm mục tiêu", "Dự báo", "Tình trạng"]


def _num(value):
    return None if value is None else float(value)


def _period(indicator) -> str:
    if indicator.latest_year is None:
        return ""
    return f"Q{indicator.latest_quarter}/{indicator.latest_year}" if indicator.latest_quarter else \
        str(indicator.latest_year)


def indicator_row(i) -> list:
    return [i.pk, i.name, i.unit, i.agency.name if i.agency else "", i.theme.name if i.theme else "",
            _num(i.latest_value), _period(i), _num(i.next_target_value), i.next_target_year, _num(i.projected_value),
            IndicatorStatus(i.status).label]


def _bold_header(sheet, headers):
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _groups_sheet(book, title, groups, statuses):
    sheet = book.create_sheet(title)
    _bold_header(sheet, ["Nhóm"] + [label for _s, label in statuses] + ["Tổng"])
    for g in groups:
        sheet.append([g.label] + [g.counts.get(s, 0) for s, _l in statuses] + [g.total])


def dashboard_xlsx(data: dict, indicators) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    _bold_header(sheet, ["Tình trạng", "Số chỉ tiêu"])
    for _s, label, count, _url in data["overall"]:
        sheet.append([label, count])
    sheet.append(["Tổng cộng", data["total"]])
    sheet.append([])
    sheet.append(["Quy tắc: " + RULE_TEXT])
    _groups_sheet(book, "Theo chủ đề", data["by_theme"], data["statuses"])
    _groups_sheet(book, "Theo cơ quan", data["by_agency"], data["statuses"])
    _groups_sheet(book, "Theo năm mục tiêu", data["by_year"], data["statuses"])
    rows = book.create_sheet("Chỉ tiêu")
    _bold_header(rows, INDICATOR_HEADERS)
    for indicator in indicators:
        rows.append(indicator_row(indicator))
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dashboard_docx(data: dict, indicators, *, issued_on: dt.date) -> bytes:
    document = docx_document(title="TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU, MỤC TIÊU",
                             subtitle=f"(tính đến ngày {issued_on:%d/%m/%Y})", issued_on=issued_on)
    docx_paragraph(document, "I. TÌNH HÌNH CHUNG", bold=True)
    docx_paragraph(document, f"Tổng số chỉ tiêu theo dõi: {data['total']}.", indent=True)
    docx_table(document, ["TT", "Tình trạng", "Số chỉ tiêu"],
               [[n, label, count] for n, (_s, label, count, _u) in enumerate(data["overall"], 1)], [1.2, 9, 4])
    docx_paragraph(document, RULE_TEXT, size=12, italic=True, indent=True)
    for title, groups in (("II. THEO CHỦ ĐỀ", data["by_theme"]), ("III. THEO CƠ QUAN CHỦ TRÌ", data["by_agency"]),
                          ("IV. THEO NĂM MỤC TIÊU", data["by_year"])):
        docx_paragraph(document, "", space_after=0)
        docx_paragraph(document, title, bold=True)
        docx_table(document, ["TT", "Nhóm"] + [label for _s, label in data["statuses"]],
                   [[n, g.label] + [g.counts.get(s, 0) for s, _l in data["statuses"]]
                    for n, g in enumerate(groups, 1)], [1, 5.5] + [1.9] * len(data["statuses"]))
    risky = [i for i in indicators if i.status in (IndicatorStatus.AT_RISK, IndicatorStatus.OFF_TRACK)]
    docx_paragraph(document, "", space_after=0)
    docx_paragraph(document, "V. CÁC CHỈ TIÊU CÓ NGUY CƠ HOẶC CHỆCH HƯỚNG", bold=True)
    if risky:
        docx_table(document, ["TT", "Chỉ tiêu", "Cơ quan", "Mới nhất", "Mục tiêu", "Dự báo", "Tình trạng"],
                   [[n, i.name, i.agency.name if i.agency else "", _fmt(i.latest_value),
                     f"{_fmt(i.next_target_value)} ({i.next_target_year or ''})", _fmt(i.projected_value),
                     IndicatorStatus(i.status).label] for n, i in enumerate(risky[:500], 1)],
                   [1, 5, 3, 1.8, 2.2, 1.8, 2])
    else:
        docx_paragraph(document, "Không có chỉ tiêu nào có nguy cơ hoặc chệch hướng.", indent=True)
    return docx_finish(document)


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{float(value):,.2f}".replace(",", " ").replace(".", ",").rstrip("0").rstrip(",")


def scorecard_xlsx(result: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"Kết quả {result['year']}"
    criteria = result["criteria"]
    _bold_header(sheet, ["Hạng", "Đối tượng"] + [f"{c.name} (trọng số {float(c.weight):g})" for c in criteria]
                 + ["Điểm tổng", "Tỷ lệ trọng số có điểm", "Ghi chú"])
    for r in result["results"]:
        sheet.append([r.rank, str(r.subject)] + [r.scores.get(c.pk) for c in criteria]
                     + [None if r.total is None else round(r.total, 2), round(r.coverage, 3),
                        "thiếu số liệu" if r.missing else ""])
    sheet.append([])
    sheet.append(["Quy tắc: " + scoring.RULE_TEXT])
    sheet.append([f"{result['version']}"])
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def scorecard_docx(result: dict, *, issued_on: dt.date) -> bytes:
    version = result["version"]
    document = docx_document(title=f"KẾT QUẢ ĐÁNH GIÁ THEO {version.framework.name.upper()}",
                             subtitle=f"(năm {result['year']}, phiên bản {version.number})", issued_on=issued_on)
    docx_paragraph(document, "I. BỘ TIÊU CHÍ", bold=True)
    docx_table(document, ["TT", "Tiêu chí", "Trọng số", "Cách chấm"],
               [[n, c.name, f"{float(c.weight):g}", c.get_rule_display()] for n, c in enumerate(result["criteria"], 1)],
               [1.2, 8, 2.3, 4.5])
    docx_paragraph(document, scoring.RULE_TEXT, size=12, italic=True, indent=True)
    docx_paragraph(document, "", space_after=0)
    docx_paragraph(document, "II. KẾT QUẢ XẾP HẠNG", bold=True)
    docx_table(document, ["Hạng", "Đối tượng", "Điểm tổng", "Ghi chú"],
               [[r.rank or "", str(r.subject), "" if r.total is None else f"{r.total:.2f}".replace(".", ","),
                 "thiếu số liệu" if r.missing else ""] for r in result["results"]], [1.5, 8.5, 3, 3])
    paragraph = docx_paragraph(document, "", space_after=0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return docx_finish(document)
