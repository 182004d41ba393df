"""What ``migrate`` alone gives an install: programmes, themes and the catalogue; tagging uses them."""

import datetime as dt

import pytest
from django.db.models import ProtectedError

from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.testing import make_task
from nq57.taxonomy import selectors
from nq57.taxonomy.models import CatalogueVersion, Programme, TechnologyField, Theme
from nq57.taxonomy.services import catalogue_publish

pytestmark = pytest.mark.django_db


def test_migrate_seeds_programmes_themes_and_the_1131_catalogue():
    assert set(Programme.objects.values_list("code", flat=True)) >= {"57-NQ/TW", "03/NQ-CP", "71/NQ-CP"}
    assert selectors.default_programme().code == "57-NQ/TW"
    assert set(Theme.objects.values_list("code", flat=True)) >= {
        "3-nha", "khu-cong-nghe-cao", "do-thi-thong-minh", "tri-tue-nhan-tao", "nhan-luc", "the-che", "ha-tang"}
    catalogue = selectors.current_catalogue()
    assert catalogue.decision_number == "1131/QĐ-TTg" and catalogue.issued_on == dt.date(2025, 6, 12)
    groups = selectors.catalogue_groups()
    assert [g.code for g in groups] == [str(n) for n in range(1, 12)]
    assert groups[0].name == "Công nghệ trí tuệ nhân tạo, bản sao số, thực tế ảo/thực tế tăng cường"
    assert [p.name for p in groups[0].product_list][:2] == ["Mô hình ngôn ngữ lớn tiếng Việt", "Trợ lý ảo"]
    assert [len(g.product_list) for g in groups[:4]] == [6, 3, 3, 3]


def test_themes_for_text_uses_the_seeded_keywords_as_whole_words():
    codes = lambda text: [t.code for t in selectors.themes_for_text(text)]  # noqa: E731
    assert "tri-tue-nhan-tao" not in codes("Bộ Tài chính bảo đảm nguồn tài chính cho các đề án")
    assert "tri-tue-nhan-tao" in codes("Ứng dụng AI trong quản lý thuế")
    assert "tri-tue-nhan-tao" not in codes("không để ai bị bỏ lại phía sau")
    assert codes("Đầu tư phòng thí nghiệm trọng điểm và khu công nghệ cao") == ["ha-tang", "khu-cong-nghe-cao"]


def test_a_new_task_is_tagged_by_whole_words(cast):
    task = make_task(notice=cast.notice, lead=[cast.tc], text="Bảo đảm nguồn tài chính cho chương trình")
    assert not task.themes.filter(code="tri-tue-nhan-tao").exists()
    task = make_task(notice=cast.notice, lead=[cast.kh], text="Ứng dụng AI trong dịch vụ công trực tuyến")
    assert list(task.themes.values_list("code", flat=True)) == ["tri-tue-nhan-tao"]


def test_technologies_for_text_finds_products_with_their_group():
    found = [(t.code, t.name) for t in selectors.technologies_for_text("Phát triển mô hình ngôn ngữ lớn tiếng Việt")]
    assert [code for code, _ in found] == ["1", "1.1"]
    assert [t.code for t in selectors.technologies_for_text("Triển khai mạng 5G/6G và hạ tầng blockchain")] == [
        "3", "3.2", "4"]
    assert selectors.technologies_for_text("Bảo đảm nguồn tài chính") == []


def test_a_new_decision_supersedes_the_catalogue_and_old_entries_stay(cast):
    old = selectors.current_catalogue()
    old_entry = TechnologyField.objects.get(version=old, code="1.1")
    with pytest.raises(PermissionDeniedError):
        catalogue_publish(actor=cast.alice, decision_number="99/QĐ-TTg", issued_on=dt.date(2026, 5, 1), title="x",
                          groups=[{"code": "1", "name": "Nhóm"}])
    new = catalogue_publish(
        actor=cast.office, decision_number="99/QĐ-TTg", issued_on=dt.date(2026, 5, 1),
        title="Sửa đổi Danh mục công nghệ chiến lược", issuer="Thủ tướng Chính phủ",
        groups=[{"code": "1", "name": "Công nghệ số", "keywords": ["công nghệ số"],
                 "products": [{"code": "1.1", "name": "Camera AI xử lý tại biên", "keywords": ["camera AI"]}]}],
    )
    assert selectors.current_catalogue() == new and new.supersedes == old
    old.refresh_from_db()
    assert not old.is_current
    old_entry.refresh_from_db()
    assert old_entry.version == old and old_entry.name == "Mô hình ngôn ngữ lớn tiếng Việt"  # old links keep meaning
    assert [t.code for t in selectors.technologies_for_text("Sản xuất camera AI")] == ["1", "1.1"]
    assert [t.code for t in selectors.technologies_for_text("Sản xuất camera AI", version=old)] == ["1"]  # "AI"
    assert new.history.first().history_user == cast.office
    with pytest.raises(ServiceError):
        catalogue_publish(actor=cast.office, decision_number="99/QĐ-TTg", issued_on=dt.date(2026, 5, 1), title="x",
                          groups=[{"code": "1", "name": "Nhóm"}])
    with pytest.raises(ProtectedError):
        old.delete()
    assert CatalogueVersion.objects.count() == 2


def test_the_catalogue_page_lists_groups_and_products(client_for, cast):
    response = client_for(cast.leader).get("/taxonomy/cong-nghe-chien-luoc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1131/QĐ-TTg" in html and "Công nghệ chip bán dẫn" in html and "Vũ trụ ảo (Metaverse)" in html
    assert html.count('id="cn-') == TechnologyField.objects.filter(version__is_current=True).count()
