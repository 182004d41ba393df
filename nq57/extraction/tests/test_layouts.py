"""The same notice in the layouts it arrives in: one paragraph a line (as the seeds are), hard-wrapped at a fixed
width (a PDF's text layer, a plain-text e-mail), and a real PDF printed by chromium, its tables ruled as tables.
Each is scored against the same gold annotations with the shared scorer's formulas."""

import html
import re
import textwrap
import unicodedata
from pathlib import Path

import pytest

from nq57.extraction.reader import _join_split_tables, _markdown_table
from nq57.extraction.structure import wrap_width
from nq57.extraction.tests.scoring import SHARED, scores

GENERALISATION = Path(__file__).resolve().parent / "generalisation"
GOLD = SHARED / "extraction" / "gold"

def _documents() -> list:
    docs = [pytest.param(g, g.with_suffix(".txt"), id=g.stem) for g in sorted(GENERALISATION.glob("*.json"))]
    for g in sorted(GOLD.glob("*.json")) if GOLD.is_dir() else []:
        source = next((p for p in (SHARED / "seeds" / f"{g.stem}.txt", SHARED / "corpus" / f"{g.stem}.txt")
                       if p.is_file()), None)
        if source is not None:
            docs.append(pytest.param(g, source, id=g.stem[:8]))
    return docs


DOCUMENTS = _documents()


def hard_wrap(text: str, width: int) -> str:
    """Break every paragraph line longer than ``width`` the way a text layer does (tables stay as they are)."""
    lines = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        keep = line.lstrip().startswith("|") or len(line) <= width
        lines.extend([line] if keep else textwrap.wrap(line, width))
    return "\n".join(lines)


@pytest.mark.parametrize("width", [60, 90])
@pytest.mark.parametrize(("gold_path", "source"), DOCUMENTS)
def test_a_hard_wrapped_notice_reads_as_well_as_one_paragraph_a_line(gold_path, source, width):
    _, f1, lead, deadline = scores(gold_path, text=hard_wrap(source.read_text(encoding="utf-8"), width))
    assert f1 >= 0.95 and lead >= 0.95 and deadline >= 0.95, (f1, lead, deadline)


def _without_markdown(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![*\w])\*(?!\*)(.+?)(?<!\*)\*(?![*\w])", r"\1", text)
    return re.sub(r"^#+\s*", "", text, flags=re.M)


def _old_tone_marks(text: str) -> str:
    for new, old in (("hóa", "hoá"), ("Hóa", "Hoá"), ("hòa", "hoà"), ("khỏe", "khoẻ"), ("ủy", "uỷ"), ("Ủy", "Uỷ"),
                     ("thủy", "thuỷ")):
        text = text.replace(new, old)
    return text


