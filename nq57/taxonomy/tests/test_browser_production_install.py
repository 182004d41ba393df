"""A production-style install — ``migrate`` and the agency registry, no demo data — imports a notice and takes a
progress report, in a real Chromium against the live server."""

import re

import pytest
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.agencies.services import registry_load
from nq57.core.testing import PASSWORD, make_focal_point, make_office
from nq57.core.tests.browser import login
from nq57.notices.models import Notice
from nq57.reports.models import ProgressReport
from nq57.taxonomy.models import CatalogueVersion, Programme, Theme

NOTICE = """BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ
TỔ GIÚP VIỆC
Số 77-TB/TGV
Hà Nội, ngày 15 tháng 9 năm 2025

THÔNG BÁO
Kết luận của Thường trực Ban Chỉ đạo tại cuộc họp về ứng dụng trí tuệ nhân tạo trong cơ quan nhà nước

Ngày 10/9/2025, Thường trực Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi \
số đã chủ trì cuộc họp với các bộ, ngành liên quan. Sau khi nghe báo cáo và ý kiến của các đại biểu, Thường trực Ban \
Chỉ đạo kết luận như sau:

1. Bộ Khoa học và Công nghệ chủ trì, phối hợp với Bộ Công an xây dựng nền tảng ứng dụng AI dùng chung cho các cơ quan \
nhà nước. Hoàn thành trước ngày 31/12/2025.
2. Bộ Tài chính bố trí nguồn tài chính cho các dự án chuyển đổi số trọng điểm. Hoàn thành trong tháng 11/2025.
3. Bộ Giáo dục và Đào tạo chủ trì xây dựng chương trình đào tạo nhân lực về trí tuệ nhân tạo. Báo cáo Thường trực Ban \
Chỉ đạo trước ngày 15/12/2025.

TL. TỔ GIÚP VIỆC
Phạm Gia Túc
"""


@pytest.mark.browser
def test_an_install_without_demo_data_imports_a_notice_and_takes_a_report(page, transactional_db):  # noqa: F811
    # what `nq57 migrate` alone put there (no load_demo): programmes, themes, the strategic-technology catalogue
    assert Programme.objects.get(is_default=True).code == "57-NQ/TW"
    assert Programme.objects.filter(code="03/NQ-CP").exists()
    assert Theme.objects.filter(code="tri-tue-nhan-tao").exists() and Theme.objects.count() >= 7
    assert CatalogueVersion.objects.get(is_current=True).decision_number == "1131/QĐ-TTg"
    assert not Notice.objects.exists()
    registry_load()  # the agency registry, as the README's production steps load it
    make_office("vanphong", password=PASSWORD)

    login(page, "vanphong", PASSWORD)
    page.goto("/notices/import/")
    assert page.locator("#id_programme option:checked").inner_text().startswith("57-NQ/TW")
    page.fill("#id_text", NOTICE)
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/notices/import/\d+/$"))
    assert page.locator("#id_notice-number").input_value() == "77-TB/TGV"
    assert page.locator(".task-card").count() == 3
    page.click("#confirm-button")
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    assert "Đã nhập thông báo 77-TB/TGV" in page.locator(".messages").inner_text()

    notice = Notice.objects.get(number="77-TB/TGV")
    assert notice.programme.code == "57-NQ/TW"
    assert notice.tasks.count() == 3
    ai_task, money_task = notice.tasks.get(path="1"), notice.tasks.get(path="2")
    assert ai_task.themes.filter(code="tri-tue-nhan-tao").exists()  # "ứng dụng AI"
    assert not money_task.themes.filter(code="tri-tue-nhan-tao").exists()  # "nguồn tài chính" is not AI
    assert money_task.deadline_due.isoformat() == "2025-11-30"

    # a focal point of Bộ Tài chính reports on its task
    make_focal_point("daumoi-btc", Agency.objects.get(name="Bộ Tài chính"), password=PASSWORD)
    page.context.clear_cookies()
    login(page, "daumoi-btc", PASSWORD)
    page.goto(money_task.get_absolute_url())
    today = timezone.localdate()
    form = page.locator("#form-report")
    form.locator("#id_period_start").fill(today.replace(day=1).isoformat())
    form.locator("#id_period_end").fill(today.isoformat())
    form.locator("#id_text").fill("Đã trình phương án bố trí vốn cho 12 dự án chuyển đổi số trọng điểm.")
    form.locator("#id_percent").fill("40")
    form.locator("#id_claimed_status").select_option("partly_done")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/tasks/{money_task.pk}/"))
    assert "Đã gửi báo cáo tiến độ" in page.locator(".messages").inner_text()
    assert "Đã trình phương án bố trí vốn" in page.locator("#reports").inner_text()
    report = ProgressReport.objects.get(task=money_task)
    assert report.agency.name == "Bộ Tài chính" and report.percent == 40

    # the catalogue that came with migrate is readable by a signed-in focal point
    page.goto("/taxonomy/cong-nghe-chien-luoc/")
    assert "Quyết định số 1131/QĐ-TTg" in page.locator("main, body").first.inner_text()
    assert page.locator("ol.catalogue > li").count() == 11
    assert page.locator("#cn-1\\.1").inner_text() == "Mô hình ngôn ngữ lớn tiếng Việt"
