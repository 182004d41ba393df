"""Metadata of a document: number, issue date, kind, issuer, meeting date, signer, references, targets."""

from __future__ import annotations

import re
from datetime import date

from nq57.text.vietnamese import fold, strip_markdown_emphasis

from .agencies import RE_PERSON

_F = re.IGNORECASE
# "Số: 13/CT-TTg", "Số: 88/NQ-CP", "Số: 09/KH-BTNMT", "Số 3260-KH/ĐĐQH15" (a Party body's number carries its term)
RE_NUMBER = re.compile(
    r"\bSố\s*:?\s*(\d{1,5}\s*[-/]\s*[A-ZĐ]{1,6}(?:\s*[-/]\s*[A-ZĐ][A-ZĐa-z]{0,7}\d{0,2}){0,3})(?![\w/-])"
)
# a number whose "Số:" an OCR run lost or garbled, on a header line: "41 /CT-TTs Ha Nội, ngày ..."
RE_NUMBER_BARE = re.compile(
    r"(?<![\w/-])(\d{1,5})\s*/\s*(CT|NQ|QĐ|TB|KH|CV|BC|KL|TTr|CĐ)\s*-\s*([A-ZĐ][A-Za-zĐ]{1,7})(?![\w/-])"
)
# issuing bodies' codes in a State document number and who they are ("/CT-TTg": the Prime Minister)
ISSUER_CODES = {
    "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ", "VPCP": "Văn phòng Chính phủ",
}
RE_DOC_REF = re.compile(r"\b(\d{1,4}-(?:TB|KH|KL|BC|CV|CTr)/(?:TGV|BCĐTW|BCĐ|TW|BCĐTƯ))\b")
RE_ISSUE_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", _F)
RE_NUM_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")  # 24/5/2025, 24-5-2025
RE_MEETING = re.compile(
    r"(?:^|[\s(])(?:Ngày|Sáng|Chiều|Tối|Trưa)\s+(?:ngày\s+)?(?:hôm\s+nay\s+)?(?:\()?(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?"
)
RE_OFFICIAL_HEAD = re.compile(r"CỘNG\s+H[OÒ][ÀA]\s+XÃ\s+HỘI|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|^\s*Số\b", re.MULTILINE)
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


def _ocr_code(code: str) -> str:
    """An issuer code one letter off a known one of the same length ("TTs" read for "TTg") is that code."""
    if code in ISSUER_CODES:
        return code
    for known in ISSUER_CODES:
        if len(known) == len(code) and sum(a != b for a, b in zip(known, code, strict=True)) == 1 \
                and known[:-1] == code[:-1]:
            return known
    return code


def find_number(text: str) -> str | None:
    head = strip_markdown_emphasis(text[:4000]) if "*" in text[:4000] else text[:4000]
    m = RE_NUMBER.search(head)
    if m:
        return re.sub(r"\s+", "", m.group(1))
    if re.search(r"\bSố\s*:?\s*[.…_ ]*/", head):
        return None  # "Số:      /TB-UBND": the number is still blank
    if not RE_OFFICIAL_HEAD.search(head[:2500]):
        return None  # no official header (a news article citing "Chỉ thị 05/CT-TTg ngày ...")
    lines = [ln for ln in head[:2500].split("\n") if ln.strip()][:15]  # the header, before the body
    for line in lines:
        m = RE_NUMBER_BARE.search(line)
        if m and len(line) < 160 and not re.search(
                r"(?:số|sô|so|thị|quyết|định|báo|hoạch|văn|luận)\s*$", line[:m.start()], re.IGNORECASE):
            # not a cited document ("Chỉ thị số 05/CT-TTg"): a header line of its own
            if re.search(r"\b(?:CHỈ\s+THỊ|NGHỊ\s+QUYẾT|ngày|ngà)", line[m.end():m.end() + 40] + line[:m.start()],
                         re.IGNORECASE) or line[:m.start()].strip(" |").isupper():
                return f"{m.group(1)}/{m.group(2)}-{_ocr_code(m.group(3))}"
    return None


