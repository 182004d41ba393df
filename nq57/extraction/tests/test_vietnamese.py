import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nq57.extraction.vietnamese import (
    analyse_schedule,
    canon,
    fold,
    int_to_roman,
    last_day_of_month,
    parse_deadline,
    parse_report,
    quarter_end,
    roman_to_int,
    strip_markdown_emphasis,
)

TONE_CASES = [
    ("Uỷ", "Ủy"), ("UỶ", "ỦY"), ("hoá", "hóa"), ("thuỷ", "thủy"), ("Hoà", "Hòa"), ("khoẻ", "khỏe"), ("tuỳ", "tùy"),
    ("toà", "tòa"), ("hoạ", "họa"), ("Thuý", "Thúy"), ("HOÀ", "HÒA"),
    # closed syllables stay as they are
    ("hoàn", "hoàn"), ("suýt", "suýt"), ("huỳnh", "huỳnh"), ("khuỷu", "khuỷu"), ("hoạch", "hoạch"), ("loẹt", "loẹt"),
    # forms that are the same in every style
    ("quý", "quý"), ("Quỳnh", "Quỳnh"), ("quả", "quả"), ("thuở", "thuở"), ("mùa", "mùa"), ("giữa", "giữa"),
    # NFD input
    (unicodedata.normalize("NFD", "Uỷ ban"), "Ủy ban"), (unicodedata.normalize("NFD", "Khánh Hoà"), "Khánh Hòa"),
]


@pytest.mark.parametrize(("given_", "expected"), TONE_CASES)
def test_canon_tone_cases(given_, expected):
    assert canon(given_) == expected


def test_canon_keeps_text_and_punctuation():
    s = "Ủy ban nhân dân tỉnh Khánh Hoà, (thuỷ lợi) - hoàn thành; Internet, blockchain."
    assert canon(s) == "Ủy ban nhân dân tỉnh Khánh Hòa, (thủy lợi) - hoàn thành; Internet, blockchain."
    assert canon("") == ""


def test_fold():
    assert fold("  Uỷ ban   Đặng Hoà ") == "uy ban dang hoa"
    assert fold(unicodedata.normalize("NFD", "Đà Nẵng")) == "da nang"
    assert fold("Ủy") == fold("Uỷ")


@given(st.text(max_size=200))
@settings(max_examples=60, deadline=None, database=None)
def test_canon_fold_never_crash_and_idempotent(s):
    c = canon(s)
    assert canon(c) == c
    assert fold(c) == fold(s)


def test_strip_markdown_emphasis():
    assert strip_markdown_emphasis("**Nhiệm vụ thường xuyên.** và *Bộ Tài chính* khẩn") == \
        "Nhiệm vụ thường xuyên. và Bộ Tài chính khẩn"
    assert strip_markdown_emphasis("a * b") == "a * b"


def test_roman():
    assert roman_to_int("IV") == 4 and roman_to_int("xii") == 12 and roman_to_int("IIII") is None
    assert roman_to_int("") is None and roman_to_int("ABC") is None
    for n in range(1, 60):
        assert roman_to_int(int_to_roman(n)) == n


@pytest.mark.parametrize(("phrase", "kind", "due"), [
    ("trước tháng 8/2025", "month", date(2025, 7, 31)),
    ("Hoàn thành trước tháng 1/2026", "month", date(2025, 12, 31)),
    ("trong tháng 7/2025", "month", date(2025, 7, 31)),
    ("Quý II/2025", "quarter", date(2025, 6, 30)),
    ("trong Quý III/2025", "quarter", date(2025, 9, 30)),
    ("2025 - 2026", "year", date(2026, 12, 31)),
    ("2025-2026", "year", date(2026, 12, 31)),
    ("2025", "year", date(2025, 12, 31)),
    ("6/2025", "month", date(2025, 6, 30)),
    ("Tháng 10/2025", "month", date(2025, 10, 31)),
    ("trong năm 2025", "year", date(2025, 12, 31)),
    ("trong tháng 01 năm 2025", "month", date(2025, 1, 31)),
    ("trước ngày 30/7/2025", "date", date(2025, 7, 30)),
    ("từ ngày 01/7/2025", "date", date(2025, 7, 1)),
    ("trước ngày 28/5", "date", date(2025, 5, 28)),
    ("Hoàn thành trước 15/10/2025", "date", date(2025, 10, 15)),
    ("Thường xuyên", "recurring", None),
    ("Nhiệm vụ thường xuyên", "recurring", None),
    ("Hằng năm", "recurring", None),
    ("2025 và những năm tiếp theo", "recurring", None),
    ("trình Quốc hội tại Kỳ họp thứ 10", "event", None),
    ("Hoàn thành theo lộ trình", "roadmap", None),
])
def test_parse_deadline(phrase, kind, due):
    d = parse_deadline(phrase, year_hint=2025)
    assert d is not None and d.kind == kind and d.due == due


@pytest.mark.parametrize(
    "phrase", ["31/02/2025", "trước ngày 31/02/2025", "trong tháng 13/2025", "", "   ", "Quý V/2025"]
)
def test_invalid_dates_are_not_dates(phrase):
    d = parse_deadline(phrase, year_hint=2025)
    assert d is None or d.due is None


