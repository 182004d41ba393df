"""Vietnamese text handling shared by the whole project.

Everything here is plain Python (no Django) and safe to import anywhere:

* ``canon`` - NFC plus tone-mark placement normalised to the "hòa / thủy / Ủy" style;
* ``fold`` - the search / lookup key (no diacritics, đ -> d, lower case, single spaces);
* ``strip_markdown_emphasis``;
* the deadline grammar: ``parse_deadline``, ``find_deadlines``, ``parse_report``, ``analyse_schedule``;
* date helpers: ``last_day_of_month``, ``quarter_end``, ``roman_to_int``, ``int_to_roman``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = [
    "DEADLINE_KINDS",
    "REPORT_CADENCES",
    "Deadline",
    "Report",
    "analyse_schedule",
    "canon",
    "find_deadlines",
    "fold",
    "int_to_roman",
    "last_day_of_month",
    "parse_deadline",
    "parse_report",
    "quarter_end",
    "roman_to_int",
    "strip_markdown_emphasis",
]

# --------------------------------------------------------------------------------------------------------------------
# Tone marks
# --------------------------------------------------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_SHAPES = "\u0302\u0306\u031b"  # circumflex, breve, horn
_VOWELS = set("aeiouy")


def _vowel_chars() -> dict[str, str]:
    """Every precomposed Latin letter whose base is a Vietnamese vowel -> its base letter (lower case)."""
    out: dict[str, str] = {}
    for cp in range(0x41, 0x1F00):
        ch = chr(cp)
        if not ch.isalpha():
            continue
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if base in _VOWELS:
            out[ch] = base
    return out


_VOWEL_BASE = _vowel_chars()


def _variants(bases: str) -> str:
    return "".join(sorted(ch for ch, b in _VOWEL_BASE.items() if b in bases))


# Only words containing o+a, o+e or u+y can carry a mark whose placement differs between the two spellings.
_TONE_CANDIDATE = re.compile(
    r"[" + _variants("o") + "][" + _variants("ae") + "]|[" + _variants("u") + "][" + _variants("y") + r"]"
)


@lru_cache(maxsize=16384)  # a pure function of one word; the same words recur in every document
def _retone_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    letters: list[list[str]] = []  # [base, shape marks]
    tone = ""
    for ch in decomposed:
        if ch in _TONES:
            if tone or not letters:
                return word  # two tones or a stray mark: not a Vietnamese syllable, leave it
            tone = ch
        elif ch in _SHAPES:
            if not letters:
                return word
            letters[-1][1] += ch
        elif unicodedata.combining(ch):
            return word
        else:
            letters.append([ch, ""])
    if not tone:
        return word
    low = "".join(b.lower() for b, _ in letters)
    if not low.isalpha() or not low.isascii():
        if not all(c.isascii() or c in "đ" for c in low):
            return word
    # onset
    if len(low) > 2 and low[:2] in ("qu", "gi") and low[2] in _VOWELS:
        start = 2
    else:
        start = 0
        while start < len(low) and low[start] not in _VOWELS:
            start += 1
    if start >= len(low):
        return word
    end = start
    while end < len(low) and low[end] in _VOWELS:
        end += 1
    if any(c in _VOWELS for c in low[end:]):
        return word  # vowels separated by consonants: not one syllable
    cluster = list(range(start, end))
    marked = [i for i in cluster if letters[i][1]]
    if marked:
        pos = marked[-1]
    elif end < len(low):  # closed syllable: the mark goes on the last vowel
        pos = cluster[-1]
    elif len(cluster) == 3:
        pos = cluster[1]
    elif len(cluster) > 3:
        return word
    else:
        pos = cluster[0]
    out = []
    for i, (base, shape) in enumerate(letters):
        out.append(base + shape + (tone if i == pos else ""))
    return unicodedata.normalize("NFC", "".join(out))


def canon(text: str) -> str:
    """NFC, then tone marks placed in the "hòa, thủy, Ủy" style (closed syllables such as hoàn, huỳnh unchanged)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    last = 0
    n = len(text)
    for m in _TONE_CANDIDATE.finditer(text):
        s, e = m.start(), m.end()
        if s < last:
            continue
        while s > last and text[s - 1].isalpha():
            s -= 1
        while e < n and text[e].isalpha():
            e += 1
        word = text[s:e]
        new = _retone_word(word)
        if new != word:
            out.append(text[last:s])
            out.append(new)
            last = e
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


