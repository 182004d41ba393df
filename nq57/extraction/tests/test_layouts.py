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


def _as_html(text: str) -> str:
    """The notice as a printed page: paragraphs, and each Markdown table as a ruled table."""
    parts, rows = [], []

    def close_table():
        if rows:
            body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
            parts.append(f"<table>{body}</table>")
            rows.clear()

    for line in text.split("\n"):
        if line.startswith("# source") or line.startswith("# completeness"):
            continue
        if line.lstrip().startswith("|"):
            cells = [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append(cells)
            continue
        close_table()
        if line.strip():
            parts.append(f"<p>{html.escape(line.lstrip('# ').replace('**', '').replace('*', ''))}</p>")
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
