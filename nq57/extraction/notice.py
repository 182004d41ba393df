"""Metadata of a document: number, issue date, kind, issuer, meeting date, signer, references, targets."""

from __future__ import annotations

import re
from datetime import date

from nq57.text.vietnamese import fold, strip_markdown_emphasis

from .agencies import RE_PERSON

_F = re.IGNORECASE
RE_NUMBER = re.compile(
    r"\bSố\s*:?\s*(\d{1,4}\s*[-/]\s*[A-ZĐ]{1,6}(?:\s*[-/]\s*[A-ZĐ]{1,8}){0,3})(?![\w/-])"
)
RE_DOC_REF = re.compile(r"\b(\d{1,4}-(?:TB|KH|KL|BC|CV|CTr)/(?:TGV|BCĐTW|BCĐ|TW|BCĐTƯ))\b")
RE_ISSUE_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", _F)
RE_NUM_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")  # 24/5/2025, 24-5-2025
RE_MEETING = re.compile(
    r"(?:^|[\s(])(?:Ngày|Sáng|Chiều|Tối|Trưa)\s+(?:ngày\s+)?(?:hôm\s+nay\s+)?(?:\()?(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?"
)
RE_CADRE = re.compile(r"^(?:\[đã ký\]|KT\.|TM\.|Q\.)", _F)

_STEERING = "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
ISSUERS = (
    ("/tgv", "Tổ Giúp việc " + _STEERING),
    ("/bcdtw", _STEERING),
    ("nq-cp", "Chính phủ"),
    ("qd-ttg", "Thủ tướng Chính phủ"),
    ("/vptw", "Văn phòng Trung ương Đảng"),
)


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_number(text: str) -> str | None:
    m = RE_NUMBER.search(text[:4000])
    if not m:
        return None
    return re.sub(r"\s+", "", m.group(1))


# the place-and-date line of the header with the day left blank for the signer ("Hà Nội, ngày    tháng    năm 2026")
RE_BLANK_ISSUE_DATE = re.compile(
    r"^[^\n,]{2,40},\s*ngày\s*[.…_ ]*\s+tháng\s*[.…_ ]*\s+năm\b(?:\s*\d{4})?\s*$", _F | re.MULTILINE
)


def find_issue_date(text: str) -> date | None:
    head = text[:4000]
    blank = RE_BLANK_ISSUE_DATE.search(head[:1500])
    if blank:
        # the document's own date is blank: never take a cited document's or an event's date instead
        first = RE_ISSUE_DATE.search(head)
        if first is None or first.start() > blank.start():
            return None
    for m in RE_ISSUE_DATE.finditer(head):
        # skip the dates of cited resolutions ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024")
        before = fold(head[max(0, m.start() - 60):m.start()])
        if re.search(r"(?:so|nq|tw|cp|qd|ttg)[\w/-]*\s*,?\s*$", before):
            continue
        d = _date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            return d
    for m in RE_NUM_DATE.finditer(text[:1500]):
        d = _date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if d:
            return d
    return None


def find_meeting_date(preamble: str, issue: date | None) -> date | None:
    for m in RE_MEETING.finditer(preamble):
        y = int(m.group(3)) if m.group(3) else (issue.year if issue else None)
        if y is None:
            continue
        d = _date(y, int(m.group(2)), int(m.group(1)))
        if d and (issue is None or d <= issue):
            return d
    return None


def find_issuer(number: str | None, text: str) -> str | None:
    if number:
        f = fold(number)
        for key, name in ISSUERS:
            if key in f:
                return name
    head = [ln.strip() for ln in text[:600].split("\n") if ln.strip()]
    for i, ln in enumerate(head):
        if fold(ln).startswith("cong thong tin dien tu") and i + 1 < len(head):
            return f"Cổng thông tin điện tử {head[i + 1]}"
    return None


def find_signer(lines: list[str]) -> str | None:
    stripped = [strip_markdown_emphasis(ln).strip() if len(ln) < 60 else "" for ln in lines]
    start = 0
    for i, ln in enumerate(stripped):
        if fold(ln).lstrip("*_ ").startswith("noi nhan"):
            start = i
            break
    candidates = [i for i, ln in enumerate(stripped) if ln and RE_PERSON.fullmatch(ln)]
    after = [i for i in candidates if i > start]
    if after:
        return stripped[after[0]]
    return stripped[candidates[-1]] if candidates else None


# Every reference contains "-<kind>/": find those with a literal-prefixed pattern (fast), then match the whole
# reference from the start of the digit run before it. At most one start can match (a word boundary cannot fall
# inside a run of digits) and references cannot overlap, so this yields exactly RE_DOC_REF.finditer(text).
RE_DOC_REF_HINT = re.compile(r"-(?:TB|KH|KL|BC|CV|CTr)/")


def _doc_refs(text: str):
    for hint in RE_DOC_REF_HINT.finditer(text):
        i = hint.start()
        for j in range(max(0, i - 4), i):
            m = RE_DOC_REF.match(text, j)
            if m:
                yield m
                break


def find_references(text: str, own: str | None) -> list[str]:
    out: list[str] = []
    for m in _doc_refs(text):
        ref = m.group(1)
        if own and fold(ref) == fold(own):
            continue
        if ref not in out:
            out.append(ref)
    return out


_NS = r"(?:[^.;]|(?<=\d)\.(?=\d))"
RE_TARGET_SENT = re.compile(
    r"(?:^|(?<=[.;:]\s))(?:" + _NS + r"*?\bmục\s+tiêu\s+cụ\s+thể\b" + _NS + r"*|Phấn\s+đấu\b" + _NS
    + r"*|Mục\s+tiêu\s*:" + _NS + r"*)[.;]?"
)
RE_TARGET_YEAR = re.compile(r"(?:đến|tới|vào|trong)\s+năm\s+(\d{4})", _F)
RE_NUMBER_VALUE = re.compile(r"\d+(?:[.,]\d+)*\s*%?")


def sentence_targets(text: str) -> list[dict]:
    """Goal sentences ("Phấn đấu đến năm 2030, ...", "Mục tiêu: ...") of an item text."""
    out: list[dict] = []
    low = text.lower()
    if "phấn đấu" not in low and "mục tiêu" not in low:
        return out
    clean = re.sub(r"\s+", " ", strip_markdown_emphasis(text)).strip()
    for m in RE_TARGET_SENT.finditer(clean):
        sent = m.group(0).strip()
        value = RE_NUMBER_VALUE.search(re.sub(r"\b(?:19|20)\d{2}\b", "", sent))
        if not value:
            continue
        ym = RE_TARGET_YEAR.search(sent)
        out.append({"text": sent, "year": int(ym.group(1)) if ym else None,
                    "value": value.group(0).strip().rstrip("%").replace(".", ""), "unit": None})
    return out


def table_year(section: str | None) -> int | None:
    if not section:
        return None
    m = RE_YEAR_GROUP_SIMPLE.search(section)
    return int(m.group(1)) if m else None


RE_YEAR_GROUP_SIMPLE = re.compile(r"năm\s+(\d{4})", _F)
