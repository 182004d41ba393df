"""Limits on what reading one uploaded file may cost, checked while reading (plain Python, no Django).

A small file can expand without bound: a zip member whose XML inflates a thousandfold, a PDF whose thousand pages
share one content stream, a page tree of 100,000 pages, a workbook padded with millions of blank rows. Each reader
stops at the first limit passed and raises ExtractionError with a Vietnamese message; the memory and CPU left over
are bounded by the child process the reading runs in (``nq57.core.sandbox``).
"""

from __future__ import annotations

import io
import zipfile

from .errors import ExtractionError

MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024  # all members, as declared and as inflated
MAX_ZIP_XML_BYTES = 40 * 1024 * 1024  # XML members only: the parsers hold ~10x this in memory
MAX_ZIP_RATIO = 200  # inflated / compressed, for members over 1 MB inflated
MAX_PDF_PAGES = 1000
MAX_PAGE_CHARS = 30_000  # a dense A4 page in 9 pt type holds ~8,000
MAX_TEXT_CHARS = 1_500_000  # a 300-page action programme is ~900,000 characters
MAX_TABLE_CELLS = 200_000
MAX_SHEET_ROWS = 100_000  # rows walked in a worksheet, blank ones included
MAX_SHEET_CELLS = 2_000_000

TOO_BIG = "Tệp quá lớn hoặc quá phức tạp để đọc ({what}); hãy tách văn bản thành các tệp nhỏ hơn."
_CHUNK = 1024 * 1024


def refuse(what: str) -> ExtractionError:
    return ExtractionError(TOO_BIG.format(what=what))


def check_zip(data: bytes) -> None:
    """Refuse a zip (.docx/.xlsx) whose members inflate past the limits, declare one size and hold another, or
    carry a DTD (entity expansion): every member is inflated once, chunk by chunk, before any parser sees it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ExtractionError("Tệp nén (.docx/.xlsx) bị hỏng hoặc không đúng định dạng.") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise refuse(f"hơn {MAX_ZIP_MEMBERS} thành phần trong tệp nén")
        declared = sum(m.file_size for m in members)
        if declared > MAX_ZIP_TOTAL_BYTES:
            raise refuse(f"nội dung giải nén vượt {MAX_ZIP_TOTAL_BYTES // 2**20} MB")
        total = xml_total = 0
        for member in members:
            is_xml = member.filename.lower().endswith((".xml", ".rels", ".vml"))
            if member.file_size > 2**20 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
                raise refuse("tỉ lệ nén bất thường")
            inflated = 0
            try:
                with archive.open(member) as stream:
                    head = b""
                    while chunk := stream.read(_CHUNK):
                        if is_xml and len(head) < 4096:
                            head += chunk[:4096]
                            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                                raise ExtractionError("Tệp chứa khai báo DTD/thực thể XML, không được chấp nhận vì lý "
                                                      "do an toàn; hãy lưu lại tệp từ Word/Excel rồi tải lên lại.")
                        inflated += len(chunk)
                        total += len(chunk)
                        if is_xml:
                            xml_total += len(chunk)
                        if inflated > member.file_size or total > MAX_ZIP_TOTAL_BYTES:
                            raise refuse(f"nội dung giải nén vượt {MAX_ZIP_TOTAL_BYTES // 2**20} MB")
                        if xml_total > MAX_ZIP_XML_BYTES:
                            raise refuse(f"phần XML giải nén vượt {MAX_ZIP_XML_BYTES // 2**20} MB")
            except ExtractionError:
                raise
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
                raise ExtractionError("Tệp nén (.docx/.xlsx) bị hỏng hoặc không đúng định dạng.") from exc