# the place-and-date line of the header with the day left blank for the signer ("Hà Nội, ngày    tháng    năm 2026")
RE_BLANK_ISSUE_DATE = re.compile(
    r"^[^\n,]{2,40},\s*ngày\s*[.…_ ]*\s+tháng\s*(?:[.…_ ]*|\d{1,2})\s+năm\b(?:\s*\d{4})?[\s|*_]*$",
    _F | re.MULTILINE
)


def find_issue_date(text: str) -> date | None:
    head = text[:4000]
    if "*" in head:
        head = strip_markdown_emphasis(head)  # "*Hà Nội, ngày* *15* *tháng 01 năm 2026*"
        head = re.sub(r"[ \t]{2,}", " ", head)
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


# what follows a date that is not a meeting: a document issued, signed or entering into force that day
RE_NOT_MEETING = re.compile(r"[^.;]{0,80}?\b(?:ban\s+hành|đã\s+ký|ký\s+ban\s+hành|có\s+hiệu\s+lực)\b", _F)


def find_meeting_date(preamble: str, issue: date | None) -> date | None:
    for m in RE_MEETING.finditer(preamble):
        if RE_NOT_MEETING.match(preamble, m.end()):
            continue  # "Ngày 22/12/2024, Bộ Chính trị đã ban hành Nghị quyết ...": no meeting
        y = int(m.group(3)) if m.group(3) else (issue.year if issue else None)
        if y is None:
            continue
        d = _date(y, int(m.group(2)), int(m.group(1)))
        if d and (issue is None or d <= issue):
            return d
    return None


RE_HEADER_STOP = re.compile(r"CỘNG\s+H[OÒ][ÀA]|Độc\s+lập|ĐỘC\s+LẬP|^\s*Số\b|, ngày", re.IGNORECASE)
RE_PARTY_TOP = re.compile(r"^(?:ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|BAN\s+CHẤP\s+HÀNH\s+TRUNG\s+ƯƠNG)$")
RE_PLACE_LINE = re.compile(r"^(?:TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|ĐẶC\s+KHU)\b")
# words written with a capital inside an official name
_PROPER = ("Quốc hội", "Chính phủ", "Trung ương", "Việt Nam", "Nhà nước", "Mặt trận Tổ quốc", "Thủ tướng")


def _sentence_case(name: str) -> str:
    low = name.lower()
    out = low[:1].upper() + low[1:]
    for word in _PROPER:
        out = re.sub(r"\b" + word.lower() + r"\b", word, out)
    return re.sub(r"\b(tỉnh|thành phố) (\w)", lambda m: m.group(1) + " " + m.group(2).upper(), out)


def header_issuer(text: str, resolver=None) -> str | None:
    """The issuing body named in capitals at the head of an official document, left of the national motto:
    "VĂN PHÒNG CHÍNH PHỦ", "ỦY BAN NHÂN DÂN / THÀNH PHỐ HÀ NỘI", "ĐẢNG CỘNG SẢN VIỆT NAM / BAN CHẤP HÀNH TRUNG ƯƠNG /
    ĐẢNG ĐOÀN QUỐC HỘI" (the last body named), also written as a header table ("CHÍNH PHỦ | CỘNG HÒA ...")."""
    lines: list[str] = []
    for raw in text[:1200].split("\n"):
        line = strip_markdown_emphasis(raw).strip().lstrip("#").strip()
        cut = RE_HEADER_STOP.search(line)
        if cut:
            line = line[:cut.start()]
        line = line.strip(" |-—–_*")
        if line and line.isupper() and len(line) > 3 and not RE_PARTY_TOP.match(line) \
                and not re.search(r"[\d:/]", line):
            lines.append(" ".join(line.split()))
        if cut:
            break
    if not lines:
        return None
    name = lines[-1]
    if RE_PLACE_LINE.match(name) and len(lines) > 1:
        name = lines[-2] + " " + name
    official = resolver.resolve(name) if resolver is not None else None
    return official or _sentence_case(name)