_MARKS = re.compile(r"[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return " ".join(text.split())  # == _SPACES.sub(" ", text).strip(): str.split and \s agree on whitespace


_fold_short = lru_cache(maxsize=32768)(_fold)  # names, tokens, table cells: the same short strings recur


def fold(text: str) -> str:
    """Search / lookup key: no diacritics, đ -> d, lower case, whitespace collapsed."""
    if not text:
        return ""
    return _fold_short(text) if len(text) <= 120 else _fold(text)


_EMPH_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EMPH_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.S)
_EMPH_UNDER = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.S)


def strip_markdown_emphasis(text: str) -> str:
    """Remove Markdown bold / italic markers (``**x**``, ``*x*``, ``__x__``, ``_x_``), keeping their content."""
    if not text or ("*" not in text and "_" not in text):
        return text or ""
    prev = None
    while prev != text:
        prev = text
        text = _EMPH_BOLD.sub(r"\2", text)
    text = _EMPH_ITALIC.sub(r"\1", text)
    text = _EMPH_UNDER.sub(r"\1", text)
    return text.replace("**", "")


# --------------------------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(s: str) -> int | None:
    """'IV' -> 4; None when *s* is not a roman numeral."""
    s = (s or "").strip().upper()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if total > 0 and int_to_roman(total) == s else None


def int_to_roman(n: int) -> str:
    if n <= 0:
        raise ValueError("roman numerals start at 1")
    out = []
    for v, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                   (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1..4")
    return last_day_of_month(year, quarter * 3)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _year_ok(y: int) -> bool:
    return 1900 <= y <= 2200


DEADLINE_KINDS = ("date", "month", "quarter", "year", "recurring", "event", "roadmap", "none")
REPORT_CADENCES = ("weekly", "monthly", "quarterly", "semiannual", "yearly")


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date | None
    raw: str | None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "due": self.due.isoformat() if self.due else None, "raw": self.raw}


@dataclass(frozen=True)
class Report:
    due: date | None
    cadence: str | None
    raw: str

    def as_dict(self) -> dict:
        return {"due": self.due.isoformat() if self.due else None, "cadence": self.cadence, "raw": self.raw}


NO_DEADLINE = Deadline("none", None, None)

# --- grammar -----------------------------------------------------------------------------------------------------

_LEAD = (
    r"\b(?=[hHtTvVcCmMđĐnNxX])(?:(?:hoàn\s+thành|hoàn\s+thiện|ban\s+hành|xong|thực\s+hiện)\s+)?(?:ngay\s+)?"
)
_PREP = (
    _LEAD + r"(?:trước|trong|từ|vào|chậm\s+nhất(?:\s+là)?(?:\s+(?:trước|trong|vào))?|muộn\s+nhất|đến\s+hết"
    r"|(?<!tính\s)đến(?=\s+ngày\s)|hạn)"
)
# "hoàn thành năm 2026", "xong tháng 9/2025", "hoàn thành Quý IV/2025": the completion verb alone introduces the date
_DONE_WORD = r"\b(?:hoàn\s+thành|xong)"
_DONE = _DONE_WORD + r"\s+"
_DMY = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?(?![/\d])"
# "30/7/2025", and the Party's own style "30-7-2025" (also "30.7.2025")
_DMY_FULL = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?![/\d])"
_D_WORDS = r"(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?"
_MY = r"(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})(?![/\d])"
_QUARTER = r"quý\s+([ivx]+|\d)\s*(?:/|-|năm)\s*(\d{4})"

