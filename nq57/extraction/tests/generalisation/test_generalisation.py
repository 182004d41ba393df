"""Generalisation check: hand-written notices in the style of the series (other agencies, phrasings and layouts than
the shared seeds), annotated by hand per SCHEMA.md and scored with the shared scorer's own formulas."""

from pathlib import Path

import pytest

from nq57.extraction.tests.scoring import scores

HERE = Path(__file__).resolve().parent
CASES = [pytest.param(g, g.with_suffix(".txt"), id=g.stem) for g in sorted(HERE.glob("*.json"))
         if g.with_suffix(".txt").is_file()]


@pytest.mark.parametrize(("gold_path", "source"), CASES)
def test_generalisation(gold_path, source):
    _, f1, lead, deadline = scores(gold_path, source)
    assert f1 >= 0.9 and lead >= 0.9 and deadline >= 0.9, (f1, lead, deadline)


def test_cases_present():
    assert len(CASES) >= 4


@pytest.mark.parametrize(("phrase", "kind", "due"), [
    ("hoàn thành trong 6 tháng đầu năm 2026", "month", "2026-06-30"),
    ("trong 6 tháng cuối năm 2025", "month", "2025-12-31"),
    ("bám sát kế hoạch 6 tháng cuối năm 2025", "none", None),  # a plan's name, not a deadline
    ("Hoàn thành năm 2026.", "year", "2026-12-31"),
    ("Hoàn thành Quý IV/2025.", "quarter", "2025-12-31"),
    ("xong trước 30/9/2025", "date", "2025-09-30"),
    ("đến ngày 31/12/2025", "date", "2025-12-31"),
    ("tính đến ngày 31/7/2025, đã có 20 đơn vị", "none", None),
    ("hoàn thành trong giai đoạn 2025 - 2026", "year", "2026-12-31"),
    ("Đề án giai đoạn 2025 - 2030", "none", None),
    ("trước cuối năm 2025", "year", "2025-12-31"),
    ("ban hành ngay khi Luật Chuyển đổi số có hiệu lực thi hành", "event", None),
    ("trình tại Kỳ họp thứ 11 của Quốc hội", "event", None),
    ("báo cáo kết quả trước ngày 20 hằng tháng", "recurring", None),
])
def test_deadline_phrases(phrase, kind, due):
    from nq57.extraction.vietnamese import analyse_schedule

    dl, _ = analyse_schedule(phrase, year_hint=2025)
    assert (dl.kind, dl.due.isoformat() if dl.due else None) == (kind, due)


@pytest.mark.parametrize(("text", "lead", "coordinating"), [
    ("Đề nghị Tỉnh ủy Bình Dương chỉ đạo xây dựng khu công nghệ thông tin.", ["Tỉnh ủy Bình Dương"], []),
    ("Giao Bộ Công an chủ trì, phối hợp với Viettel triển khai.", ["Bộ Công an"],
     ["Tập đoàn Công nghiệp - Viễn thông Quân đội"]),
    ("Đối với Bộ Quốc phòng, Bộ Công an", ["Bộ Quốc phòng", "Bộ Công an"], []),
    ("Đồng chí Thống đốc Ngân hàng Nhà nước Việt Nam chỉ đạo triển khai.", ["Ngân hàng Nhà nước Việt Nam"], []),
    ("Bộ Tài chính (chủ trì), Bộ Xây dựng hướng dẫn cơ chế.", ["Bộ Tài chính"], ["Bộ Xây dựng"]),
    ("UBND các tỉnh: Quảng Ninh, Nghệ An chủ trì triển khai.",
     ["Ủy ban nhân dân tỉnh Quảng Ninh", "Ủy ban nhân dân tỉnh Nghệ An"], []),
    ("Bộ Y tế phối hợp với các trường đại học đào tạo nhân lực.", ["Bộ Y tế"], ["Các trường đại học"]),
    ("Tỉnh ủy, Ủy ban nhân dân tỉnh Nghệ An chủ trì xây dựng đề án.",
     ["Tỉnh ủy Nghệ An", "Ủy ban nhân dân tỉnh Nghệ An"], []),
    ("Thành ủy và UBND Thành phố Hải Phòng rà soát quy hoạch.",
     ["Thành ủy Hải Phòng", "Ủy ban nhân dân Thành phố Hải Phòng"], []),
])
def test_addressees(text, lead, coordinating):
    from nq57.extraction.agencies import AgencyParser
    from nq57.extraction.registry import default_resolver

    a = AgencyParser(default_resolver()).analyse(text)
    assert [r.name for r in a.lead] == lead
    assert [r.name for r in a.coordinating] == coordinating
