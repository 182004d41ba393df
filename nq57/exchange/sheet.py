"""Reading the first worksheet of an uploaded .xlsx into plain row tuples, with bounded cost (no Django import: it
runs in the sandbox child, ``nq57.core.sandbox.run_limited``).

The zip is checked first (inflated sizes, compression ratio, DTDs: ``nq57.extraction.limits.check_zip``); openpyxl
then parses with defusedxml, and the walk stops at ``MAX_SHEET_ROWS`` rows (blank ones included) or
``MAX_SHEET_CELLS`` cells, whatever the sheet's declared dimension says."""

from __future__ import annotations

import io

from nq57.extraction.errors import ExtractionError
from nq57.extraction.limits import MAX_SHEET_CELLS, MAX_SHEET_ROWS, check_zip, refuse

NOT_A_WORKBOOK = "Không đọc được tệp: hãy tải lên bảng tính Excel (.xlsx)."


def read_first_sheet(data: bytes, *, max_rows: int = MAX_SHEET_ROWS, max_cells: int = MAX_SHEET_CELLS) -> list[tuple]:
    """Rows of the first worksheet as tuples of values (trailing empty cells dropped; blank rows kept as ``()`` so
    row numbers stay right). Raises ExtractionError (Vietnamese) for a file that is not a workbook or is too big."""
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise ExtractionError(NOT_A_WORKBOOK)
    try:
        check_zip(data)
    except ExtractionError as exc:
        if "hỏng" in exc.message:
            raise ExtractionError(NOT_A_WORKBOOK) from None
        raise
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ExtractionError(NOT_A_WORKBOOK) from exc
    rows: list[tuple] = []
    cells = 0
    try:
        if not workbook.worksheets:
            raise ExtractionError(NOT_A_WORKBOOK)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            if len(rows) >= max_rows:
                raise refuse(f"trang tính có hơn {max_rows} dòng, kể cả dòng trống")
            values = list(row)
            while values and (values[-1] is None or values[-1] == ""):
                values.pop()
            cells += len(values)
            if cells > max_cells:
                raise refuse(f"trang tính có hơn {max_cells} ô")
            rows.append(tuple(values))
    except ExtractionError:
        raise
    except Exception as exc:  # a DTD refused by defusedxml, broken XML, a bad cell value
        raise ExtractionError(NOT_A_WORKBOOK) from exc
    finally:
        workbook.close()
    return rows