def find_issuer(number: str | None, text: str, resolver=None) -> str | None:
    if number:
        f = fold(number)
        for key, name in ISSUERS:
            if key in f:
                return name
        code = number.rsplit("-", 1)[-1] if "/" in number.split("-")[0] else None
        if code in ISSUER_CODES:
            return ISSUER_CODES[code]
    if RE_OFFICIAL_HEAD.search(text[:1500]):
        name = header_issuer(text, resolver)
        if name:
            return name
    head = [ln.strip() for ln in text[:600].split("\n") if ln.strip()]
    for i, ln in enumerate(head):
        if fold(ln).startswith("cong thong tin dien tu") and i + 1 < len(head):
            return f"Cổng thông tin điện tử {head[i + 1]}"
    return None


RE_RECIPIENTS_CELL = re.compile(r"N[ơo]i\s+nh[ậa]n\s*:")


def find_signer(lines: list[str]) -> str | None:
    if any(("|" in ln or "<br" in ln) and "nhận" in ln and RE_RECIPIENTS_CELL.search(ln) for ln in lines[-80:]):
        # the signature block in a table beside "Nơi nhận" ("| Nơi nhận: ... | KT. CHỦ TỊCH<br>...<br>Trần Văn B |"):
        # each cell, and each line of a cell, is a line of its own
        cells: list[str] = list(lines[:-80])
        for ln in lines[-80:]:
            cells.extend(re.split(r"\s*(?:\||<br\s*/?>)\s*", ln) if ("|" in ln or "<br" in ln) else [ln])
        lines = cells
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


def _series(number: str | None) -> str | None:
    """The series of a State document number: "/CT-TTg" of "11/CT-TTg", "/NQ-CP" of "12/NQ-CP"."""
    m = re.fullmatch(r"\d{1,5}(/[A-ZĐ]{1,6}-[A-ZĐ][A-Za-zĐ]{0,7})", number or "")
    return m.group(1) if m else None


def find_references(text: str, own: str | None) -> list[str]:
    """Other documents of the Party committees' series the notices cite (TB/TGV, KH/BCĐTW, ...), and those of the
    document's own State series ("Chỉ thị số 05/CT-TTg" cited by a directive "11/CT-TTg")."""
    series = _series(own)
    found: list[tuple[int, str]] = [] if series else [(m.start(), m.group(1)) for m in _doc_refs(text)]
    if series and series in text:
        # find the series literally, then read the digits before it (a regex opening with \d would try every position)
        at = text.find(series)
        while at >= 0:
            head = text[max(0, at - 8):at]
            m = re.search(r"(?<![\w/-])(\d{1,5})\s*$", head)
            after = text[at + len(series):at + len(series) + 1]
            if m and not (after.isalnum() or after in "-_"):
                found.append((at - len(head) + m.start(1), m.group(1) + series))
            at = text.find(series, at + 1)
    out: list[str] = []
    for _, ref in sorted(found):
        if own and fold(ref) == fold(own):
            continue
        if ref not in out:
            out.append(ref)
    return out


