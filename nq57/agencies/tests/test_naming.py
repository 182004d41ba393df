"""One official short form per agency: charts, tables, the consolidated report (.docx/.xlsx/text) and the escalation
list show "Bộ KH&CN", "Bộ Xây dựng", "UBND TP Hà Nội" — never an internal code ("BXD", "BNG") or a foreign acronym
("HUST", "PTIT")."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from nq57.agencies.models import Agency
from nq57.agencies.naming import display_name, is_code
from nq57.core.testing import NoticeFactory, make_office, make_task
from nq57.extraction.registry import AGENCIES
from nq57.monitoring import alerts, charts, exports, services

#: every short name the registry records that is a bare code or acronym
CODES = sorted({short for record in AGENCIES for short in record.short_names if is_code(short)}, key=len,
               reverse=True)


@pytest.mark.parametrize(("name", "short", "shown"), [
    ("Bộ Khoa học và Công nghệ", "Bộ KH&CN", "Bộ KH&CN"),
    ("Bộ Xây dựng", "BXD", "Bộ Xây dựng"),
    ("Bộ Ngoại giao", "BNG", "Bộ Ngoại giao"),
    ("Ủy ban nhân dân thành phố Hà Nội", "", "UBND TP Hà Nội"),
    ("Ủy ban nhân dân Thành phố Hồ Chí Minh", "", "UBND TP Hồ Chí Minh"),
    ("Ủy ban nhân dân tỉnh Điện Biên", "", "UBND tỉnh Điện Biên"),
    ("Đại học Bách khoa Hà Nội", "HUST", "Đại học Bách khoa Hà Nội"),
    ("Học viện Công nghệ Bưu chính Viễn thông", "PTIT", "Học viện Công nghệ Bưu chính Viễn thông"),
    ("Bảo hiểm xã hội Việt Nam", "BHXH Việt Nam", "Bảo hiểm xã hội Việt Nam"),
])
def test_the_rule(name, short, shown):
    assert display_name(name, short) == shown
    assert Agency(name=name, short_name=short).display_name == shown


#: the official short forms, which may contain a code ("Bộ KH&CN"): taken out before looking for bare codes
OFFICIAL = sorted({short for record in AGENCIES for short in record.short_names if not is_code(short)}, key=len,
                  reverse=True)


#: a document number ("Số 12-BC/TGV", "Số: 05/BC-BKHCN") and the archive line ("Lưu: VT, TGV.") carry the issuer's
#: code by the rules of administrative documents: they are not agency names shown to a reader
DOCUMENT_NUMBER = re.compile(r"\d*\s*[-/]\s*BC\s*[-/]\s*[A-ZĐ][A-ZĐ&-]*|Lưu\s*:[^.;\n]*")


def _no_code(text: str, where: str) -> None:
    text = DOCUMENT_NUMBER.sub(" ", text)
    for official in OFFICIAL:
        text = text.replace(official, " ")
    for code in CODES:
        found = re.search(rf"(?<![\wĐđ&-]){re.escape(code)}(?![\wĐđ&-])", text)
        assert not found, f"{code!r} shown in {where}: …{text[max(0, found.start() - 40):found.end() + 20]}…"


@pytest.mark.django_db
def test_no_code_in_dashboard_report_or_escalation(agency_registry, client):
    today = timezone.localdate()
    notice = NoticeFactory(number="99-TB")  # no issuer code in the number: it is not an agency name
    named = ["Bộ Xây dựng", "Bộ Ngoại giao", "Đại học Bách khoa Hà Nội", "Học viện Công nghệ Bưu chính Viễn thông",
             "Bộ Khoa học và Công nghệ", "Ủy ban nhân dân thành phố Hà Nội", "Đài Truyền hình Việt Nam",
             "Tập đoàn Điện lực Việt Nam"]
    agencies = [Agency.objects.get(name=n) if Agency.objects.filter(name=n).exists()
                else Agency.objects.filter(name__iexact=n).first() for n in named]
    agencies = [a for a in agencies if a is not None]
    assert {a.short_name for a in agencies} & {"BXD", "BNG", "HUST", "PTIT"}  # the registry does store codes
    for i, agency in enumerate(agencies):
        make_task(notice=notice, lead=[agency], coordinating=[agencies[(i + 1) % len(agencies)]],
                  text=f"Nhiệm vụ {i}", path=str(i + 1), due=today - dt.timedelta(days=10 + i))

    stats = services.agency_stats(today=today)
    labels = [row["label"] for row in stats]
    assert "Bộ KH&CN" in labels and "Bộ Xây dựng" in labels and "UBND TP Hà Nội" in labels
    _no_code(" | ".join(labels), "dashboard agency stats")
    _no_code(repr([f.to_json() if hasattr(f, "to_json") else f for f in charts.dashboard_figures(today=today)]),
             "dashboard charts")
    overview = services.overview(today=today)
    _no_code(" | ".join(row["short_name"] for row in overview["overdue_by_agency"]), "overview")

    report = services.consolidated_report(as_of=today)
    _no_code(exports.report_text(report), "consolidated report (text)")
    with zipfile.ZipFile(io.BytesIO(exports.report_docx(report))) as docx:
        _no_code(re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode()), "consolidated report (.docx)")
    workbook = load_workbook(io.BytesIO(exports.report_xlsx(report)))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any("Bộ Xây dựng" in cell for cell in cells)
    _no_code(" | ".join(cells), "consolidated report (.xlsx)")
    _no_code(repr(alerts.escalation_list(today=today)), "escalation list")
    assert any(g["agency"] == "Bộ Xây dựng" for g in alerts.escalation_list(today=today))

    # the task list (a table) and its Excel export
    client.force_login(make_office("office-naming"))
    table = re.search(r"<tbody.*?</tbody>", client.get("/tasks/").content.decode(), re.S).group(0)
    assert "Bộ KH&amp;CN" in table
    _no_code(re.sub(r"<[^>]+>", " ", table).replace("&amp;", "&"), "task list")
    response = client.get("/tasks/export.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any("UBND TP Hà Nội" in cell for cell in cells)
    _no_code(" | ".join(cells), "task export")
