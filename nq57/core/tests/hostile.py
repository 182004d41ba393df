"""Hostile files built on the spot (no fixture files): each small on disk, huge or slow once read naively.

Every builder streams what it writes, so building a file that expands to 100 MB costs the test little memory."""

from __future__ import annotations

import io
import zipfile
import zlib


def docx_bomb(expanded_mb: int = 100) -> bytes:
    """A valid .docx whose word/document.xml inflates to *expanded_mb* MB of paragraphs."""
    from docx import Document

    base = io.BytesIO()
    Document().save(base)
    out = io.BytesIO()
    paragraph = b"<w:p><w:r><w:t>Nhiem vu " + b"a" * 30 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item))
                continue
            xml = src.read(item).decode()
            head, tail = xml.split("<w:body>", 1)
            with dst.open(_member("word/document.xml"), "w", force_zip64=True) as stream:
                stream.write((head + "<w:body>").encode())
                for _ in range(expanded_mb * 1024 * 1024 // len(paragraph)):
                    stream.write(paragraph)
                stream.write(tail.encode())
    return out.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_shared_stream(pages: int = 1000, lines: int = 3000) -> bytes:
    """*pages* pages that all draw one compressed content stream of *lines* lines of text."""
    line = b"BT /F1 8 Tf %d %d Td (Nhiem vu so %d cua bo nganh dia phuong) Tj ET\n"
    text = b"".join(line % (10 + i % 5, 10 + i % 780, i) for i in range(lines))
    stream = zlib.compress(text, 9)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    objects += [page] * pages
    return _pdf(objects)


def pdf_many_pages(pages: int = 100_000) -> bytes:
    """A page tree of *pages* tiny pages (one shared one-line content stream)."""
    return pdf_shared_stream(pages=pages, lines=1)


def nested_numbering_text(levels: int = 60, size_mb: float = 2.3) -> bytes:
    """Plain text of numbered items nested *levels* deep (1., 1.1., 1.1.1. …), repeated to *size_mb* MB."""
    lines = []
    for depth in range(1, levels + 1):
        number = ".".join(["1"] * depth)
        lines.append(f"{number}. Bộ Khoa học và Công nghệ chủ trì, hoàn thành trước ngày 30/6/2026, nội dung {depth}.")
    block = ("\n".join(lines) + "\n").encode()
    return block * max(1, int(size_mb * 1024 * 1024 // len(block)))


def _xlsx_with_sheet(write_rows, *, doctype: bytes = b"") -> bytes:
    from openpyxl import Workbook

    base = io.BytesIO()
    Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
                continue
            with dst.open(_member(item.filename), "w", force_zip64=True) as stream:
                stream.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype)
                stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                             b"<sheetData>")
                write_rows(stream)
                stream.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _header_row(stream) -> None:
    cells = [("A", "Số thông báo"), ("B", "Nội dung nhiệm vụ"), ("C", "Cơ quan chủ trì"), ("D", "Thời hạn")]
    stream.write(b'<row r="1">' + b"".join(f'<c r="{c}1" t="inlineStr"><is><t>{v}</t></is></c>'.encode()
                                           for c, v in cells) + b"</row>")


def xlsx_blank_rows(rows: int = 5_000_000) -> bytes:
    """A task sheet with its header, then *rows* blank rows (each with an empty styled cell)."""

    def write(stream):
        _header_row(stream)
        for start in range(2, rows + 2, 10000):
            stream.write(b"".join(b"<row r=\"%d\"/>" % n
                                  for n in range(start, min(start + 10000, rows + 2))))

    return _xlsx_with_sheet(write)


def xlsx_with_entity() -> bytes:
    """A task sheet whose cells use an internal DTD entity (the start of a "billion laughs")."""

    def write(stream):
        _header_row(stream)
        stream.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol;</t></is></c></row>')

    return _xlsx_with_sheet(write, doctype=b'<!DOCTYPE worksheet [<!ENTITY lol "lollollollollol">]>\n')


def allocate(mb: int) -> int:
    """Hold *mb* MB at once (to hit the sandbox's memory limit)."""
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def spin() -> None:
    """Burn CPU until stopped (to hit the sandbox's CPU limit)."""
    n = 0
    while True:
        n += 1
