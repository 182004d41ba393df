"""Notice import, step 2 — the review page's presentation: the source text with the agencies, deadlines and
report phrases highlighted where they occur, word diffs of changed texts, and the notices the document cites.

``review_build`` = ``notices.plan.import_plan`` (what confirming would do, as data) + this presentation. The confirm
service never calls it: nothing here runs inside the confirmation's transaction.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from nq57.notices.models import Notice, NoticeDraft
from nq57.notices.plan import ImportPlan, cited_notices, import_plan
from nq57.notices.reading import split_names
from nq57.tasks.models import AssignmentRole

_MARKS = re.compile(r"[\u0300-\u036f]")


def _fold_char(ch: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFD", ch)).replace("đ", "d").replace("Đ", "D").lower()


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` built character by character, with the index in ``text`` of every folded character."""
    out: list[str] = []
    where: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
                space = True
            continue
        for c in _fold_char(ch):
            out.append(c)
            where.append(i)
            space = False
    return "".join(out), where


class SourceIndex:
    """Finds phrases in the source the way lookups compare names: folded, so any spelling or tone style matches."""

    def __init__(self, text: str):
        from nq57.extraction.vietnamese import fold, strip_markdown_emphasis

        self.text = text
        self.folded, self.where = folded_with_map(text)
        self._fold = lambda s: fold(strip_markdown_emphasis(s or ""))

    def _span(self, start: int, length: int) -> tuple[int, int]:
        begin = self.where[start]
        end = self.where[start + length - 1] + 1
        while end < len(self.text) and unicodedata.combining(self.text[end]):
            end += 1
        return begin, end

    def find(self, phrase: str, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
        """Original (start, end) of the first occurrence of ``phrase`` in folded[lo:hi]."""
        needle = self._fold(phrase)
        if not needle:
            return None
        pos = self.folded.find(needle, lo, len(self.folded) if hi is None else hi)
        return None if pos < 0 else (*self._span(pos, len(needle)), pos, pos + len(needle))

    def rfind(self, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
        needle = self._fold(phrase)
        if not needle:
            return None
        pos = self.folded.rfind(needle, lo, hi)
        return None if pos < 0 else (*self._span(pos, len(needle)), pos, pos + len(needle))

    def find_all(self, phrase: str, lo: int, hi: int) -> list[tuple[int, int]]:
        needle = self._fold(phrase)
        spans = []
        while needle:
            pos = self.folded.find(needle, lo, hi)
            if pos < 0:
                break
            spans.append(self._span(pos, len(needle)))
            lo = pos + len(needle)
        return spans


@dataclass
class Highlight:
    start: int
    end: int
    css: str
    title: str
    row: int


def source_highlights(text: str, tasks: list[dict]) -> tuple[list[Highlight], dict[int, int]]:
    """Where each task's agencies, deadline phrase and report phrase occur in the source; and where each task starts.

    A task's phrases are searched inside the task's own text in the source; an agency named in the heading above
    the task ("a) Bộ Khoa học và Công nghệ:") is found as the nearest earlier occurrence.
    """
    index = SourceIndex(text)
    marks: list[Highlight] = []
    anchors: dict[int, int] = {}
    cursor = 0
    for row, task in enumerate(tasks):
        label = f"Nhiệm vụ {task.get('path') or row + 1}"
        region = index.find((task.get("text") or "")[:200], cursor) or index.find((task.get("text") or "")[:200])
        if region:
            lo = region[2]
            full = index.find(task.get("text") or "", lo)
            hi = full[3] if full else min(len(index.folded), lo + len(index._fold(task.get("text") or "")) + 40)
            anchors[row] = region[0]
            cursor = lo
        else:
            lo, hi = 0, len(index.folded)
        for kind, css, phrase in (("thời hạn", "hl-deadline", task.get("deadline_text")),
                                  ("báo cáo", "hl-report", task.get("report_text"))):
            hit = index.find(phrase or "", lo, hi) if phrase else None
            if hit:
                marks.append(Highlight(hit[0], hit[1], css, f"{label}: {kind}", row))
        for role, names in (("chủ trì", task.get("lead") or []), ("phối hợp", task.get("coordinating") or [])):
            for name in names:
                spans = index.find_all(name, lo, hi) if region else []
                if not spans and region:
                    earlier = index.rfind(name, max(0, lo - 3000), lo)
                    spans = [earlier[:2]] if earlier else []
                for start, end in spans:
                    marks.append(Highlight(start, end, "hl-agency", f"{label}: cơ quan {role}", row))
    return marks, anchors


def source_html(text: str, tasks: list[dict]) -> SafeString:
    """The source text, escaped, with ``<mark>`` around the highlights and an anchor where each task starts."""
    marks, anchors = source_highlights(text, tasks)
    points: list[tuple[int, int, str]] = [(pos, 0, f'<span class="src-anchor" id="src-{row}"></span>')
                                          for row, pos in anchors.items()]
    marks.sort(key=lambda m: (m.start, -(m.end - m.start)))
    last_end = -1
    for mark in marks:
        if mark.start < last_end:
            continue  # overlapping highlights: the first (longest) wins
        last_end = mark.end
        points.append((mark.start, 1, f'<mark class="{mark.css}" data-row="{mark.row}" title="{escape(mark.title)}">'))
        points.append((mark.end, -1, "</mark>"))
    points.sort(key=lambda p: (p[0], p[1]))
    out, pos = [], 0
    for at, _, tag in points:
        out.append(escape(text[pos:at]))
        out.append(tag)
        pos = at
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the source is escaped above


def word_diff(old: str, new: str, *, context: int = 6) -> SafeString:
    a, b = old.split(), new.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            if len(words) > 2 * context:
                head = " ".join(words[:context]) if out else ""
                tail = " ".join(words[-context:]) if i2 < len(a) or j2 < len(b) else ""
                out.append(escape(" ".join(x for x in (head, "…", tail) if x)))
            else:
                out.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every word is escaped above


@dataclass
class Review:
    """The review page: the plan (rows, changes, conflicts, existing notice) and its presentation."""

    plan: ImportPlan
    source: SafeString
    cited: list[Notice]

    def __getattr__(self, name):
        if name == "plan":
            raise AttributeError(name)
        return getattr(self.plan, name)


def review_build(*, draft: NoticeDraft, proposal: dict | None = None) -> Review:
    """Everything the review page shows; reads only."""
    plan = import_plan(draft=draft, proposal=proposal)
    for row in plan.rows:
        for change in row.changes:
            if change.name in {"text", "section"}:
                change.inline = word_diff(change.old, change.new)
    highlight_rows = [{**r.row, "lead": [x.name for x in r.refs if x.role == AssignmentRole.LEAD],
                       "coordinating": [x.name for x in r.refs if x.role == AssignmentRole.COORDINATING]}
                      for r in plan.rows]
    notice_fields = plan.proposal.get("notice") or {}
    return Review(
        plan=plan,
        source=source_html(draft.source_text, highlight_rows),
        cited=cited_notices(split_names(notice_fields.get("references")), programme=draft.programme,
                            exclude=plan.existing),
    )
