import unicodedata

import pytest

from nq57.search import selectors, services
from nq57.search.models import SearchEntry, SearchTermStat

pytestmark = pytest.mark.django_db

DOCS = {
    1: ("Thủ tục nhập khẩu thiết bị", "Đề nghị đơn giản hoá thủ tục cấp phép nhập khẩu thiết bị nghiên cứu khoa học "
        "cho các phòng thí nghiệm của viện và trường đại học."),
    2: ("Vốn cho khởi nghiệp", "Hỗ trợ doanh nghiệp khởi nghiệp sáng tạo tiếp cận vốn vay ưu đãi từ quỹ đổi mới."),
    3: ("Dữ liệu dân cư", "Kết nối cơ sở dữ liệu quốc gia về dân cư với hệ thống của Uỷ ban nhân dân tỉnh Đà Nẵng."),
    4: ("Thiết bị thí nghiệm", "Thiết bị thí nghiệm nhập về chậm vì thủ tục kiểm tra chuyên ngành kéo dài."),
}


def _load(kind="test.doc", public=(1, 2, 3, 4)):
    for oid, (title, text) in DOCS.items():
        services.entry_index(kind=kind, object_id=oid, title=title, text=text, is_public=oid in public)


def test_search_is_vietnamese_aware():
    _load()
    assert [h.object_id for h in selectors.search("test.doc", "da nang")] == [3]
    assert [h.object_id for h in selectors.search("test.doc", "ỦY BAN")] == [3]
    nfd = unicodedata.normalize("NFD", "dữ liệu quốc gia")
    hits = selectors.search("test.doc", nfd)
    assert [h.object_id for h in hits] == [3]
    assert "dữ liệu quốc gia" in hits[0].snippet  # the snippet is the original text, diacritics kept


def test_phrase_hits_first_and_or_fallback():
    _load()
    hits = selectors.search("test.doc", "thiết bị thí nghiệm")
    assert hits[0].object_id == 4 and hits[0].phrase
    assert {h.object_id for h in hits} == {1, 4}
    assert not [h for h in hits if h.object_id == 1][0].phrase
    # no entry has every word: any word
    assert {h.object_id for h in selectors.search("test.doc", "khởi nghiệp dân cư")} == {2, 3}
    assert selectors.search("test.doc", "   ") == []
    assert selectors.search("test.doc", 'a" OR "b NEAR(') == []  # FTS syntax in a query is just words


def test_kinds_public_only_update_and_remove():
    _load(public=(1, 2))
    _load(kind="other.doc")
    assert {h.object_id for h in selectors.search("test.doc", "thủ tục")} == {1, 4}
    assert {h.object_id for h in selectors.search("test.doc", "thủ tục", public_only=True)} == {1}
    services.entry_index(kind="test.doc", object_id=4, title="Đổi chủ đề", text="Nội dung mới về năng lượng")
    assert {h.object_id for h in selectors.search("test.doc", "thủ tục")} == {1}
    assert [h.object_id for h in selectors.search("test.doc", "nang luong")] == [4]
    assert services.entry_remove(kind="test.doc", object_id=4)
    assert not services.entry_remove(kind="test.doc", object_id=4)
    assert selectors.search("test.doc", "lượng") == []
    assert SearchEntry.objects.filter(kind="other.doc").count() == 4
    stats = dict(SearchTermStat.objects.filter(kind="test.doc").values_list("term", "docs"))
    assert stats[""] == 3 and stats["nang"] == 1 and stats["luong"] == 0 and stats["thu"] == 1


def test_similar_finds_the_near_duplicate_with_shared_passages():
    _load()
    new = ("Kiến nghị đơn giản hóa thủ tục cấp phép nhập khẩu thiết bị nghiên cứu khoa học cho phòng thí nghiệm "
           "trường đại học")
    hits = selectors.similar("test.doc", new, limit=3)
    assert hits[0].object_id == 1 and hits[0].score > 0.5
    assert "đơn giản hóa thủ tục cấp phép nhập khẩu thiết bị" in hits[0].shared[0].b_text  # stored canon
    assert all(h.object_id != 1 for h in selectors.similar("test.doc", new, exclude_ids=[1]))
    assert selectors.similar("test.doc", "") == []
    assert selectors.similar("empty.kind", new) == []


def test_bulk_index_counts_terms():
    n = services.entries_bulk_index(kind="bulk.doc", items=[
        {"object_id": oid, "title": title, "text": text} for oid, (title, text) in DOCS.items()
    ])
    assert n == 4
    assert services.entries_bulk_index(kind="bulk.doc", items=[{"object_id": 1, "title": "x", "text": "y"}]) == 0
    stats = dict(SearchTermStat.objects.filter(kind="bulk.doc").values_list("term", "docs"))
    assert stats[""] == 4 and stats["thiet"] == 2
    assert [h.object_id for h in selectors.search("bulk.doc", "quỹ đổi mới")] == [2]


def test_very_common_words_are_listed_newest_first(monkeypatch):
    _load()
    monkeypatch.setattr(selectors, "BROAD_DOCS", 0)  # every word counts as very common
    hits = selectors.search("test.doc", "thủ tục")
    assert [h.object_id for h in hits] == [4, 1] and all(h.phrase for h in hits)
    assert [h.object_id for h in selectors.search("test.doc", "thiết bị thí nghiệm")] == [4, 1]
    assert [h.object_id for h in selectors.search("test.doc", "thủ tục", public_only=True, limit=1)] == [4]
