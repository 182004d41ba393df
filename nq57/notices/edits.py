"""Notice import — the review's structural edits on a proposal (plain data, no database): split a row in two, merge
a row with the next, add a row read from a passage of the source. ``notices.services.draft_edit`` applies them to a
draft and counts them for the extraction-quality page."""

from __future__ import annotations

import copy
import re

from nq57.core.errors import ServiceError
from nq57.notices.reading import collapse, split_names

EDITS = ("split", "merge", "add")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+")


def _rows(proposal: dict) -> list[dict]:
    return proposal.setdefault("tasks", [])


def _row(proposal: dict, index: int) -> dict:
    rows = _rows(proposal)
    if not 0 <= index < len(rows):
        raise ServiceError("Không tìm thấy nhiệm vụ cần sửa; hãy tải lại trang xem lại.")
    return rows[index]


def split_point(text: str) -> int | None:
    """Where to cut a text that was not given a cursor position: the sentence end nearest its middle."""
    middle = len(text) / 2
    cuts = [m.start() for m in _SENTENCE_END.finditer(text) if 0 < m.start() < len(text) - 1]
    return min(cuts, key=lambda c: abs(c - middle)) + 1 if cuts else None


def row_split(proposal: dict, *, index: int, at: int | None = None) -> dict:
    """``proposal`` with row ``index`` cut in two at character ``at`` (or at the sentence end nearest the middle);
    both parts keep the row's agencies, deadline and report duty, the second is a new row (no extracted origin)."""
    proposal = copy.deepcopy(proposal)
    row = _row(proposal, index)
    text = row.get("text") or ""
    cut = at if at is not None and 0 < at < len(text) else split_point(text)
    first, second = (text[:cut].strip(), text[cut:].strip()) if cut else ("", "")
    if not first or not second:
        raise ServiceError("Không tách được nhiệm vụ: hãy đặt con trỏ vào chỗ cần tách trong ô nội dung (giữa hai "
                           "phần đều có chữ) rồi bấm “Tách tại con trỏ”.")
    new = {**copy.deepcopy(row), "key": None, "text": second, "path": f"{row.get('path') or index + 1}-2",
           "apply": []}
    for memory in ("task_id", "previous_key", "carried", "document_changed"):
        new.pop(memory, None)
    row["text"] = first
    _rows(proposal).insert(index + 1, new)
    return proposal


def rows_merge(proposal: dict, *, index: int) -> dict:
    """``proposal`` with row ``index`` and the next one made one task: texts joined, agencies united (the first row's
    deadline and report duty kept unless it has none)."""
    proposal = copy.deepcopy(proposal)
    row = _row(proposal, index)
    if index + 1 >= len(_rows(proposal)):
        raise ServiceError("Nhiệm vụ cuối cùng không có nhiệm vụ tiếp theo để gộp.")
    other = _rows(proposal).pop(index + 1)
    row["text"] = " ".join(x for x in (collapse(row.get("text")), collapse(other.get("text"))) if x)
    for name in ("lead", "coordinating"):
        row[name] = split_names(split_names(row.get(name)) + split_names(other.get(name)))
    row["coordinating_others"] = bool(row.get("coordinating_others") or other.get("coordinating_others"))
    for names in (("deadline_kind", "deadline_due", "deadline_text"), ("report_cadence", "report_due", "report_text")):
        if not any(row.get(n) and row.get(n) != "none" for n in names):
            for n in names:
                row[n] = other.get(n, row.get(n))
    return proposal


def row_add(proposal: dict, *, fields: dict, after: int | None = None) -> dict:
    """``proposal`` with a new row (``fields`` as read from a passage of the source) after row ``after`` (or last)."""
    proposal = copy.deepcopy(proposal)
    rows = _rows(proposal)
    position = len(rows) if after is None or not 0 <= after < len(rows) else after + 1
    rows.insert(position, {"key": None, "path": "", "section": "", "coordinating_others": False, "drop": False,
                           "apply": [], **fields})
    return proposal