def test_schedule_rules():
    dl, rep = analyse_schedule("Chủ trì ... hoàn thành trước ngày 18/6/2025. Báo cáo kết quả thực hiện về Thường trực "
                               "Ban Chỉ đạo trong ngày 17/6/2025.", year_hint=2025)
    assert (dl.kind, dl.due, rep.due) == ("date", date(2025, 6, 18), date(2025, 6, 17))
    dl, rep = analyse_schedule("Rà soát. Báo cáo Thường trực Ban Chỉ đạo trước ngày 30/7/2025.", year_hint=2025)
    assert dl.due == rep.due == date(2025, 7, 30)
    dl, rep = analyse_schedule("Hoàn thành trước ngày 20/6/2025 và thực hiện thường xuyên.", year_hint=2025)
    assert (dl.kind, dl.due) == ("date", date(2025, 6, 20))
    dl, rep = analyse_schedule("Xây dựng dự án luật, trình Quốc hội thông qua tại Kỳ họp thứ 10. Hoàn thành trong "
                               "tháng 6/2025.", year_hint=2025)
    assert (dl.kind, dl.due) == ("month", date(2025, 6, 30))
    dl, rep = analyse_schedule("gửi về Bộ Khoa học và Công nghệ tổng hợp trước ngày 15/7/2025 để báo cáo Thường trực.",
                               year_hint=2025)
    assert dl.due == date(2025, 7, 15) and rep is None
    dl, rep = analyse_schedule("Triển khai. Hàng tháng có báo cáo kết quả thực hiện, gửi Cơ quan Thường trực.",
                               year_hint=2025)
    assert dl.kind == "recurring" and rep.cadence == "monthly" and rep.due is None
    dl, rep = analyse_schedule("định kỳ 6 tháng báo cáo kết quả trước ngày 15 tháng 6 và trước ngày 01 tháng 12.",
                               year_hint=2025)
    assert dl.kind == "recurring" and rep.cadence == "semiannual" and rep.due is None


def test_parse_report():
    assert parse_report("kịp thời báo cáo và kiến nghị Chính phủ", year_hint=2025) is None
    assert parse_report("Các bộ, ngành định kỳ hằng năm báo cáo về tỷ lệ đóng góp", year_hint=2025).cadence == "yearly"
    assert parse_report("", year_hint=None) is None


@given(st.integers(1900, 2200), st.integers(1, 12))
@settings(max_examples=80, deadline=None, database=None)
def test_month_end(y, m):
    d = last_day_of_month(y, m)
    assert d.month == m and (d + timedelta(days=1)).day == 1
    if m == 2:
        leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
        assert d.day == (29 if leap else 28)


@given(st.integers(1900, 2200), st.integers(1, 4))
@settings(max_examples=40, deadline=None, database=None)
def test_quarter_end(y, q):
    d = quarter_end(y, q)
    assert d.month == 3 * q and (d + timedelta(days=1)).day == 1
    phrase = f"trong Quý {int_to_roman(q)}/{y}"
    got = parse_deadline(phrase, year_hint=None)
    assert got.kind == "quarter" and got.due == d


@given(st.integers(1901, 2199), st.integers(1, 12))
@settings(max_examples=80, deadline=None, database=None)
def test_before_month_is_end_of_previous_month(y, m):
    got = parse_deadline(f"Hoàn thành trước tháng {m}/{y}", year_hint=None)
    expected = date(y - 1, 12, 31) if m == 1 else last_day_of_month(y, m - 1)
    assert got.kind == "month" and got.due == expected


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)),
       st.sampled_from(["trước ngày", "trong ngày", "từ ngày", "Hoàn thành trước ngày", "trước", "chậm nhất"]),
       st.booleans(), st.sampled_from("/-."))
@settings(max_examples=80, deadline=None, database=None)
def test_date_round_trip(d, prep, pad, sep):
    day = f"{d.day:02d}" if pad else str(d.day)
    got = parse_deadline(f"{prep} {day}{sep}{d.month}{sep}{d.year}", year_hint=None)  # "30-7-2025": Party style
    assert got.kind == "date" and got.due == d
    if prep.endswith("ngày"):
        got = parse_deadline(f"{prep} {d.day} tháng {d.month} năm {d.year}", year_hint=None)
        assert got.kind == "date" and got.due == d


@given(st.integers(1900, 2200), st.integers(1, 12), st.sampled_from(["trong tháng", "Hoàn thành trong tháng", "Tháng"]),
       st.sampled_from(["/", "-", " năm "]))
@settings(max_examples=60, deadline=None, database=None)
def test_month_round_trip(y, m, prep, sep):
    got = parse_deadline(f"{prep} {m}{sep}{y}", year_hint=None)
    assert got.kind == "month" and got.due == last_day_of_month(y, m)


@given(st.integers(1, 40), st.integers(1, 15), st.integers(1900, 2200))
@settings(max_examples=80, deadline=None, database=None)
def test_arbitrary_numbers_never_crash(d, m, y):
    got = parse_deadline(f"trước ngày {d}/{m}/{y}", year_hint=2025)
    try:
        valid = date(y, m, d)
    except ValueError:
        valid = None
    assert (got.due if got else None) == valid