_F = re.IGNORECASE
_HAS_DIGIT = re.compile(r"\d")
RE_DATE_NGAY = re.compile(_PREP + r"\s+ngày\s+(?:" + _DMY + r"|" + _D_WORDS + r")", _F)
RE_DATE_BARE = re.compile(_PREP + r"\s+" + _DMY_FULL, _F)
RE_MONTH_BEFORE = re.compile(_LEAD + r"trước\s+tháng\s+" + _MY, _F)
RE_MONTH = re.compile(_PREP + r"\s+(?:tháng\s+)" + _MY, _F)
RE_MONTH_NOYEAR = re.compile(_LEAD + r"(?:trong|trước)\s+tháng\s+(\d{1,2})(?![/\d])(?!\s+năm)", _F)
RE_QUARTER = re.compile(_PREP + r"\s+" + _QUARTER, _F)
RE_YEAR = re.compile(
    _LEAD + r"(?:trong|trước|hết|vào|đến\s+hết)\s+năm\s+(\d{4})(?!\s*[-–])(?!\s+và\s+(?:những|các)\s+năm)", _F
)
# "(trong) 6 tháng đầu năm 2026" -> end of June, "6 tháng cuối năm 2025" -> end of December
RE_HALF_YEAR = re.compile(
    _PREP + r"\s+(?:0?6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})(?![/\d])", _F
)
# "trước cuối năm 2025", "cuối tháng 9/2025"
RE_END_YEAR = re.compile(r"(?:" + _PREP + r"|" + _DONE_WORD + r")\s+cuối\s+năm\s+(\d{4})(?!\s*[-–/\d])", _F)
RE_END_MONTH = re.compile(r"(?:" + _PREP + r"|" + _DONE_WORD + r")\s+cuối\s+tháng\s+" + _MY, _F)
RE_DONE_MONTH = re.compile(_DONE + r"tháng\s+" + _MY, _F)
RE_DONE_QUARTER = re.compile(_DONE + _QUARTER, _F)
RE_DONE_YEAR = re.compile(_DONE + r"năm\s+(\d{4})(?!\s*[-–/\d])(?!\s+và\s+(?:những|các)\s+năm)", _F)
# "hoàn thành trong giai đoạn 2025 - 2026": the last year of the range
RE_YEAR_RANGE = re.compile(_PREP + r"\s+(?:giai\s+đoạn|năm)\s+(\d{4})\s*[-–]\s*(\d{4})(?![/\d])", _F)
RE_TRIGGER = re.compile(
    _PREP + r"\s+(?:ngày\s+|tháng\s+|quý\s+|năm\s+|giai\s+đoạn\s+)?(?=[\dIVXivx])|" + _LEAD + r"hết\s+năm"
    r"|" + _DONE + r"(?=(?:tháng|quý|năm|cuối)\s)|" + _PREP + r"\s+(?=(?:0?6|sáu)\s+tháng\s|cuối\s+(?:năm|tháng)\s)",
    _F,
)

RE_RECURRING = re.compile(
    r"(?:nhiệm\s+vụ|thực\s+hiện|triển\s+khai|phối\s+hợp)\s+thường\s+xuyên"
    r"|(?:thực\s+hiện|bảo\s+đảm|bố\s+trí)[^.;]{0,40}?\s(?:hằng|hàng)\s+năm(?=\s*[.;]|\s*$|\s+theo\b)"
    r"|\d{4}\s+và\s+(?:những|các)\s+năm\s+tiếp\s+theo"
    # "Chương trình xây dựng luật năm 2025 và các năm tiếp theo"
    r"|\b\d{4}\b[^.;\d]{1,60}?\s+và\s+(?:những|các)\s+năm\s+tiếp\s+theo"
    # a clause opening with its cadence: "Thường xuyên nắm tình hình ...", "Định kỳ, Bộ X chủ trì ..."
    r"|(?:^|(?<=[.;:]\s))(?:Thường\s+xuyên(?=\s+\w)|Định\s+kỳ(?=\s*,))",
    _F,
)
RE_EVENT = re.compile(
    r"\b(?:tại|trong)\s+Kỳ\s+họp\s+thứ\s+\d+(?:,\s*(?:Quốc\s+hội\s+)?kh(?:oá|óa)\s+[IVXL]+)?"
    r"|\b(?:hoàn\s+thành\s+)?cùng\s+thời\s+điểm[^.;]{0,120}?có\s+hiệu\s+lực(?:\s+thi\s+hành)?"
    r"|\b\d+\s+tháng\s+sau\s+khi[^.;]{0,120}?có\s+hiệu\s+lực(?:\s+thi\s+hành)?"
    r"|\b(?:ngay\s+)?(?<!kể\stừ\s)(?:sau\s+)?khi\s+(?:các\s+)?(?:Luật|Bộ\s+luật|Nghị\s+quyết|Nghị\s+định|Pháp\s+lệnh)\b"
    r"[^.;]{0,120}?có\s+hiệu\s+lực(?:\s+thi\s+hành)?"
    r"|\btrình\s+Quốc\s+hội\s+sắp\s+tới",
    _F,
)
RE_EVENT_LEFT = re.compile(r"(?:(?:dự\s+kiến|đang)\s+)?trình\s+Quốc\s+hội[^.;()]{0,60}$|[^.;,()]{0,60}$", _F)
RE_ROADMAP = re.compile(r"(?:(?:hoàn\s+thành|thực\s+hiện)\s+)?theo\s+(?:đúng\s+)?lộ\s+trình(?:\s+đã\s+đề\s+ra)?", _F)

