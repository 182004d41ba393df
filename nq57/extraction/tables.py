"""Markdown tables of action programmes: the annex task table and target (indicator) tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nq57.text.vietnamese import fold, roman_to_int, strip_markdown_emphasis

RE_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
RE_ROW_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})?)\.?$")
RE_YEAR_GROUP = re.compile(r"(?:đến|tới)\s+năm\s+(\d{4})", re.IGNORECASE)


def split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [re.sub(r"\s+", " ", c).strip() for c in s.split("|")]


@dataclass
class TableRow:
    number: str
    cells: dict[str, str]
    section: str | None
    extra: list[dict[str, str]] = field(default_factory=list)  # continuation rows


@dataclass
class Table:
    columns: dict[str, int]
    rows: list[TableRow]
    kind: str  # tasks | targets | other


def _classify_header(cells: list[str]) -> tuple[str, dict[str, int]]:
    cols: dict[str, int] = {}
    for i, c in enumerate(cells):
        f = fold(strip_markdown_emphasis(c))
        if f in ("tt", "stt", "so tt") or f.startswith("stt"):
            cols.setdefault("number", i)
        elif "chu tri" in f:
            cols.setdefault("lead", i)
        elif "phoi hop" in f:
            cols.setdefault("coordinating", i)
        elif "thoi gian" in f or "thoi han" in f or "tien do" in f:
            cols.setdefault("deadline", i)
        elif ("thuc hien" in f or "dau moi" in f) and ("co quan" in f or "don vi" in f):
            cols.setdefault("lead", i)  # "Cơ quan thực hiện", "Đơn vị đầu mối" (no separate "chủ trì" column)
        elif "nhiem vu" in f or "noi dung" in f:
            cols.setdefault("text", i)
        elif "chi tieu" in f:
            cols.setdefault("indicator", i)
        elif "don vi" in f:
            cols.setdefault("unit", i)
        elif "ket qua" in f or "san pham" in f or "muc tieu" in f:
            cols.setdefault("result", i)
    if "lead" in cols and "text" in cols:
        return "tasks", cols
    if "indicator" in cols:
        return "targets", cols
    return "other", cols


def parse_table(lines: list[str]) -> Table | None:
    rows = [split_row(ln) for ln in lines if ln.strip() and not RE_SEPARATOR_ROW.match(ln.strip())]
    if len(rows) < 2:
        return None
    kind, cols = _classify_header(rows[0])
    if kind == "other":
        return Table(cols, [], kind)
    width = len(rows[0])
    out: list[TableRow] = []
    section: str | None = None
    num_col = cols.get("number", 0)
    for cells in rows[1:]:
        cells = (cells + [""] * width)[:max(width, 1)]
        named = {k: cells[i] if i < len(cells) else "" for k, i in cols.items()}
        first = strip_markdown_emphasis(cells[num_col] if num_col < len(cells) else "").strip()
        m = RE_ROW_NUMBER.match(first)
        if m:
            out.append(TableRow(m.group(1), named, section))
            continue
        label = first.rstrip(".")
        if label and roman_to_int(label):
            text_col = cols.get("text", cols.get("indicator", 1))
            section = strip_markdown_emphasis(cells[text_col] if text_col < len(cells) else "").strip() or None
            continue
        if not first and out and any(v for v in named.values()):
            out[-1].extra.append(named)
    return Table(cols, out, kind)


def joined_text(row: TableRow, key: str) -> str:
    """Cell text of *row* continued on the following unnumbered rows (joined with a space, repeats dropped)."""
    text = row.cells.get(key, "")
    for extra in row.extra:
        more = extra.get(key, "")
        if not more:
            continue
        if fold(more) and fold(more) in fold(text):
            continue
        text = (text + " " + more).strip()
    return text
