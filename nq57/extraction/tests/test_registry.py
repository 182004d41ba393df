import unicodedata
from datetime import date

import pytest

from nq57.extraction.registry import AGENCIES, KINDS, AgencyRecord, AgencyResolver, default_resolver


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()


def test_default_resolver_is_cached():
    assert default_resolver() is default_resolver()


def test_shape_and_counts():
    names = [r.name for r in AGENCIES]
    assert len(names) == len(set(names)), "official names are unique"
    assert all(r.kind in KINDS for r in AGENCIES)
    current = [r for r in AGENCIES if r.dissolved_on is None and r.successor is None]
    assert sum(r.kind == "ministry" for r in current) == 14
    assert sum(r.kind == "ministerial_agency" for r in current) == 3
    assert sum(r.kind == "province" for r in current) == 34
    assert sum(r.kind == "provincial_party_committee" for r in current) == 34
    for r in AGENCIES:
        if r.successor:
            assert r.successor in names, r
        if r.parent:
            assert r.parent in names, r
        for m in r.members:
            assert m in names
        assert "Uỷ" not in r.name


def test_merged_agencies():
    by = {r.name: r for r in AGENCIES}
    assert by["Bộ Kế hoạch và Đầu tư"].successor == "Bộ Tài chính"
    assert by["Bộ Kế hoạch và Đầu tư"].dissolved_on == date(2025, 3, 1)
    assert by["Bộ Thông tin và Truyền thông"].successor == "Bộ Khoa học và Công nghệ"
    assert by["Ủy ban nhân dân tỉnh Bình Dương"].successor == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert by["Ủy ban nhân dân tỉnh Bình Dương"].dissolved_on == date(2025, 7, 1)
    assert by["Ban Cơ yếu Chính phủ"].parent == "Bộ Quốc phòng"


@pytest.mark.parametrize(("spelling", "official"), [
    ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
    ("KHCN", "Bộ Khoa học và Công nghệ"),
    ("bộ khoa học và công nghệ", "Bộ Khoa học và Công nghệ"),
    (unicodedata.normalize("NFD", "Bộ Khoa học và Công nghệ"), "Bộ Khoa học và Công nghệ"),
    ("VTV", "Đài Truyền hình Việt Nam"),
    ("TTXVN", "Thông tấn xã Việt Nam"),
    ("UBND TP. Hồ Chí Minh", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("TP Hồ Chí Minh", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("Tp. HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("Hà Nội", "Ủy ban nhân dân Thành phố Hà Nội"),
    ("tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh"),
    ("Uỷ ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"),
    ("Thành uỷ TP HCM", "Thành ủy Thành phố Hồ Chí Minh"),
    ("Tỉnh ủy Thanh Hoá", "Tỉnh ủy Thanh Hóa"),
    ("Bộ, ngành, địa phương", "Các bộ, ngành, địa phương"),
    ("các Bộ, ngành và các địa phương", "Các bộ, ngành, địa phương"),
    ("Bộ Khoa học, Công nghệ", "Bộ Khoa học và Công nghệ"),
    ("Viện Hàn lâm Khoa học và Công nghệ", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"),
    ("Ngân hàng nhà nước Việt Nam", "Ngân hàng Nhà nước Việt Nam"),
    ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
     "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"),
    ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ",
     "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"),
    ("Các tỉnh, thành phố trực thuộc TW", "Các tỉnh, thành phố trực thuộc Trung ương"),
    ("Thừa Thiên Huế", "Ủy ban nhân dân Thành phố Huế"),
])
def test_resolve(resolver, spelling, official):
    assert resolver.resolve(spelling) == official


@pytest.mark.parametrize("unknown", ["Sở Khoa học và Công nghệ tỉnh Atlantis", "", "xyz", "Bộ"])
def test_unknown(resolver, unknown):
    assert resolver.resolve(unknown) is None


def test_members(resolver):
    cities = resolver.members("Ủy ban nhân dân các thành phố trực thuộc Trung ương")
    assert len(cities) == 6 and "Ủy ban nhân dân Thành phố Hà Nội" in cities
    provinces = resolver.members("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương")
    assert len(provinces) == 34 and "Ủy ban nhân dân tỉnh Bình Dương" not in provinces
    ministries = resolver.members("Các bộ, ngành, địa phương")
    assert "Bộ Tài chính" in ministries and "Bộ Kế hoạch và Đầu tư" not in ministries
    assert resolver.members("Bộ Tài chính") == []
    assert resolver.members("không có") == []


def test_custom_records():
    r = AgencyResolver([AgencyRecord("Sở Thử nghiệm", "other", ("STN",))])
    assert r.resolve("stn") == "Sở Thử nghiệm"
    assert r.resolve("Bộ Tài chính") is None
    assert r.match_at("STN chủ trì", 0) == ("Sở Thử nghiệm", 3)
