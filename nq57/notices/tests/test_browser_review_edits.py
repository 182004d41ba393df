"""In the browser: the office splits a merged task at the cursor, adds a missed task by selecting its passage in the
source, gives a task a partner by clicking a highlighted name, confirms, and the quality page counts the edits."""

import re

import pytest
from playwright.sync_api import expect

from nq57.agencies.services import registry_load
from nq57.core.testing import PASSWORD, ProgrammeFactory, make_office
from nq57.core.tests.browser import login
from nq57.notices.models import Notice, NoticeDraft
from nq57.notices.tests.test_review_edits import NOTICE

SELECT_IN_SOURCE = """(phrase) => {
  const source = document.getElementById("source");
  const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const start = text.indexOf(phrase), end = start + phrase.length;
  const at = (pos) => {
    for (const [node, offset] of nodes) { if (pos <= offset + node.data.length) return [node, pos - offset]; }
  };
  const range = document.createRange();
  range.setStart(...at(start)); range.setEnd(...at(end));
  const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
  return start;
}"""


@pytest.mark.browser
def test_split_add_from_source_assign_and_confirm(page, transactional_db):
    registry_load()
    ProgrammeFactory()
    make_office("thuongtruc-review", password=PASSWORD)
    login(page, "thuongtruc-review", PASSWORD)
    page.goto("/notices/import/")
    page.fill("#id_text", NOTICE)
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/notices/import/\d+/$"))
    cards = page.locator(".task-card")
    before = cards.count()
    assert "thời hạn khác nhau" in page.locator("#problems").inner_text()  # the merged row is flagged

    # split row 0 where its second assignment begins
    page.evaluate("""() => { const t = document.getElementById("id_task-0-text");
        const at = t.value.indexOf("Bộ Tài chính chủ trì"); t.focus(); t.setSelectionRange(at, at); }""")
    page.click("#task-0 [data-split]")
    # the form posts and the review page comes back at the same address: wait for its new card count (retried),
    # not for a load state the old page already has
    expect(cards).to_have_count(before + 1, timeout=15000)
    assert page.locator("#id_task-1-text").input_value().startswith("Bộ Tài chính chủ trì")

    # add the closing paragraph the extractor missed, by selecting it in the source
    passage = "Giao Bộ Nội vụ tổng hợp nhu cầu đào tạo nhân lực dữ liệu, báo cáo trước ngày 31/12/2025."
    assert page.evaluate(SELECT_IN_SOURCE, passage) >= 0
    page.click("#add-from-selection")
    expect(cards).to_have_count(before + 2, timeout=15000)
    row = page.evaluate("""() => [...document.querySelectorAll("textarea[name$='-text']")]
        .findIndex(t => t.value.startsWith("Giao Bộ Nội vụ"))""")
    assert row == before + 1  # placed after the task it follows in the source (the last one)
    assert page.locator(f"#id_task-{row}-lead").input_value() == "Bộ Nội vụ"

    # the row kept for Bộ Xây dựng gets Bộ Tài chính as partner: click its card, then the highlighted name
    page.click("#id_task-0-text")
    page.click("#assign-partner")
    page.locator("#source mark.hl-agency", has_text="Bộ Tài chính").first.click()
    assert "Bộ Tài chính" in page.locator("#id_task-0-coordinating").input_value()
    assert "phối hợp" in page.locator("#source-status").inner_text()

    page.click("#confirm-button")
    page.wait_for_url(re.compile(r"/notices/\d+/$"))
    notice = Notice.objects.get(number="77-TB/TGV")
    assert notice.tasks.filter(text__startswith="Giao Bộ Nội vụ").exists()
    first = notice.tasks.get(text__startswith="Bộ Khoa học và Công nghệ chủ trì xây dựng")
    assert [a.agency.name for a in first.assignments.filter(role="coordinating")] == ["Bộ Tài chính"]
    counts = NoticeDraft.objects.get(notice=notice).review_counts
    assert counts["split"] == 1 and counts["added"] == 1

    page.goto("/notices/import/quality/")
    assert page.locator("#quality-summary [data-counter='split']").inner_text() == "1"
    assert page.locator("#quality-summary [data-counter='added']").inner_text() == "1"
