import io
import unicodedata

import pytest

from nq57.extraction import ExtractionError, extract_text, read_document

SAMPLE = ("Bộ Khoa học và Công nghệ chủ trì, phối hợp với Ủy ban nhân dân tỉnh Khánh Hòa hoàn thành trước ngày "
          "30/7/2025.")


def test_utf8_with_and_without_bom():
    assert read_document(SAMPLE.encode("utf-8"), "a.txt") == SAMPLE
    assert read_document(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "a.txt") == SAMPLE


def test_utf16():
    assert read_document(SAMPLE.encode("utf-16"), "a.txt") == SAMPLE
    assert read_document(SAMPLE.encode("utf-16-le"), "a.txt") == SAMPLE


def test_cp1258_decomposed():
    # Windows-1258 stores most tone marks as combining characters: decode and recompose
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out, pending = [], ""
    for ch in unicodedata.normalize("NFD", SAMPLE):
        if ch in tones:
            pending += ch
            continue
        if unicodedata.combining(ch):  # circumflex, breve, horn: precomposed in cp1258
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
            continue
        if pending:
            out.append(pending)
            pending = ""
        out.append(ch)
    out.append(pending)
    raw = "".join(out).encode("cp1258", errors="strict")
    assert b"\xde" in raw or b"\xec" in raw or b"\xcc" in raw  # combining tone marks are really there
    assert read_document(raw, "a.txt") == unicodedata.normalize("NFC", SAMPLE)


def test_html():
    html = ("<html><head><style>p{}</style><script>var x=1</script></head><body><h1>Thông báo</h1>"
            "<p>Bộ Tài chính chủ trì &amp; thực hiện.</p><ul><li>Một</li><li>Hai</li></ul>"
            "<table><tr><th>TT</th><th>Nhiệm vụ</th></tr><tr><td>1</td><td>Xây dựng</td></tr></table></body></html>")
    text = read_document(html.encode("utf-8"), "a.html")
    assert "Bộ Tài chính chủ trì & thực hiện." in text
    assert "var x" not in text and "- Một" in text and "| 1 | Xây dựng |" in text


def test_docx_with_table():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("1. Bộ Tài chính chủ trì, phối hợp với các bộ, ngành, địa phương xây dựng đề án. "
                    "Hoàn thành trong tháng 9/2025.")
    t = d.add_table(rows=2, cols=6)
    for i, h in enumerate(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả",
                           "Thời gian hoàn thành"]):
        t.rows[0].cells[i].text = h
    for i, v in enumerate(["1.", "Xây dựng nền tảng số", "Bộ Công an", "Các bộ, ngành", "Nền tảng", "12/2025"]):
        t.rows[1].cells[i].text = v
    buf = io.BytesIO()
    d.save(buf)
    text = read_document(buf.getvalue(), "x.docx")
    assert "Bộ Tài chính chủ trì" in text and "| 1. | Xây dựng nền tảng số | Bộ Công an |" in text
    result = extract_text(text)
    row = [t for t in result["tasks"] if t["text"] == "Xây dựng nền tảng số"][0]
    assert row["lead"] == ["Bộ Công an"] and row["deadline"]["due"] == "2025-12-31"


def _pdf(text_ops: bytes) -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text_ops) + text_ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def test_pdf_with_text_layer():
    pytest.importorskip("pdfplumber")
    data = _pdf(b"BT /F1 12 Tf 72 720 Td (Bo Tai chinh chu tri thuc hien nhiem vu nay) Tj ET")
    assert "Bo Tai chinh chu tri" in read_document(data, "x.pdf")


def test_scanned_pdf_without_text():
    pytest.importorskip("pdfplumber")
    with pytest.raises(ExtractionError) as exc:
        read_document(_pdf(b"0 0 m 100 100 l S"), "scan.pdf")
    assert "lớp văn bản" in str(exc.value)


@pytest.mark.parametrize(("data", "name", "needle"), [
    (b"", "a.txt", "rỗng"),
    (b"\x00\x01\x02binary\x00\xff" * 10, "a.txt", "nhị phân"),
    (b"x" * (20 * 1024 * 1024 + 1), "a.txt", "20 MB"),
    (b"PK\x03\x04garbage", "a.docx", ".docx"),
    (b"%PDF-1.4 garbage", "a.pdf", "PDF"),
    (b"data", "a.xyz", "chưa được hỗ trợ"),
])
def test_bad_input(data, name, needle):
    with pytest.raises(ExtractionError) as exc:
        read_document(data, name)
    assert needle in str(exc.value)


@pytest.mark.parametrize("text", [
    "The Ministry of Finance shall lead the drafting of the decree and report to the Government before 30 July. " * 3,
    "Le ministère des Finances est chargé de préparer le décret et d'en rendre compte au gouvernement. " * 3,
])
def test_not_vietnamese(text):
    with pytest.raises(ExtractionError) as exc:
        extract_text(text)
    assert "không phải văn bản tiếng Việt" in str(exc.value)


def test_empty_text():
    with pytest.raises(ExtractionError):
        extract_text("   \n ")