# cells of a task table / a bare phrase
RE_CELL_RECURRING = re.compile(
    r"^(?:nhiệm\s+vụ\s+)?(?:thực\s+hiện\s+)?(?:thường\s+xuyên|(?:hằng|hàng)\s+(?:năm|quý|tháng))$"
    r"|^\d{4}\s+và\s+(?:những|các)\s+năm\s+tiếp\s+theo$",
    _F,
)
RE_CELL_YEAR_RANGE = re.compile(r"^(?:giai\s+đoạn\s+|năm\s+)?(\d{4})\s*[-–]\s*(\d{4})$", _F)
RE_CELL_YEAR = re.compile(r"^(?:năm\s+)?(\d{4})$", _F)
RE_CELL_MONTH = re.compile(r"^(?:tháng\s+)?(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})$", _F)
RE_CELL_QUARTER = re.compile(r"^" + _QUARTER + r"$", _F)
RE_CELL_DATE = re.compile(r"^(?:ngày\s+)?" + _DMY_FULL + r"$", _F)

# reports
RE_REPORT_CADENCE = re.compile(
    r"(?:định\s+kỳ\s+)?(?P<cad>(?:hằng|hàng)\s+(?:tuần|th[áa]ng|quý|năm)|định\s+kỳ\s+(?:6|sáu)\s+tháng(?:\s+một\s+lần)?"
    r"|(?:hằng|hàng)\s+(?:6|sáu)\s+tháng|định\s+kỳ\s+(?:tuần|tháng|quý|năm))"
    r"(?:\s+(?:một\s+lần|có|phải|gửi|thực\s+hiện|tổ\s+chức))*\s+báo\s+cáo",
    _F,
)
RE_REPORT_CADENCE_AFTER = re.compile(
    r"báo\s+cáo[^.;]{0,80}?\b(?P<cad>(?:hằng|hàng)\s+(?:tuần|th[áa]ng|quý|năm)|định\s+kỳ\s+(?:6|sáu)\s+tháng"
    r"|định\s+kỳ\s+(?:hằng\s+|hàng\s+)?(?:tuần|tháng|quý|năm))",
    _F,
)
# "Định kỳ hàng năm, đánh giá tình hình thực hiện ..., báo cáo Thủ tướng Chính phủ": the cadence opens the sentence
RE_REPORT_CADENCE_LEAD = re.compile(
    r"(?:định\s+kỳ\s+)?(?P<cad>(?:hằng|hàng)\s+(?:tuần|th[áa]ng|quý|năm)|định\s+kỳ\s+(?:6|sáu)\s+tháng)\s*,"
    r"[^.;]{0,200}?\bbáo\s+cáo",
    _F,
)
RE_REPORT_BEFORE = re.compile(r"\b(?:phải\s+|có\s+)?(?:viết|gửi|nộp|có)\s+báo\s+cáo\b", _F)
RE_REPORT_START = re.compile(r"(?<!để\s)(?<!và\s)\b(?:có\s+)?báo\s+cáo\b", _F)
RE_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=\S)")


def _cadence(word: str) -> str:
    w = fold(word)
    if "tuan" in w:
        return "weekly"
    if "6 thang" in w or "sau thang" in w:
        return "semiannual"
    if "thang" in w:
        return "monthly"
    if "quy" in w:
        return "quarterly"
    return "yearly"


@dataclass(frozen=True)
class Mention:  # noqa: D101 - a deadline phrase and its span
    deadline: Deadline
    start: int
    end: int


