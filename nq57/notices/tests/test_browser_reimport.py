"""In the browser: re-importing a notice keeps an approved extension; a 146-task programme is confirmed in one go."""

import datetime as dt
import re
from pathlib import Path

import pytest

from nq57.agencies.services import registry_load
from nq57.core.testing import PASSWORD, ProgrammeFactory, make_office
from nq57.core.tests.browser import login
from nq57.notices.models import Notice
from nq57.notices.tests.test_import_services import NOTICE_41
from nq57.reports.services import extension_decide, extension_request
from nq57.tasks.models import Task

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "03-NQ-CP.txt"
NOTICE_2026 = NOTICE_41.replace("Hoàn thành trước ngày 30/9/2025.", "Hoàn thành trước ngày 31/3/2026.")


def _paste_and_review(page, text):
    page.goto("/notices/import/")
    page.fill("#id_text", text)
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/notices/import/\d+/$"))


@pytest.mark.browser
def test_reimport_shows_the_conflict_and_keeps_the_extension(page, transactional_db):
    registry_load()
    ProgrammeFactory()
    office = make_office("thuongtruc-reimport", full_name="Nguyễn Thị Thường Trực", password=PASSWORD)
    login(page, "thuongtruc-reimport", PASSWORD)

    _paste_and_review(page, NOTICE_2026)
    page.click("#confirm-button")
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    task = Task.objects.get(path="1.a")
    request = extension_request(task=task, actor=office, requested_due=dt.date(2027, 2, 28),
                                reason="Cần thêm thời gian thẩm định.")
    extension_decide(request=request, actor=office, approve=True)

    _paste_and_review(page, NOTICE_2026)  # the same notice again
    conflicts = page.locator("#conflicts")
    assert "31/03/2026" in conflicts.inner_text() and "28/02/2027" in conflicts.inner_text()
    assert "giữ quyết định trong hệ thống" in conflicts.inner_text()
    assert "Nguyễn Thị Thường Trực" in conflicts.inner_text()
    card = page.locator("#task-0")
    assert not card.locator("input[name='task-0-apply'][value='deadline_due']").is_checked()
    page.click("#confirm-button")
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    assert "Giữ nguyên 1 quyết định" in page.locator(".messages").inner_text()

    task.refresh_from_db()
    assert task.deadline_due == dt.date(2027, 2, 28)


@pytest.mark.browser
def test_the_146_task_programme_is_confirmed_in_the_browser(page, transactional_db):
    registry_load()
    ProgrammeFactory()
    make_office("thuongtruc-146", password=PASSWORD)
    login(page, "thuongtruc-146", PASSWORD)

    page.goto("/notices/import/")
    page.set_input_files("#id_upload", str(CORPUS))  # fails loudly when ../shared is missing
    # reading and extracting 97 KB, then confirming 146 tasks, can take tens of seconds on a loaded CI machine:
    # patience, not a timing assertion
    page.click("#import-form button[type=submit]", timeout=120000)
    page.wait_for_url(re.compile(r"/notices/import/\d+/$"), timeout=120000)
    assert page.locator(".task-card").count() == 146
    register = page.locator("#register-unknown")
    if register.count():
        register.check()
    page.click("#confirm-button", timeout=120000)
    page.wait_for_url(re.compile(r"/notices/\d+/$"), timeout=120000)
    assert "146 nhiệm vụ" in page.locator(".messages").inner_text()
    assert Notice.objects.get(number="03/NQ-CP").tasks.count() == 146
