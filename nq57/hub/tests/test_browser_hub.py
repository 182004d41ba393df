"""The issue's "Done when" in a browser: an enterprise member posts a problem with a confidential part, a university
member finds it through a suggested match on their result, they exchange messages, a contract and an outcome are
recorded, the figures page counts them, and a third organisation never sees the confidential part (page and API)."""

import json

import pytest

from nq57.core.testing import PASSWORD
from nq57.core.tests.browser import login
from nq57.hub.models import Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Mẫu đất nhiễm mặn lấy tại Trần Đề, số liệu độ mặn 6,2‰ tháng 3"


def _as(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1360, "height": 900})
    context.set_default_timeout(30000)
    page = context.new_page()
    login(page, user.username, PASSWORD)
    return context, page


def test_problem_to_contract_in_the_browser(browser, live_server, hub, offer):
    ent_ctx, ent = _as(browser, live_server, hub.ent_user)
    ent.goto("/hub/problems/new/")
    ent.fill("#id_title", "Giống lúa chịu mặn cho vùng ven biển Sóc Trăng")
    ent.fill("#id_summary", "Cần giống lúa chịu mặn, năng suất ổn định khi xâm nhập mặn mùa khô.")
    ent.fill("#id_expected_result", "Giống lúa chịu mặn 6‰, năng suất trên 6 tấn/ha.")
    ent.select_option("#id_trl_required", "5")
    ent.fill("#id_details", SECRET)
    ent.click("#item-submit")
    ent.wait_for_selector("#problem-details")
    assert SECRET in ent.inner_text("#problem-details")
    problem = Problem.objects.get()

    uni_ctx, uni = _as(browser, live_server, hub.uni_user)
    uni.goto(offer.get_absolute_url())
    link = uni.locator("#matches a", has_text="Giống lúa chịu mặn cho vùng ven biển Sóc Trăng")
    assert "TRL 6 ≥ yêu cầu 5" in uni.inner_text("#matches")
    link.click()
    uni.wait_for_selector("#details-locked")
    assert SECRET not in uni.content()
    uni.fill("#id_message", "Trường có giống CT-286 đã khảo nghiệm ở Sóc Trăng, xin trao đổi.")
    uni.click("#interest-submit")
    uni.wait_for_selector("#messages")
    deal_url = uni.url

    ent.goto(problem.get_absolute_url())
    ent.click("text=Cho xem chi tiết bảo mật")
    ent.goto(deal_url)
    assert "CT-286" in ent.inner_text("#messages")
    ent.fill("#id_body", "Mời trường gửi số liệu khảo nghiệm và đề xuất giá chuyển giao.")
    ent.click("#message-submit")
    ent.wait_for_selector("text=Đã gửi tin nhắn.")
    ent.fill("#id_number", "12/2026/HĐ-CGCN")
    ent.fill("#contract-submit >> xpath=.. >> #id_title", "Chuyển giao giống lúa CT-286")
    ent.fill("#id_value_vnd", "2000000000")
    ent.fill("#id_ip_split", "Trường giữ văn bằng; doanh nghiệp độc quyền khai thác 10 năm")
    ent.fill("#id_signed_on", "2026-03-01")
    ent.click("#contract-submit")
    ent.wait_for_selector("#contract")
    ent.select_option("#id_kind", "spinoff")
    ent.fill("#outcome-submit >> xpath=.. >> #id_title", "Thành lập công ty giống")
    ent.fill("#id_year", "2026")
    ent.fill("#id_spinoff_name", "Công ty CP Giống lúa Mặn Việt")
    ent.click("#outcome-submit")
    ent.wait_for_selector("#outcomes >> text=Công ty CP Giống lúa Mặn Việt")

    uni.goto(problem.get_absolute_url())
    assert SECRET in uni.inner_text("#problem-details")  # approved partner
    uni.goto(deal_url)
    assert "số liệu khảo nghiệm" in uni.inner_text("#messages")

    uni.goto("/hub/figures/")
    assert uni.inner_text("#fig-contracts") == "1" and uni.inner_text("#fig-spinoffs") == "1"

    third_ctx, third = _as(browser, live_server, hub.third_user)
    third.goto(problem.get_absolute_url())
    assert SECRET not in third.content()
    assert third.locator("#details-locked").is_visible()
    third.goto(f"/api/v1/hub/problems/{problem.pk}")
    body = json.loads(third.inner_text("body"))
    assert body["id"] == problem.pk and SECRET not in json.dumps(body, ensure_ascii=False)
    assert third.goto(deal_url).status == 404
    for context in (ent_ctx, uni_ctx, third_ctx):
        context.close()
