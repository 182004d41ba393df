"""Spreadsheet cells that stay text: the one helper every openpyxl writer uses before saving a workbook a person will
open (formula injection, CWE-1236).

A task text such as ``=HYPERLINK("http://…","Bấm vào đây")`` would become a live formula in Excel: openpyxl stores a
string that starts with ``=`` as a formula. Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is written as a plain string cell with Excel's "quote prefix" style, so Excel shows it exactly as typed, never
evaluates it, and keeps it as text when someone edits the cell. The visible text is not changed.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_STARTS)


def _neutralise(cell: Cell) -> Cell:
    cell.data_type = "s"  # never "f" (formula)
    cell.quotePrefix = True
    return cell


def safe_row(sheet, values) -> list:
    """*values* for ``sheet.append``, risky text turned into plain string cells (normal and write-only sheets)."""
    return [_neutralise(Cell(sheet, row=1, column=1, value=value)) if is_risky(value) else value for value in values]


def neutralise_workbook(workbook) -> None:
    """Every risky text cell of a (not write-only) workbook made a plain string cell, whichever call wrote it."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_risky(cell.value):
                    _neutralise(cell)