def _clean_raw(s: str) -> str:
    return _SPACES.sub(" ", strip_markdown_emphasis(s)).strip(" ,.;:*")


def _date_from(kind: str, m: re.Match, year_hint: int | None) -> tuple[str, date | None]:
    if kind == "date_ngay":
        g = m.groups()
        if g[0] is not None:
            d, mo, y = int(g[0]), int(g[1]), g[2]
        else:
            d, mo, y = int(g[3]), int(g[4]), g[5]
        year = int(y) if y else year_hint
        return "date", (_safe_date(year, mo, d) if year and _year_ok(year) else None)
    if kind == "date_bare":
        d, mo, y = (int(x) for x in m.groups())
        return "date", (_safe_date(y, mo, d) if _year_ok(y) else None)
    if kind == "month_before":
        mo, y = int(m.group(1)), int(m.group(2))
        if not (1 <= mo <= 12 and _year_ok(y)):
            return "month", None
        y2, mo2 = (y - 1, 12) if mo == 1 else (y, mo - 1)
        return "month", last_day_of_month(y2, mo2)
    if kind == "month":
        mo, y = int(m.group(1)), int(m.group(2))
        return "month", (last_day_of_month(y, mo) if 1 <= mo <= 12 and _year_ok(y) else None)
    if kind == "month_noyear":
        mo = int(m.group(1))
        if not (year_hint and _year_ok(year_hint) and 1 <= mo <= 12):
            return "month", None
        if "truoc" in fold(m.group(0)):
            y2, mo2 = (year_hint - 1, 12) if mo == 1 else (year_hint, mo - 1)
            return "month", last_day_of_month(y2, mo2)
        return "month", last_day_of_month(year_hint, mo)
    if kind == "quarter":
        q = m.group(1)
        qn = int(q) if q.isdigit() else roman_to_int(q)
        y = int(m.group(2))
        return "quarter", (quarter_end(y, qn) if qn and 1 <= qn <= 4 and _year_ok(y) else None)
    if kind == "half":
        y = int(m.group(2))
        mo = 6 if fold(m.group(1)) == "dau" else 12
        return "month", (last_day_of_month(y, mo) if _year_ok(y) else None)
    if kind == "range":
        y1, y = int(m.group(1)), int(m.group(2))
        return "year", (date(y, 12, 31) if _year_ok(y) and y1 <= y else None)
    y = int(m.group(1))
    return "year", (date(y, 12, 31) if _year_ok(y) else None)


_GRAMMAR = (
    ("half", RE_HALF_YEAR), ("date_ngay", RE_DATE_NGAY), ("date_bare", RE_DATE_BARE),
    ("month_before", RE_MONTH_BEFORE), ("month", RE_MONTH), ("month", RE_END_MONTH), ("month", RE_DONE_MONTH),
    ("month_noyear", RE_MONTH_NOYEAR), ("quarter", RE_QUARTER), ("quarter", RE_DONE_QUARTER), ("range", RE_YEAR_RANGE),
    ("year", RE_YEAR), ("year", RE_END_YEAR), ("year", RE_DONE_YEAR),
)


def find_deadlines(text: str, *, year_hint: int | None = None) -> list[Mention]:
    """All dated deadline phrases of *text* ("trước ngày 30/7/2025", "trong tháng 6/2025", "trong Quý III/2025"...)."""
    found: list[Mention] = []
    if not _HAS_DIGIT.search(text):
        return found
    low = text.lower()
    if not any(k in low for k in _TRIGGER_KEYWORDS):  # every RE_TRIGGER match contains one of them
        return found
    pos = 0
    while True:
        t = RE_TRIGGER.search(text, pos)
        if t is None:
            break
        start = t.start()
        pos = t.end()
        for kind, rx in _GRAMMAR:
            m = rx.match(text, start)
            if m is None:
                continue
            dkind, due = _date_from(kind, m, year_hint)
            if due is not None:
                found.append(Mention(Deadline(dkind, due, _clean_raw(m.group(0))), m.start(), m.end()))
                pos = max(pos, m.end())
                break
    return found


