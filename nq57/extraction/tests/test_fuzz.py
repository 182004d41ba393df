"""Random and hostile text must never raise anything but ExtractionError."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.extraction import ExtractionError, extract_text, read_document

VI = "Bộ Khoa học và Công nghệ chủ trì, phối hợp với các bộ, ngành, địa phương hoàn thành trước ngày 30/7/2025. "
PIECES = st.sampled_from([
    VI, "1. ", "a) ", "- ", "+ ", "* ", "(1) ", "(i) ", "I- ", "## II. ", "**", "*", ":", "\n", "\n\n", "| ", " | ",
    "|---|---|", "Nơi nhận:", "Hoàn thành trong tháng 13/2025.", "trước ngày 31/02/2025", "Quý IX/2025", "Số: 1-TB/TGV",
    "\x00", "\x07", "\u200b", "\ufeff", "中文", "русский", "العربية", "😀", "Uỷ ban", "thuỷ lợi", "(", ")", "…",
    "Hàng tháng có báo cáo", "các Bộ: ", "đồng chí Nguyễn Văn A, ", "Đảng uỷ Chính phủ chỉ đạo:", "x" * 500,
])


@given(st.lists(PIECES, max_size=40))
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
def test_structured_garbage(parts):
    try:
        result = extract_text("".join(parts))
    except ExtractionError as exc:
        assert str(exc)
        return
    assert set(result) == {"source", "notice", "tasks", "targets"}


@given(st.text(max_size=400))
@settings(max_examples=60, deadline=None, database=None)
def test_random_text(s):
    try:
        extract_text(VI + s)
    except ExtractionError:
        pass


@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.html", "a", "a.md"]))
@settings(max_examples=60, deadline=None, database=None)
def test_random_bytes(data, name):
    try:
        text = read_document(data, name)
        extract_text(text)
    except ExtractionError:
        pass


def test_hostile_shapes():
    cases = [
        VI + "a" * 200_000,  # a huge line
        "\n".join(("- " * (i % 50)) + VI for i in range(300)),  # deep bullet nesting
        "\n".join(["| TT | Tên nhiệm vụ | Cơ quan chủ trì |", "|---|", "| 1. | " + VI, "| | | | | | | | |"] * 20),
        "1. " + VI + "\n" + "(1) (2) (3) : : : " * 200,
        ("a) " + VI + "\n") * 500,
        VI + "中文русскийالعربية" * 100,
    ]
    for text in cases:
        try:
            result = extract_text(text)
            assert isinstance(result["tasks"], list)
        except ExtractionError:
            pass