VARIANTS = {
    "nfd": lambda t: unicodedata.normalize("NFD", t),
    "old-tone-marks": _old_tone_marks,
    "no-markdown": _without_markdown,
    "party-style-dates": lambda t: re.sub(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b", r"\1-\2-\3", t),  # 30-7-2025
    "windows-line-ends": lambda t: t.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("gold_path", "source"), [d for d in DOCUMENTS if d.id != "03-NQ-CP"])  # the PDF test has it
def test_the_same_notice_typed_differently_reads_the_same(gold_path, source, variant):
    _, f1, lead, deadline = scores(gold_path, text=VARIANTS[variant](source.read_text(encoding="utf-8")))
    assert f1 >= 0.95 and lead >= 0.95 and deadline >= 0.95, (f1, lead, deadline)


@pytest.mark.parametrize(("gold_path", "source"), DOCUMENTS)
def test_wrapping_is_recognised_only_where_it_is(gold_path, source):
    text = source.read_text(encoding="utf-8")
    assert wrap_width(text.split("\n")) == 0  # one paragraph a line: the usual reading applies unchanged
    assert 65 <= wrap_width(hard_wrap(text, 80).split("\n")) <= 80


def test_a_table_cut_by_a_page_break_is_joined_and_its_repeated_header_dropped():
    header = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì"]
    blocks = ["PHỤ LỤC", [header, ["1.", "Xây dựng đề án", "Bộ Y tế"]], " 12 ",
              [header, ["2.", "Ban hành nghị định", "Bộ Tư pháp"]], [["a", "b"], ["c", "d"]]]
    joined = _join_split_tables(blocks)
    assert joined[0] == "PHỤ LỤC" and len(joined) == 3
    assert joined[1] == [header, ["1.", "Xây dựng đề án", "Bộ Y tế"], ["2.", "Ban hành nghị định", "Bộ Tư pháp"]]
    head = _markdown_table(joined[1]).split("\n")[:2]
    assert head == ["| TT | Tên nhiệm vụ | Cơ quan chủ trì |", "| --- | --- | --- |"]


#: a line that opens an item of its own ("1.", "a)", "- ", "II.", after any specks an OCR run put before the mark)
_ITEM_START = re.compile(r"^[_~`'·|. ]*(?:\d{1,3}[.)]|[a-zđ]\)|[-+•*]\s|[IVX]{1,5}\.|\(\w{1,4}\))")


def _as_html(text: str) -> str:
    """The notice as a printed page: paragraphs, and each Markdown table as a ruled table. A source that was itself
    hard-wrapped (an OCR text layer) is set as the paragraphs it was: its wrapped lines joined until a blank line or
    a line that opens an item, so the printer wraps them again."""
    parts, rows, block = [], [], []
    hard_wrapped = bool(wrap_width(text.split("\n")))

    def close_paragraph():
        if block:
            parts.append(f"<p>{html.escape(' '.join(block))}</p>")
            block.clear()

    def close_table():
        if rows:
            body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
            parts.append(f"<table>{body}</table>")
            rows.clear()

    for line in text.split("\n"):
        if line.startswith("# source") or line.startswith("# completeness"):
            continue
        s = line.strip()
        if s.startswith("|") or s.count("|") >= 2:  # a Markdown table row, or a plain "|"-separated one
            close_paragraph()
            cells = [c.strip().replace("**", "") for c in s.strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                rows.append(cells)
            continue
        if not s and rows:
            continue  # a blank line between two rows of one table
        close_table()
        if not s:
            close_paragraph()
            continue
        plain = s.lstrip("# ").replace("**", "").replace("*", "")
        if not hard_wrapped or _ITEM_START.match(plain):
            close_paragraph()
        block.append(plain)
        if not hard_wrapped:
            close_paragraph()
    close_paragraph()
    close_table()
    style = ("body{font-family:'DejaVu Serif',serif;font-size:12pt} p{margin:0 0 5pt;text-align:justify}"
             "table{border-collapse:collapse;width:100%;font-size:9pt} td{border:1px solid #000;padding:2pt}")
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body>{''.join(parts)}</body></html>"


PDF_DOCUMENTS = [d for d in DOCUMENTS if d.id in {"g1_tgv_tuyen_giao", "g4_action_programme", "000_6682",
                                                   "002_99d7", "03-NQ-CP"}]


@pytest.mark.browser
@pytest.mark.parametrize(("gold_path", "source"), PDF_DOCUMENTS)
def test_a_printed_pdf_reads_as_well_as_its_text(browser, tmp_path, gold_path, source):
    page = browser.new_page()
    try:
        page.set_content(_as_html(source.read_text(encoding="utf-8")))
        pdf = tmp_path / "thong-bao.pdf"
        page.pdf(path=str(pdf), format="A4", landscape=True,
                 margin={"top": "1.5cm", "bottom": "1.5cm", "left": "2cm", "right": "1.5cm"})
    finally:
        page.close()
    _, f1, lead, deadline = scores(gold_path, pdf)
    assert f1 >= 0.95 and lead >= 0.95 and deadline >= 0.95, (f1, lead, deadline)


def _print_pdf(browser, text: str, path: Path) -> Path:
    page = browser.new_page()
    try:
        page.set_content(_as_html(text))
        page.pdf(path=str(path), format="A4", landscape=True,
                 margin={"top": "1.5cm", "bottom": "1.5cm", "left": "2cm", "right": "1.5cm"})
    finally:
        page.close()
    return path


DEV = SHARED / "extraction" / "dev"
DEV_NAMES = ["ct11-ttg-2020", "cv3722-vpcp-2026", "kh3260-ddqh-2025", "ndo-bcdtw-phien1-2025", "nq12-cp-2023",
             "tb453-ubndhn-2026"]


@pytest.mark.browser
@pytest.mark.parametrize("name", DEV_NAMES)
def test_a_dev_document_printed_to_pdf_reads_within_two_points_of_its_text(browser, tmp_path, name):
    """The other kinds of documents (letters, plans, resolutions with annex tables, news, OCR) printed to PDF: their
    paragraphs come back from the paragraph spacing, their bullets may be lost, their lead-ins wrap."""
    gold, source = DEV / f"{name}.json", DEV / f"{name}.txt"  # fails loudly when ../shared is missing
    pdf = _print_pdf(browser, source.read_text(encoding="utf-8"), tmp_path / f"{name}.pdf")
    _, *as_pdf = scores(gold, pdf)
    _, *plain = scores(gold, source)
    assert all(p >= t - 0.02 for p, t in zip(as_pdf, plain, strict=True)), (name, as_pdf, plain)


@pytest.mark.browser
def test_paragraph_spacing_in_a_pdf_separates_paragraphs(browser, tmp_path):
    from nq57.extraction import read_document

    text = ("Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành rà soát toàn bộ thủ tục hành chính liên quan đến khởi "
            "nghiệp sáng tạo và gửi kết quả về Sở Khoa học và Công nghệ trước ngày 15 tháng 3 năm 2026.\n\n"
            "Sở Tài chính có trách nhiệm bố trí kinh phí cho các nhiệm vụ nêu trên trong dự toán năm 2026 của tỉnh.")
    pdf = _print_pdf(browser, text, tmp_path / "hai-doan.pdf")
    paragraphs = [p for p in read_document(pdf.read_bytes(), "hai-doan.pdf").split("\n\n") if p.strip()]
    assert len(paragraphs) == 2 and paragraphs[1].startswith("Sở Tài chính")
