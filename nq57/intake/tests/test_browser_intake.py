"""The intake end to end in a real Chromium against the live server: an anonymous person submits an initiative with
an attachment and follows it by its tracking code; the office routes it; the agency answers; the answer appears on
the public page without the sender's contact details; a second, near-identical submission is flagged as a likely
duplicate in the office's queue."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nq57.core.testing import PASSWORD, build_cast
from nq57.core.tests.browser import login
from nq57.intake.models import Submission
from nq57.tasks.tests.test_browser_report_flow import write_pdf

TITLE = "Dùng chung thiết bị đo kiểm giữa các phòng thí nghiệm trọng điểm"
CONTENT = ("Đề xuất xây dựng cổng đặt lịch dùng chung thiết bị đo kiểm đắt tiền giữa các phòng thí nghiệm trọng điểm, "
           "để doanh nghiệp nhỏ và nhóm nghiên cứu trẻ thuê theo giờ với giá công khai.")


def submit(page, *, title, content, name, contact, attachment=None):
    page.goto("/phan-anh/gui/")
    page.check("input[name=kind][value=sang_kien]")
    page.fill("#id_title", title)
    page.fill("#id_content", content)
    page.fill("#id_sender_name", name)
    page.fill("#id_sender_contact", contact)
    if attachment:
        page.set_input_files("#id_attachments", str(attachment))
    a, b = map(int, re.findall(r"\d+", page.inner_text("#challenge-question")))
    page.fill("#id_challenge", str(a + b))
    page.click("#intake-submit button[type=submit]")
    return page.inner_text("#tracking-code")


@pytest.mark.browser
def test_submit_route_answer_publish_and_duplicate(page, transactional_db, tmp_path):
    cast = build_cast()
    pdf = tmp_path / "thuyet-minh.pdf"
    write_pdf(pdf)

    code = submit(page, title=TITLE, content=CONTENT, name="Nguyễn Thị Hoa", contact="hoa@example.vn",
                  attachment=pdf)
    page.click("#follow-link")
    page.wait_for_url(re.compile(rf"/phan-anh/theo-doi/{code}/"))
    assert TITLE in page.inner_text("h1") and "thuyet-minh.pdf" in page.content()
    page.goto(f"/phan-anh/theo-doi/?code={code}")
    assert "Mới gửi" in page.inner_text("#status")
    # the sender confirms the address from the mailed link (a button: a GET writes nothing)
    link = re.search(r"http\S+/phan-anh/xac-nhan/\S+/", "\n".join(m.body for m in mail.outbox)).group(0)
    page.goto(link[link.index("/phan-anh/"):])
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("Đã xác nhận", timeout=15000)

    # a second, near-identical submission
    submit(page, title="Chia sẻ thiết bị đo kiểm của phòng thí nghiệm trọng điểm cho doanh nghiệp",
           content=("Kiến nghị làm cổng đặt lịch dùng chung thiết bị đo kiểm đắt tiền giữa các phòng thí nghiệm "
                    "trọng điểm để doanh nghiệp nhỏ thuê theo giờ."), name="Lê Văn Lâm", contact="lam@example.vn")
    first, second = Submission.objects.order_by("id")

    login(page, "office", PASSWORD)
    page.goto("/phan-anh/phan-loai/")
    row = page.locator(f"#queue-{second.pk}")
    assert code in row.locator(".likely-duplicate").inner_text()
    page.goto(f"/phan-anh/{first.pk}/")
    page.select_option("#form-route select[name=agency]", str(cast.kh.pk))
    page.click("#form-route button[type=submit]")
    assert "Đã tiếp nhận" in page.inner_text("#status")
    page.context.clear_cookies()

    login(page, "alice", PASSWORD)
    page.goto(f"/phan-anh/{first.pk}/")
    form = page.locator("#form-answer")
    form.locator("textarea[name=answer]").fill("Bộ sẽ thí điểm cổng đặt lịch tại ba phòng thí nghiệm năm 2026.")
    form.locator("select[name=decision]").select_option("pilot")
    for name in ("score_novelty", "score_feasibility", "score_impact", "score_resources"):
        form.locator(f"input[name={name}]").fill("4")
    form.locator("textarea[name=reasons]").fill("Khả thi, tận dụng thiết bị sẵn có.")
    form.locator("button[type=submit]").click()
    assert "Đã trả lời" in page.inner_text("#status")
    page.context.clear_cookies()

    page.goto("/phan-anh/?q=thiet+bi+do+kiem")
    page.click(f"#pub-{code} a")
    # the click starts a navigation; read the page only once the public page has loaded
    page.wait_for_url(re.compile(rf"/phan-anh/cong-khai/{code}/"))
    body = page.content()
    assert "Bộ sẽ thí điểm cổng đặt lịch" in body
    assert "hoa@example.vn" not in body and "Nguyễn Thị Hoa" not in body