# Cheap prefilters: a pattern can only match when one of its words occurs in the lower-cased text. Every character
# that matches one of these letters under re.IGNORECASE lower-cases to that very letter (checked over all of
# Unicode), so "no keyword in text.lower()" proves "no match" and the result is unchanged.
_MARKER_KEYWORDS = {"recurring": ("thường", "năm", "định kỳ"), "event": ("kỳ", "lực", "quốc"), "roadmap": ("lộ",)}
_TRIGGER_KEYWORDS = ("trước", "trong", "từ", "vào", "chậm", "muộn", "đến", "hạn", "hết", "hoàn", "xong")


def _marker(text: str) -> Deadline | None:
    """A non-dated deadline stated by the text (recurring / event / roadmap), the first one found."""
    best: tuple[int, Deadline] | None = None
    low = text.lower()
    for kind, rx in (("recurring", RE_RECURRING), ("event", RE_EVENT), ("roadmap", RE_ROADMAP)):
        if not any(k in low for k in _MARKER_KEYWORDS[kind]):
            continue
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            raw = m.group(0)
            if kind == "event" and not fold(raw).startswith(("hoan thanh", "cung")):
                left = RE_EVENT_LEFT.search(text[max(0, m.start() - 80):m.start()])
                if left and (fold(left.group(0)).lstrip().startswith(("trinh", "du kien", "dang"))
                             or fold(raw).startswith("trinh")):
                    raw = left.group(0) + raw
            best = (m.start(), Deadline(kind, None, _clean_raw(raw)))
    return best[1] if best else None


def parse_deadline(phrase_or_text: str, *, year_hint: int | None = None) -> Deadline | None:
    """Deadline of a phrase, a table cell or a whole item text; None when it states none.

    "trước tháng 8/2025" -> month 2025-07-31, "Quý II/2025" -> quarter 2025-06-30, "2025 - 2026" -> year 2026-12-31,
    "6/2025" -> month, "Thường xuyên" / "Hằng năm" -> recurring, "trước ngày 28/5" -> date in *year_hint*.
    """
    if not phrase_or_text:
        return None
    text = _SPACES.sub(" ", strip_markdown_emphasis(unicodedata.normalize("NFC", phrase_or_text))).strip()
    cell = text.strip(" .;:,")
    if not cell:
        return None
    if RE_CELL_RECURRING.match(cell):
        return Deadline("recurring", None, cell)
    m = RE_CELL_YEAR_RANGE.match(cell)
    if m:
        y1, y2 = int(m.group(1)), int(m.group(2))
        if _year_ok(y2) and y1 <= y2:
            return Deadline("year", date(y2, 12, 31), cell)
    m = RE_CELL_YEAR.match(cell)
    if m and _year_ok(int(m.group(1))):
        return Deadline("year", date(int(m.group(1)), 12, 31), cell)
    m = RE_CELL_MONTH.match(cell)
    if m:
        mo, y = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12 and _year_ok(y):
            return Deadline("month", last_day_of_month(y, mo), cell)
    m = RE_CELL_QUARTER.match(cell)
    if m:
        q = m.group(1)
        qn = int(q) if q.isdigit() else roman_to_int(q)
        if qn and 1 <= qn <= 4 and _year_ok(int(m.group(2))):
            return Deadline("quarter", quarter_end(int(m.group(2)), qn), cell)
    m = RE_CELL_DATE.match(cell)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        due = _safe_date(y, mo, d) if _year_ok(y) else None
        if due:
            return Deadline("date", due, cell)
    dl, _ = analyse_schedule(text, year_hint=year_hint)
    return dl if dl.kind != "none" else None


def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in RE_SENTENCE_SPLIT.split(text):
        idx = text.find(part, pos)
        out.append((idx, part))
        pos = idx + len(part)
    return out