_NS = r"(?:[^.;]|(?<=\d)\.(?=\d))"
# a goal sentence: "Phấn đấu ..." (its further years after ";" included: "...; đến năm 2030 có thêm ..."),
# "Mục tiêu: ...", "... mục tiêu cụ thể ...", and a sentence that opens with its year ("Đến năm 2030, ...",
# "Năm 2025, ...")
RE_TARGET_SENT = re.compile(
    r"(?:^|(?<=[.;:]\s)|(?<=trong đó\s)|(?<=trong đó,\s))(?:" + _NS + r"*?\bmục\s+tiêu\s+cụ\s+thể\b" + _NS
    + r"*|(?:Phấn|phấn)\s+đấu\b" + _NS + r"*(?:;\s*(?:đến|tới)\s+năm\s+\d{4}" + _NS + r"*)*|Mục\s+tiêu\s*:" + _NS
    + r"*|(?:(?:Đến|Tới)\s+)?[Nn]ăm\s+(?:19|20)\d{2}\s*,\s" + _NS + r"*)[.;]?"
)
RE_TARGET_YEAR = re.compile(r"(?:(?:đến|tới|vào|trong|trước)\s+năm|^Năm)\s+(\d{4})", _F)
RE_NUMBER_VALUE = re.compile(r"\d+(?:[.,]\d+)*\s*%?")
# a ranked goal has no number: "nằm trong nhóm dẫn đầu khu vực", "một trong những trung tâm hàng đầu", "Top 3"
RE_RANK_VALUE = re.compile(r"\b(?:dẫn\s+đầu|hàng\s+đầu|top\s*\d*|nhóm\s+\d+|xếp\s+hạng)\b", _F)
RE_GOAL_CUE = re.compile(r"ục\s+tiêu\s*:|ục\s+tiêu\s+cụ\s+thể")
RE_YEAR_OPENING_HINT = re.compile(r"(?:^|[.;:]\s+)(?:(?:Đến|Tới)\s+)?[Nn]ăm\s+(?:19|20)\d{2}\s*,")
RE_OPENS_WITH_YEAR = re.compile(r"^(?:(?:Đến|Tới)\s+)?[Nn]ăm\s+\d{4}")


def target_year(text: str) -> int | None:
    """The year a goal is set for: the latest one it names ("đến năm 2025 ...; đến năm 2030 ..." -> 2030)."""
    years = [int(y) for y in RE_TARGET_YEAR.findall(text)]
    return max(years) if years else None


def sentence_targets(text: str) -> list[dict]:
    """Goal sentences ("Phấn đấu đến năm 2030, ...", "Mục tiêu: ...", "Đến năm 2030, ...") of an item text."""
    out: list[dict] = []
    # the cues in either case without lowering the whole text: "Phấn đấu"/"phấn đấu", "Mục tiêu"/"mục tiêu"
    if "hấn đấu" not in text and "ục tiêu" not in text and ("ăm" not in text or not RE_YEAR_OPENING_HINT.search(text)):
        return out
    if "hấn đấu" not in text and not RE_GOAL_CUE.search(text) and not RE_YEAR_OPENING_HINT.search(text):
        return out  # "mục tiêu" named in passing ("thực hiện các mục tiêu, nhiệm vụ"): no goal sentence
    clean = re.sub(r"\s+", " ", strip_markdown_emphasis(text)).strip()
    for m in RE_TARGET_SENT.finditer(clean):
        sent = m.group(0).strip()
        # years and document numbers ("Nghị quyết 57-NQ/TW") are no quantity
        rest = re.sub(r"\b(?:19|20)\d{2}\b|\b\d+(?:[-/][A-ZĐ][\wĐ]*)+", "", sent)
        value = RE_NUMBER_VALUE.search(rest)
        if RE_OPENS_WITH_YEAR.match(sent):
            # a sentence opening with its year is a goal only when it states a quantity or a rank
            value = re.search(r"\d+(?:[.,]\d+)*\s*%|\b\d+(?:[.,]\d+)*\s+(?!tháng|năm|ngày)\w", rest) \
                or RE_RANK_VALUE.search(rest)
        else:
            value = value or RE_RANK_VALUE.search(rest)
        if not value:
            continue
        out.append({"text": sent, "year": target_year(sent),
                    "value": value.group(0).strip().rstrip("%").replace(".", ""), "unit": None})
    return out


def table_year(section: str | None) -> int | None:
    if not section:
        return None
    m = RE_YEAR_GROUP_SIMPLE.search(section)
    return int(m.group(1)) if m else None


RE_YEAR_GROUP_SIMPLE = re.compile(r"năm\s+(\d{4})", _F)
