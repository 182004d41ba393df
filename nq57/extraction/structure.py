"""Numbered-item structure of an administrative document: sections "I.", "1.", "a)", bullets "-", "+", "*", "(1)"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nq57.text.vietnamese import int_to_roman, roman_to_int, strip_markdown_emphasis

RE_MD_HEADING = re.compile(r"^#{1,6}\s+")
RE_ROMAN = re.compile(r"^(?:\*\*)?(?P<label>[IVXL]{1,5})\s*(?:\.|-|–|\))(?:\*\*)?\s+(?P<rest>\S.*)$")
# "1.1.", "2.3.1." (a trailing dot or a capitalised text: "1.5 triệu người" is not an item)
RE_DECIMAL = re.compile(
    r"^(?:\*\*)?(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})(?:\.(?:\*\*)?\s+(?P<rest>\S.*)|(?:\*\*)?\s+(?P<cap>[A-ZĐÀ-Ỹ*].*))$"
)
RE_NUM = re.compile(r"^(?:\*\*)?(?P<label>\d{1,2})\s*(?:\.|\))(?:\*\*)?\s+(?P<rest>\S.*)$")
RE_LETTER = re.compile(r"^(?:\*\*)?(?P<label>[a-zđ])\s*\)(?:\*\*)?\s*(?P<rest>\S.*)$")
RE_PAREN = re.compile(r"^\((?P<label>\d{1,2}|[ivx]{1,4}|[a-zđ])\)\s*(?P<rest>\S.*)$")
RE_BULLET = re.compile(r"^(?P<label>[-+*•–—])\s+(?P<rest>\S.*)$")
# no lower-case letter, two capitals in a row. (A character range "à-ỹ" would also hold the precomposed capitals
# "Ứ", "Ệ", "Ộ" of Latin Extended Additional, where upper and lower case alternate: test the case instead.)
_LOWER = "".join(ch for ch in map(chr, range(0x61, 0x1F00)) if ch.islower())
_UPPER_CHARS = "".join(ch for ch in map(chr, range(0x41, 0x1F00)) if ch.isupper())
RE_ANY_LOWER = re.compile("[" + _LOWER + "]")
RE_TWO_CAPITALS = re.compile("[" + _UPPER_CHARS + "]{2}")


class _UpperLine:
    """``RE_UPPER_LINE.match(line)``: a line in capitals (a title)."""

    @staticmethod
    def match(line: str) -> bool:
        return RE_ANY_LOWER.search(line) is None and RE_TWO_CAPITALS.search(line) is not None


RE_UPPER_LINE = _UpperLine()
RE_RECIPIENTS = re.compile(r"^[*_]*\s*N[ơo]i\s+nh[ậa]n\s*:?", re.IGNORECASE)  # "Noi nhận": OCR drops marks
# a page break left in the text by a converter or an OCR run, or a bare page number: no part of the content
RE_PAGE_MARK = re.compile(
    r"^(?:-{2,}\s*(?:PAGE\s+BREAK|NEW\s+PAGE|TRANG\s+MỚI)\s*-{2,}|\f+|\d{1,3}|Trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?)$",
    re.IGNORECASE,
)
# a section heading in capitals whose roman number OCR misread: "Il. TỔ CHỨC THỰC HIỆN", "HI. ...", "1. TINH THẦN ..."
RE_OCR_ROMAN = re.compile(r"^(?P<label>[IlH1|]{1,3})\s*\.\s+(?P<rest>\S.{3,})$")
RE_OCR_LEAD = re.compile(r"^[_~`'·|]{1,3}\s+(?=[-+•]\s|\(?\d{1,2}[.)]\s|[a-zđ]\)\s)")
_OCR_ROMAN = {"H": "II", "HI": "III", "IH": "III"}
RE_CLOSING = re.compile(
    r"\b(?:trân\s+trọng\s+thông\s+báo|thông\s+báo\s+(?:để|ý\s+kiến|kết\s+luận)|xin\s+thông\s+báo)\b", re.IGNORECASE
)
RE_SCHEDULE_LINE = re.compile(
    # "Các cơ quan, đơn vị báo cáo kết quả ...": the generic subject names the addressees of the list above
    r"^(?:(?:các|những)\s+(?:cơ\s+quan|đơn\s+vị)(?:\s*,\s*(?:cơ\s+quan|đơn\s+vị|địa\s+phương))*"
    r"(?:\s+(?:có\s+)?liên\s+quan)?\s+(?:(?:khẩn\s+trương|chủ\s+động)\s+)?(?=(?:có\s+)?báo\s+cáo|hoàn\s+thành|gửi\s+báo\s+cáo))?"
    r"(?:có\s+báo\s+cáo|báo\s+cáo|hoàn\s+thành|thời\s+hạn|thời\s+gian\s+hoàn\s+thành|(?:hàng|hằng)\s+(?:tháng|tuần|quý|năm)"
    r"|định\s+kỳ|nhiệm\s+vụ\s+thường\s+xuyên|thực\s+hiện\s+thường\s+xuyên|tiến\s+độ|gửi\s+báo\s+cáo)\b",
    re.IGNORECASE,
)
RE_LOST_MARK = re.compile(r"^(?:Chủ\s+trì|Phối\s+hợp|Chủ\s+động)\b")


@dataclass
class Node:
    kind: str  # root, roman, num, letter, paren, bullet:-, ...
    label: str
    text: str = ""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    leadin: str = ""  # an unnumbered paragraph ending with ":" that introduces the children
    closing: list[str] = field(default_factory=list)  # lines that give a deadline / report for the children
    ordinal: int = 0
    group: str = ""  # an unnumbered sub-heading ("Các nhiệm vụ hoàn thành trong Quý I/2026:") over this item
    pending_group: str = ""  # the sub-heading that applies to the children added from now on
    items_by_paragraph: bool = False  # an addressee heading whose items are the unmarked paragraphs after it

    def add(self, child: Node) -> Node:
        child.parent = self
        child.ordinal = len(self.children) + 1
        child.group = self.pending_group
        self.children.append(child)
        return child

    def ancestors(self) -> list[Node]:
        out, n = [], self.parent
        while n is not None:
            out.append(n)
            n = n.parent
        return out


@dataclass
class Document:
    preamble: list[str]
    root: Node
    tables: list[list[str]]  # raw table blocks (lines)
    paragraphs: list[str]  # blank-line separated blocks of the source


def _marker(line: str) -> tuple[str, str, str] | None:
    if line[:1].isdigit() or (line[:2] == "**" and line[2:3].isdigit()):
        m = RE_DECIMAL.match(line)
        if m:
            label = m.group("label")
            return f"dec{label.count('.') + 1}", label, m.group("rest") or m.group("cap")
    for kind, rx in (("roman", RE_ROMAN), ("num", RE_NUM), ("letter", RE_LETTER), ("paren", RE_PAREN)):
        m = rx.match(line)
        if m:
            if kind == "roman" and roman_to_int(m.group("label")) is None:
                continue
            return kind, m.group("label"), m.group("rest")
    m = RE_BULLET.match(line)
    if m:
        return "bullet:" + m.group("label"), "", m.group("rest")
    return None


def _continues_inline_list(text: str, label: str) -> bool:
    """``(label)`` follows an enumeration written inline in ``text``: "(4)" is in it when the label is "5"."""
    if label.isdigit():
        before = str(int(label) - 1)
    elif len(label) == 1 and label.isalpha() and label > "a":
        before = chr(ord(label) - 1)
    else:
        return False
    return f"({before})" in text


def _ends_sentence(text: str) -> bool:
    t = strip_markdown_emphasis(text).rstrip(" *_")
    return not t or t[-1] in ".;:!?)\"”'…"


RE_DANGLING = re.compile(r"(?:,|\b(?:và|của|các|với|cho|để|về|trong|tại|theo|những|là))\s*$")


RE_TRAILING_ENUMERATION = re.compile(r"(?:^|\s)\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\)$")


def _dangling(text: str) -> bool:
    """The text stops in the middle of a sentence (a page break split it), or on the "(2)" of an inline list."""
    plain = strip_markdown_emphasis(text).rstrip(" *_")
    return bool(RE_DANGLING.search(plain) or RE_TRAILING_ENUMERATION.search(plain))


_HEADING_KINDS = ("roman", "num", "letter", "dec2", "dec3", "dec4")


def _bare_heading(plain: str, lines: list[str], idx: int, subheading_check) -> bool:
    """An agency heading written without its colon ("Bộ Tài chính") on a line of its own, followed by marked items."""
    bare = plain.rstrip(" *_")
    if not bare or bare.endswith((":", ".", ";", ",")) or len(bare) > 160:
        return False
    for nxt in lines[idx + 1:]:
        nxt = nxt.strip()
        if nxt:
            mk = _marker(RE_MD_HEADING.sub("", nxt))
            return mk is not None and mk[0] != "roman" and subheading_check(bare + ":")
    return False


def wrap_width(lines: list[str]) -> int:
    """The width the text was broken at when it is hard-wrapped (a PDF's text layer, a plain-text e-mail), else 0.

    Hard-wrapped: almost no line is much longer than the usual longest length, and most lines come close to it.
    Text written one paragraph a line (the usual case) has many long lines and is not."""
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip() and not ln.lstrip().startswith("|"))
    if len(lengths) < 12:
        return 0
    usual = lengths[int(len(lengths) * 0.9)]
    if usual < 40 or usual > 130 or sum(n > usual * 1.6 for n in lengths) > len(lengths) * 0.02:
        return 0
    return usual if sum(n >= usual * 0.7 for n in lengths) >= len(lengths) * 0.4 else 0


def _relative_label(parent: Node, label: str) -> str:
    """"1.2" under item "1" is item "2" of it; under anything else it keeps its full number."""
    head, _, last = label.rpartition(".")
    return last if parent.kind != "root" and (parent.label == head or parent.label.endswith("." + head)
                                              or parent.label == head.rpartition(".")[2]) else label


RE_PLAIN_TABLE_ROW = re.compile(r"^[^|]*\S[^|]*(?:\|[^|]*){2,}$")


def _table_line(line: str) -> bool:
    """A row of a table: Markdown ("| a | b |") or plain cells separated by "|" without framing (at least three cells,
    as a text layer or a converter writes a table: "TT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn")."""
    return line.startswith("|") or (line.count("|") >= 2 and RE_PLAIN_TABLE_ROW.match(line) is not None)


def _table_lines(lines: list[str]) -> list[bool]:
    """Which lines belong to a table. Blank lines between two rows do not end the table (each row its own paragraph)."""
    rows = [_table_line(ln.strip()) for ln in lines]
    out = list(rows)
    last_row = -1
    for i, is_row in enumerate(rows):
        if is_row:
            if last_row >= 0 and all(not lines[j].strip() for j in range(last_row + 1, i)):
                for j in range(last_row + 1, i):
                    out[j] = True
            last_row = i
    return out


def _ocr_romans(lines: list[str]) -> list[str]:
    """Section headings whose roman number an OCR run misread ("Il.", "HI.", "1." before a title in capitals) get their
    roman number back. Digits are read as a roman number only where the document numbers other sections in romans."""
    hits = [(i, m) for i, ln in enumerate(lines) if (m := RE_OCR_ROMAN.match(ln.strip())) and RE_UPPER_LINE.match(
        m.group("rest"))]
    if not hits:
        return lines
    romans = any(RE_ROMAN.match(ln.strip()) and ln.strip()[:2] in ("II", "IV", "V.", "VI") for ln in lines)
    out = list(lines)
    hit_at = dict(hits)
    last = 0  # the number of the roman section before this line: a misread one is the next in sequence
    for i, ln in enumerate(lines):
        m = hit_at.get(i)
        if m is None:
            real = RE_ROMAN.match(ln.strip())
            if real and (n := roman_to_int(real.group("label"))) and RE_UPPER_LINE.match(real.group("rest")):
                last = n
            continue
        label = m.group("label")
        if label.isdigit() and not romans:
            continue
        fixed = _OCR_ROMAN.get(label) or label.replace("l", "I").replace("1", "I").replace("|", "I")
        n = roman_to_int(fixed)
        if n and last and n != last + 1:
            fixed, n = int_to_roman(last + 1), last + 1  # "Il." after "II.": the third section, not a second II
        if n:
            out[i] = f"{fixed}. {m.group('rest')}"
            last = n
    return out



def _title_only(text: str) -> bool:
    """A short line without a full stop that names a topic (a title), not a sentence."""
    plain = strip_markdown_emphasis(text).strip(" *_")
    return bool(plain) and not _ends_sentence(plain) and len(plain.split()) <= 12 and not _dangling(plain)


RE_TOPIC_OPENING = re.compile(r"^(?:đối\s+với|về|nhiệm\s+vụ|trách\s+nhiệm)\b", re.IGNORECASE)


def _addressee_heading(text: str, subheading_check) -> bool:
    """An item whose whole text is an addressee ("Tổ đảng ở Thường trực Ủy ban Kinh tế", "Bộ Tài chính:")."""
    bare = strip_markdown_emphasis(text).strip(" *_").rstrip(":").strip()
    if not bare or len(bare) > 160 or _ends_sentence(bare) or RE_TOPIC_OPENING.match(bare):
        return False  # "Đối với các bộ, ngành": a topic whose paragraph names its own addressee
    return subheading_check(bare + ":")


def _paragraph_text(plain: str, lines: list[str], idx: int, limit: int = 3000) -> str:
    """The whole paragraph that starts at line *idx* (up to the next blank line or marked line)."""
    return _paragraph_start(plain, lines, idx, limit)


def _paragraph_start(plain: str, lines: list[str], idx: int, limit: int = 400) -> str:
    """The opening of the paragraph that starts at line *idx*: a subject wrapped over several lines reaches its verb."""
    out = plain
    for nxt in lines[idx + 1:]:
        nxt = nxt.strip()
        if not nxt or len(out) >= limit or _marker(nxt) is not None:
            break
        out += " " + strip_markdown_emphasis(nxt)
    return out[:limit]


def parse_document(text: str, subject_check=None, subheading_check=None, addressee_check=None) -> Document:
    """Build the item tree. *subject_check(line)* tells whether an unnumbered line opens with an addressee;
    *subheading_check(line)* whether it is a sub-heading (an agency, a deadline) over the items that follow it."""
    lines = [ln for ln in text.split("\n") if not RE_PAGE_MARK.match(ln.strip())] if (
        "PAGE" in text or "\f" in text or "Trang" in text) else text.split("\n")
    lines = _ocr_romans(lines)
    in_table = _table_lines(lines) if "|" in text else [False] * len(lines)
    width = wrap_width(lines)
    previous = ""  # the line before this one, "" after a blank line
    closing_of: Node | None = None  # the group whose schedule line the previous line was
    root = Node("root", "")
    stack: list[Node] = [root]
    preamble: list[str] = []
    tables: list[list[str]] = []
    paragraphs: list[str] = []
    current: Node | None = None
    skipping = False  # inside "Nơi nhận" and the signature
    stopped = False
    block: list[str] = []
    table: list[str] | None = None
    leadin_of: Node | None = None  # the item whose lead-in paragraph (ending with ":") is being read line by line
    for idx, raw in enumerate(lines):
        line = raw.strip()
        # hard-wrapped text: this line carries on the sentence of a previous line that was cut at the full width
        wrapped_here = bool(width and width * 0.7 <= len(previous) <= width * 1.15)
        same_paragraph = wrapped_here and current is not None
        carried_on = same_paragraph and not _ends_sentence(current.text)
        closing_goes_on, closing_of = (closing_of if wrapped_here else None), None
        # a dash opening this line was pushed down by the wrapping only when it could not fit on a full previous line
        dash_pushed_down = carried_on and len(previous) >= width * 0.93
        previous_line, previous = previous, line
        if in_table[idx]:
            if line:
                block.append(line)
                if table is None:
                    table = []
                table.append(line)
            current = None
            continue
        if not line:
            leadin_of = None
            if block:
                paragraphs.append(" ".join(block))
                block = []
            if table is not None:
                tables.append(table)
                table = None
            continue
        block.append(line)
        if table is not None:
            tables.append(table)
            table = None
        if line[:2] in ("©)", "(©"):
            line = "c" + line[1:] if line[0] == "©" else "(c" + line[2:]  # a scan reads the letter "c)" as "©)"
        if line[:1] in "_~`'·|" and RE_OCR_LEAD.match(line):
            line = RE_OCR_LEAD.sub("", line)  # "__ - Trình Chính phủ ...": specks an OCR run put before a mark
        heading = bool(RE_MD_HEADING.match(line))
        line = RE_MD_HEADING.sub("", line)
        if RE_RECIPIENTS.match(line):
            skipping = True
            current = None
            continue
        mk = _marker(line)
        if skipping:
            if heading or (mk and mk[0] == "roman"):
                skipping = False
                stack = [root]
            else:
                continue
        if mk is None and (RE_UPPER_LINE.match(line) and len(line.split()) >= 2 or heading):
            # a title in capitals or a Markdown heading: closes the current item
            current = None
            if re.match(r"^(?:PHỤ\s+LỤC|CHƯƠNG\s+TRÌNH|NGHỊ\s+QUYẾT)", line):
                stack = [root]
            if len(stack) == 1:
                preamble.append(line)
            continue
        if stopped:
            if heading or (mk and mk[0] == "roman"):
                stopped = False
                stack = [root]
            else:
                continue
        if mk is not None and dash_pushed_down and (mk[0].startswith("bullet") or mk[0] == "paren"):
            # "trình diễn - chuyển giao", "(1) …; (2) …" cut before the mark by the wrapping: not a new item
            mk = None
        elif mk is not None and width and mk[0] == "paren" and current is not None and _continues_inline_list(
                current.text, mk[1]):
            mk = None  # "(5)" of an enumeration whose "(1)" to "(4)" run inline in the item above
        if mk is not None:
            kind, label, rest = mk
            if kind.startswith("bullet") and len(stack) == 1:
                preamble.append(line)
                continue
            while len(stack) > 1 and any(n.kind == kind for n in stack[1:]):
                popped = stack.pop()
                if popped.kind == kind:
                    break
            if kind.startswith("dec"):
                label = _relative_label(stack[-1], label)
            node = stack[-1].add(Node(kind, label, rest))
            stack.append(node)
            current = node
            continue
        # an unnumbered paragraph
        if closing_goes_on is not None and mk is None:  # the rest of a wrapped schedule line
            closing_goes_on.closing[-1] += " " + line
            closing_of = closing_goes_on
            continue
        if len(stack) == 1 or current is None:
            if len(stack) > 1 and current is None and RE_CLOSING.search(line):
                stopped = True
                continue
            if len(stack) > 1 and current is None:
                continue
            preamble.append(line)
            continue
        plain = strip_markdown_emphasis(line)
        if leadin_of is current and previous_line:
            current.leadin += " " + line  # the lead-in paragraph goes on over a wrapped line
            continue
        leadin_of = None
        if plain[:1].islower() or _dangling(current.text) or (
                carried_on and not (subject_check is not None and subject_check(plain))):
            current.text += " " + line  # the rest of the item's sentence, on the next line
            continue
        if RE_CLOSING.search(line):
            stopped = True
            current = None
            continue
        new_paragraph = not previous_line and not carried_on and not same_paragraph
        if new_paragraph and subheading_check is not None and current.kind in _HEADING_KINDS \
                and not current.children and not plain.rstrip(" *_").endswith(":") \
                and _addressee_heading(current.text, subheading_check):
            # "a) Bộ Tài chính" on a line of its own, then paragraphs without marks (bullets a printer dropped):
            # each paragraph is one item of that addressee
            current.items_by_paragraph = True
            node = current.add(Node("para", "", line))
            stack.append(node)
            current = node
            continue
        if new_paragraph and current.kind == "para" and current.parent is not None \
                and current.parent.items_by_paragraph:
            node = current.parent.add(Node("para", "", line))
            stack[-1] = node
            current = node
            continue
        if not current.children and current.kind in _HEADING_KINDS:
            if plain.rstrip(" *_").endswith(":"):
                current.leadin = (current.leadin + " " + line).strip()
                continue
            if width and not previous_line and _paragraph_text(plain, lines, idx).rstrip(" *_").endswith(":"):
                # a lead-in paragraph hard-wrapped over several lines: its colon comes on its last line
                current.leadin = (current.leadin + " " + line).strip()
                leadin_of = current
                continue
            if subheading_check is not None and _bare_heading(plain, lines, idx, subheading_check):
                current.leadin = (current.leadin + " " + plain.rstrip(" *_") + ":").strip()
                continue
        if addressee_check is not None and not carried_on and not current.children \
                and current.kind in _HEADING_KINDS and _title_only(current.text) and addressee_check(plain):
            # "3. Đối với các tỉnh" then "Các tỉnh, thành phố trong cả nước ... chủ động ...": the numbered line is
            # the title of the paragraph, which opens with its own addressee
            node = current.add(Node("para", "", line))
            stack.append(node)
            current = node
            continue
        if subheading_check is not None and current.parent is not None and (
                subheading_check(plain) or _bare_heading(plain, lines, idx, subheading_check)):
            # a sub-heading between groups of items: it heads the items that follow it, not the one before it
            current.parent.pending_group = line
            while len(stack) > 1 and stack[-1] is not current.parent:
                stack.pop()
            current = None
            continue
        if RE_SCHEDULE_LINE.match(plain) and current.parent is not None and current.parent.kind != "root":
            if same_paragraph and len(previous_line) + 1 + len(line.split()[0]) > width * 0.97:
                # wrapped text whose first word did not fit on the line above: the item's own last sentence
                # ("Hoàn thành trong tháng 6/2025."), not a new line of its own
                current.text += " " + line
            else:  # a line of its own: the schedule of the whole group above
                current.parent.closing.append(line)
                closing_of = current.parent
            continue
        if RE_LOST_MARK.match(plain) or (subject_check is not None and subject_check(
                _paragraph_start(plain, lines, idx) if not previous_line else plain)):
            parent = current.parent or root
            if not current.children and current.kind in _HEADING_KINDS and _title_only(current.text):
                # "6. Tập trung xử lý vướng mắc về lao động" then its paragraph: the numbered line is its title
                node = current.add(Node("para", "", line))
                stack.append(node)
                current = node
                continue
            node = parent.add(Node(current.kind, "", line))
            while stack[-1] is not current and len(stack) > 1:
                stack.pop()
            if stack[-1] is current:
                stack.pop()
            stack.append(node)
            current = node
            continue
        current.text += " " + line
    if block:
        paragraphs.append(" ".join(block))
    if table is not None:
        tables.append(table)
    return Document(preamble, root, tables, paragraphs)


def iter_nodes(node: Node):
    for c in node.children:
        yield c
        yield from iter_nodes(c)