def parse_report(text: str, *, year_hint: int | None = None) -> Report | None:
    """The report obligation of an item: due date or cadence; None when it asks for none (or gives neither)."""
    if not text or "báo cáo" not in text.lower():
        return None
    text = _SPACES.sub(" ", strip_markdown_emphasis(text))
    for _start, sent in _sentences(text):
        low = sent.lower()
        if "báo cáo" not in low:
            continue
        m = RE_REPORT_CADENCE.search(sent) or RE_REPORT_CADENCE_AFTER.search(sent) or RE_REPORT_CADENCE_LEAD.match(sent)
        if m:
            raw = sent[m.start():].strip(" .;*")
            return Report(None, _cadence(m.group("cad")), _clean_raw(raw))
    for _start, sent in _sentences(text):
        for rm in RE_REPORT_START.finditer(sent):
            tail = sent[rm.start():]
            dates = find_deadlines(tail, year_hint=year_hint)
            if dates:
                last = dates[-1]
                raw = tail[: last.end]
                return Report(last.deadline.due, None, _clean_raw(raw))
    # "trước ngày 28/5, từng đơn vị ... phải viết báo cáo": the date opens the clause whose object is the report
    for _start, sent in _sentences(text):
        rm = RE_REPORT_BEFORE.search(sent)
        if rm:
            dates = [d for d in find_deadlines(sent[:rm.start()], year_hint=year_hint)
                     if d.deadline.kind == "date" and fold(d.deadline.raw or "").startswith("truoc")]
            if dates and ";" not in sent[dates[-1].start:rm.start()]:
                first = dates[-1]
                return Report(first.deadline.due, None, _clean_raw(sent[first.start:rm.end()]))
    return None


def _report_spans(text: str) -> list[tuple[int, int]]:
    """Spans of report clauses ("Báo cáo ... trước ngày X") so dates inside can be told apart."""
    spans: list[tuple[int, int]] = []
    if "báo" not in text.lower():  # RE_REPORT_START needs "báo" (see _MARKER_KEYWORDS on case folding)
        return spans
    for start, sent in _sentences(text):
        for rm in RE_REPORT_START.finditer(sent):
            spans.append((start + rm.start(), start + len(sent)))
            break
    return spans


RE_NEGATED_CLAUSE = re.compile(
    r"\bkhông\s+(?:được\s+)?(?:để|tổ\s+chức|thực\s+hiện|tiến\s+hành|kiểm\s+tra)\b[^.;,]*$", _F)


def _negated(text: str, start: int) -> bool:
    return "không" in text[max(0, start - 200):start] and RE_NEGATED_CLAUSE.search(text, max(0, start - 200), start) \
        is not None


def analyse_schedule(text: str, *, year_hint: int | None = None) -> tuple[Deadline, Report | None]:
    """Deadline and report of one task text, following the rules of the extraction schema.

    The latest dated completion phrase wins; a dated report is the deadline only when nothing else is dated and no
    explicit completion marker (event, roadmap, recurring) is given; a report with a cadence makes the task recurring.
    """
    if not text:
        return NO_DEADLINE, None
    text = _SPACES.sub(" ", strip_markdown_emphasis(unicodedata.normalize("NFC", text)))
    report = parse_report(text, year_hint=year_hint)
    mentions = find_deadlines(text, year_hint=year_hint)
    rspans = _report_spans(text)

    def in_report(mt: Mention) -> bool:
        return any(s <= mt.start < e for s, e in rspans)

    # "không tổ chức kiểm tra định kỳ trong năm 2020", "không được để thiếu điện ... trong giai đoạn 2021 - 2025": the
    # period of what must not happen, not when work is due
    mentions = [mt for mt in mentions if not _negated(text, mt.start)]
    own = [mt for mt in mentions if not in_report(mt)]
    rep = [mt for mt in mentions if in_report(mt)]
    lasting = [mt for mt in own if fold(mt.deadline.raw or "").startswith(("den het nam", "den het thang"))]
    if lasting and rep:
        # "miễn phí thị thực ... đến hết năm 2020, báo cáo ... trong tháng 3/2020": how long a measure lasts, not
        # when the work is due, once the item dates its work otherwise
        own = [mt for mt in own if mt not in lasting]
    if own:
        best = max(own, key=lambda mt: (mt.deadline.due, mt.start))
        return best.deadline, report
    marker = _marker(text)
    if report is not None and report.cadence:
        if marker is not None and marker.kind != "recurring" and fold(marker.raw or "").startswith("hoan thanh"):
            return marker, report
        return Deadline("recurring", None, report.raw), report
    if marker is not None and fold(marker.raw or "").startswith(("hoan thanh", "nhiem vu", "thuc hien")):
        return marker, report
    if rep and report is not None and report.due is not None:
        best = max(rep, key=lambda mt: (mt.deadline.due, mt.start))
        return best.deadline, report
    if marker is not None:
        return marker, report
    return NO_DEADLINE, report
