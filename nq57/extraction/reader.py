"""Decoding of uploaded files into text: .txt/.md (UTF-8, UTF-16, Windows-1258), .docx, .pdf, .html."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import PurePath

from .errors import ExtractionError
from .limits import MAX_PAGE_CHARS, MAX_PDF_PAGES, MAX_TABLE_CELLS, MAX_TEXT_CHARS, check_zip, refuse

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def _suffix(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExtractionError("Tệp văn bản UTF-16 bị lỗi mã hóa, không đọc được.") from exc
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and b"\x00" not in data[0::2][:64]:
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ExtractionError("Tệp chứa dữ liệu nhị phân, không phải văn bản; vui lòng tải lên tệp .txt, .docx, .pdf "
                              "hoặc .html.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise ExtractionError("Không nhận dạng được bảng mã của tệp văn bản (hãy lưu tệp dạng UTF-8).") from exc
    return unicodedata.normalize("NFC", text)


class _HTMLText(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul",
             "ol"}
    SKIP = {"script", "style", "head", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in self.BLOCK:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    p = _HTMLText()
    try:
        p.feed(html)
        p.close()
    except Exception as exc:  # html.parser is lenient; anything raised here means garbage
        raise ExtractionError("Không đọc được nội dung tệp HTML.") from exc
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in "".join(p.parts).split("\n")]
    out, blank = [], False
    for ln in lines:
        if ln.startswith("|"):
            ln = ln + " |"
        if not ln:
            if not blank:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(ln)
    return "\n".join(out).strip()


def _docx_text(data: bytes) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise ExtractionError("Máy chủ chưa cài thư viện đọc tệp .docx.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ExtractionError("Tệp .docx bị hỏng hoặc không đúng định dạng Word.") from exc
    out: list[str] = []
    body = document.element.body
    length = cells = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
            length += len(out[-1])
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells += len(row._tr.tc_lst)
                if cells > MAX_TABLE_CELLS:
                    raise refuse(f"bảng có hơn {MAX_TABLE_CELLS} ô")
                rows.append([_cell_text(c.text) for c in row.cells])
            if rows:
                out += ["", _markdown_table(rows), ""]
                length += len(out[-2])
        if length > MAX_TEXT_CHARS:
            raise refuse(f"văn bản dài hơn {MAX_TEXT_CHARS} ký tự")
    return "\n".join(out)


def _region_text(region) -> str:
    """The text of a page region, one line per printed line, with a blank line where the vertical gap between two
    lines is clearly wider than the page's tightest line spacing: the paragraph spacing a word processor or a browser
    prints between paragraphs, which a plain text extraction loses (a letter whose paragraphs are not numbered is
    then read as one paragraph)."""
    lines = [ln for ln in region.extract_text_lines(strip=True, return_chars=False) if ln["text"]]
    if len(lines) < 3:
        return "\n".join(ln["text"] for ln in lines)
    gaps = [b["top"] - a["bottom"] for a, b in zip(lines, lines[1:], strict=False)]
    tight = min((g for g in gaps if g >= 0), default=0.0)
    out = [lines[0]["text"]]
    for line, after, gap in zip(lines, lines[1:], gaps, strict=False):
        height = max(line["bottom"] - line["top"], 1.0)
        if gap > tight + max(3.0, 0.35 * height):
            out.append("")
        out.append(after["text"])
    return "\n".join(out)


def _pdf_page_blocks(page) -> list[str | list[list[str]]]:
    """The page top to bottom: its text between tables, and each ruled table as rows of cell texts (a task table of
    an action programme must stay a table, not become its cells one per line)."""
    blocks: list[str | list[list[str]]] = []
    top = 0.0
    # a row cut by the page break has no ruling line at the page's edge: close the grid where its columns stop
    columns = [e for e in page.edges if e["orientation"] == "v"]
    settings = {}
    if columns:
        settings["explicit_horizontal_lines"] = [max(0.0, min(e["top"] for e in columns)),
                                                 min(float(page.height), max(e["bottom"] for e in columns))]
    for table in sorted(page.find_tables(settings), key=lambda t: t.bbox[1]):
        t_top, t_bottom = table.bbox[1], table.bbox[3]
        if t_top > top:
            blocks.append(_region_text(page.crop((0, top, page.width, t_top))))
        rows = [[_cell_text(cell) for cell in row] for row in table.extract()]
        if any(any(row) for row in rows):
            blocks.append(rows)
        top = max(top, t_bottom)
    if top < page.height:
        blocks.append(_region_text(page.crop((0, top, page.width, page.height))))
    return blocks


def _join_split_tables(blocks: list[str | list[list[str]]]) -> list[str | list[list[str]]]:
    """A table broken by a page break is one table: rows of a table that follows another with the same columns,
    with nothing but a page number between them, are added to it (a repeated header row is dropped)."""
    out: list[str | list[list[str]]] = []
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                out.append(block)
            continue
        previous = out[-1] if out else None
        if (isinstance(previous, str) and re.fullmatch(r"\s*(?:-\s*)?\d{1,4}(?:\s*-)?\s*", previous) and len(out) > 1
                and isinstance(out[-2], list)):
            out.pop()  # the page number between the two halves
            previous = out[-1]
        if isinstance(previous, list) and previous and block and len(previous[0]) == len(block[0]):
            previous.extend(block[1:] if block[0] == previous[0] else block)
            continue
        out.append(block)
    return out


def _cell_text(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().replace("|", "/")


def _markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join("---" for _ in rows[0]) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _pdf_declared_pages(pdf) -> int:
    try:
        from pdfminer.pdftypes import resolve1

        return int(resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count", 0)))
    except Exception:  # a page tree without a usable count: the walk below is bounded by MAX_PDF_PAGES anyway
        return 0


def _pdf_text(data: bytes) -> str:
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover
        raise ExtractionError("Máy chủ chưa cài thư viện đọc tệp PDF.") from exc
    # page objects written out in the file, counted before pdfminer parses anything (a 100,000-page tree takes
    # pdfminer a minute to open); pages inside compressed object streams are caught by the page tree's count below
    if len(re.findall(rb"/Type\s*/Page(?![\w])", data)) > MAX_PDF_PAGES:
        raise refuse(f"hơn {MAX_PDF_PAGES} trang")
    blocks: list[str | list[list[str]]] = []
    length = 0
    try:
        # pages past the limit are never turned into page objects; the page tree's own count refuses early
        with pdfplumber.open(io.BytesIO(data), pages=range(1, MAX_PDF_PAGES + 2)) as pdf:
            declared = _pdf_declared_pages(pdf)
            if declared > MAX_PDF_PAGES or len(pdf.pages) > MAX_PDF_PAGES:
                raise refuse(f"hơn {MAX_PDF_PAGES} trang")
            for page in pdf.pages:
                # counted before the costly table search: a page drawing one huge shared stream stops here
                if len(page.chars) > MAX_PAGE_CHARS:
                    raise refuse(f"một trang có hơn {MAX_PAGE_CHARS} ký tự")
                page_blocks = _pdf_page_blocks(page)
                page.close()  # drop the page's parsed objects before the next one
                length += sum(len(b) if isinstance(b, str) else sum(len(c) for r in b for c in r) for b in page_blocks)
                if length > MAX_TEXT_CHARS:
                    raise refuse(f"văn bản dài hơn {MAX_TEXT_CHARS} ký tự")
                blocks.extend(page_blocks)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("Tệp PDF bị hỏng hoặc được bảo vệ, không đọc được nội dung.") from exc
    text = "\n\n".join(b if isinstance(b, str) else _markdown_table(b) for b in _join_split_tables(blocks))
    if len(re.findall(r"[^\W\d_]", text)) < 20:
        raise ExtractionError("Tệp PDF không có lớp văn bản (có thể là bản quét ảnh); vui lòng dùng bản PDF có chữ "
                              "hoặc nhận dạng ký tự (OCR) trước khi tải lên.")
    return text


def read_document(data: bytes, filename: str) -> str:
    """Text of an uploaded document; raises ExtractionError (Vietnamese message) for bad input."""
    if not isinstance(data, bytes | bytearray):
        raise ExtractionError("Dữ liệu tệp không hợp lệ.")
    if len(data) == 0:
        raise ExtractionError("Tệp rỗng, không có nội dung để trích xuất.")
    if len(data) > MAX_BYTES:
        raise ExtractionError("Tệp quá lớn (vượt quá 20 MB), vui lòng tải lên tệp nhỏ hơn.")
    data = bytes(data)
    suffix = _suffix(filename)
    if suffix == ".docx" or (suffix not in TEXT_SUFFIXES | HTML_SUFFIXES and data[:2] == b"PK"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ExtractionError("Tệp .docx bị hỏng hoặc không đúng định dạng Word.")
        check_zip(data)
        text = _docx_text(data)
    elif suffix == ".pdf" or data[:5] == b"%PDF-":
        text = _pdf_text(data)
    elif suffix == ".doc":
        raise ExtractionError("Định dạng .doc (Word cũ) chưa được hỗ trợ; vui lòng lưu lại thành .docx hoặc .pdf.")
    elif suffix in HTML_SUFFIXES:
        text = html_to_text(_decode_text(data))
    elif suffix in TEXT_SUFFIXES:
        text = _decode_text(data)
        if suffix == "" and re.search(r"<html|<body|<p[ >]", text[:2000], re.IGNORECASE):
            text = html_to_text(text)
    else:
        raise ExtractionError(f"Định dạng tệp {suffix} chưa được hỗ trợ; hãy dùng .txt, .md, .docx, .pdf hoặc .html.")
    if len(text) > MAX_TEXT_CHARS:
        raise refuse(f"văn bản dài hơn {MAX_TEXT_CHARS} ký tự")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ExtractionError("Tệp không có nội dung văn bản để trích xuất.")
    return text
