"""The office imports a real notice through the web pages: upload, correct on the review page, confirm, find tasks."""

import re
from pathlib import Path

import pytest

from nq57.agencies.models import Agency
from nq57.agencies.services import registry_load
from nq57.core.testing import PASSWORD, ProgrammeFactory, make_office, shared_path
from nq57.core.tests.browser import login
from nq57.notices.models import Notice
from nq57.tasks.models import AssignmentRole

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "000_668254754ef8be5f.txt"


@pytest.mark.browser
def test_office_imports_a_seed_notice_through_the_web(page, transactional_db):  # noqa: F811
    shared_path("seeds", SEED.name)  # fails, not skips, without ../shared
    registry_load()
    ProgrammeFactory()
    make_office("thuongtruc-test", password=PASSWORD)
    login(page, "thuongtruc-test", PASSWORD)

    page.click("#nav-import")
    page.set_input_files("#id_upload", str(SEED))
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/notices/import/\d+/$"))

    # the source is shown beside the tasks, with the agencies and deadlines highlighted where they occur
    assert page.locator("#source mark.hl-deadline").count() > 10
    assert page.locator("#source mark.hl-agency", has_text="Bộ Tài chính").count() > 0
    assert page.locator("#id_notice-number").input_value() == "30-TB/TGV"

    # change the lead of task 1.b (Bộ Tài chính in the source) to another agency
    card_1b = page.locator(".task-card", has=page.locator("input[name$='-path'][value='1.b']"))
    assert "Bộ Tài chính" in card_1b.locator("textarea[name$='-lead']").input_value()
    card_1b.locator("textarea[name$='-lead']").fill("Bộ Xây dựng")

    # names that are not agencies of the registry are flagged and block the confirmation
    unknown_cards = page.locator(".task-card", has=page.locator(".chip.unknown"))
    assert unknown_cards.count() >= 1
    page.click("#confirm-button")
    # the refused confirmation answers with the whole review page again (at .../confirm/): count its cards only once
    # it has loaded (a click does not wait for the page it starts; a half-parsed page has fewer cards)
    page.wait_for_url(re.compile(r"/notices/import/\d+/confirm/$"))
    assert page.locator("#review-error").is_visible()
    assert "không tìm thấy cơ quan" in page.locator(".task-card.has-error").first.inner_text()
    assert Notice.objects.count() == 0
    card_1b = page.locator(".task-card", has=page.locator("input[name$='-path'][value='1.b']"))
    assert card_1b.locator("textarea[name$='-lead']").input_value() == "Bộ Xây dựng"  # the edit survived

    # the reviewer drops the rows that name no agency, then confirms
    unknown_cards = page.locator(".task-card", has=page.locator(".chip.unknown"))
    dropped = unknown_cards.count()
    for i in range(dropped):
        unknown_cards.nth(i).locator("input[name$='-drop']").check()
    total = page.locator(".task-card").count()
    page.click("#confirm-button")
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    assert "Đã nhập thông báo 30-TB/TGV" in page.locator(".messages").inner_text()

    notice = Notice.objects.get(number="30-TB/TGV")
    assert notice.tasks.count() == total - dropped
    leads = [a.agency.name for a in notice.tasks.get(path="1.b").assignments.filter(role=AssignmentRole.LEAD)]
    assert leads == ["Bộ Xây dựng"]

    page.goto(f"/tasks/?notice={notice.pk}")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == total - dropped
    row_1b = rows.filter(has=page.locator("td:nth-child(2)", has_text=re.compile(r"^1\.b$")))
    lead_link = row_1b.locator("td:nth-child(4) a")
    assert lead_link.count() == 1
    assert lead_link.get_attribute("href") == f"/agencies/{Agency.objects.get(name='Bộ Xây dựng').pk}/"
