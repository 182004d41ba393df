"""Extraction quality in real use: what the office changed between what the extractor proposed
(``NoticeDraft.extracted``) and what it confirmed (``NoticeDraft.proposal``), counted per confirmed import and kept in
``NoticeDraft.review_counts`` with the structural edits made during the review (split, merged, added)."""

from __future__ import annotations

from nq57.notices.reading import as_date, collapse, split_names

EDIT_COUNTERS = {"split": "split", "merge": "merged", "add": "added"}
COUNTER_LABELS = {
    "extracted": "Bóc tách được",
    "confirmed": "Được xác nhận",
    "dropped": "Bị bỏ",
    "added": "Thêm từ văn bản",
    "split": "Được tách",
    "merged": "Được gộp",
    "lead_changed": "Sửa cơ quan chủ trì",
    "deadline_changed": "Sửa thời hạn",
    "text_changed": "Sửa nội dung",
}


def _extracted_row(item: dict) -> dict:
    deadline = item.get("deadline") or {}
    return {"text": collapse(item.get("text")), "lead": split_names(item.get("lead")),
            "deadline_due": deadline.get("due") or "", "deadline_kind": deadline.get("kind") or "none"}


def draft_quality(*, extracted: dict, proposal: dict, edits: dict | None = None) -> dict:
    """The counters of one confirmed import (``COUNTER_LABELS``)."""
    edits = edits or {}
    proposed = [_extracted_row(item) for item in extracted.get("tasks") or []]
    rows = proposal.get("tasks") or []
    counts = {name: 0 for name in COUNTER_LABELS}
    counts.update({name: int(edits.get(name, 0)) for name in EDIT_COUNTERS.values()})
    counts["extracted"] = len(proposed)
    for row in rows:
        if row.get("drop"):
            if row.get("key") is not None:
                counts["dropped"] += 1
            continue
        counts["confirmed"] += 1
        key = row.get("key")
        if key is None or not 0 <= key < len(proposed):
            continue
        origin = proposed[key]
        if {n.casefold() for n in split_names(row.get("lead"))} != {n.casefold() for n in origin["lead"]}:
            counts["lead_changed"] += 1
        if as_date(row.get("deadline_due")) != as_date(origin["deadline_due"]):
            counts["deadline_changed"] += 1
        if collapse(row.get("text")) != origin["text"]:
            counts["text_changed"] += 1
    # rows the reviewer added by hand (no extracted origin, not produced by a split) are "added" too
    counts["added"] = max(counts["added"], sum(1 for r in rows if r.get("key") is None and not r.get("drop"))
                          - counts["split"])
    return counts


def quality_summary(drafts) -> dict:
    """Totals over confirmed imports and the rates the page prints: share of extracted tasks kept as they were,
    leads and deadlines right first time."""
    total = {name: 0 for name in COUNTER_LABELS}
    for draft in drafts:
        for name in COUNTER_LABELS:
            total[name] += int((draft.review_counts or {}).get(name, 0))
    kept = max(total["extracted"] - total["dropped"], 0)

    def rate(bad: int, of: int) -> int | None:
        return round(100 * (of - bad) / of) if of else None

    return {"total": total, "lead_right": rate(total["lead_changed"], kept),
            "deadline_right": rate(total["deadline_changed"], kept),
            "kept": rate(total["dropped"], total["extracted"])}
