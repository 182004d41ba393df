"""In a real Chromium: the task page's longest forms (``tasks.pages.FETCHED_FORMS``) arrive when their box is opened,
ready to use (the sub-task form's agency picker enhanced, its deadline hint shown); when the session has expired
meanwhile, opening a box leads to the login page and from there back to the page with that form open."""

import re

import pytest

from nq57.core.testing import PASSWORD, build_cast
from nq57.core.tests.browser import login


@pytest.mark.browser
def test_a_box_fetches_its_form_once_and_an_expired_session_leads_back_to_it(page, transactional_db):
    cast = build_cast()
    login(page, "alice", PASSWORD)
    page.goto(cast.task_kh.get_absolute_url())
    assert page.locator("#form-subtask").count() == 0  # not on the page until its box opens
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/forms/" in request.url else None)
    page.click("#form-subtask-box summary")
    form = page.locator("#form-subtask")
    form.locator("select[name=lead] + .agency-picker").wait_for()  # enhanced once in place
    assert form.locator("#subtask-deadline-hint").is_visible()
    page.click("#form-subtask-box summary")  # closed and opened again: fetched once
    page.click("#form-subtask-box summary")
    assert form.locator("select[name=lead] + .agency-picker").count() == 1
    assert len(requests) == 1

    page.goto(cast.task_kh.get_absolute_url())
    page.context.clear_cookies()  # the session expires while the page is open
    page.click("#form-subtask-box summary")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/tasks/{cast.task_kh.pk}/\?open=subtask"))
    assert page.locator("#form-subtask-box").get_attribute("open") is not None
    assert page.locator("#form-subtask").is_visible()
