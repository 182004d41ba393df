"""The notices list (task counts by status) and the notice page (metadata, cited notices, tasks in document order)."""

import datetime as dt

from django.urls import reverse

from nq57.core.testing import NoticeFactory, make_task
from nq57.tasks.services import subtask_create, task_set_status


def test_the_list_counts_top_level_tasks_by_status(cast, client_for):
    task_set_status(task=cast.task_tc, actor=cast.office, status="done", completed_on=dt.date(2025, 7, 1))
    subtask_create(parent=cast.task_kh, actor=cast.alice, text="Nhiệm vụ con", lead=cast.kh, deadline_due=None)
    NoticeFactory(number="12-TB/TGV", issued_on=dt.date(2025, 2, 1), title="Về hạ tầng số")
    page = client_for(cast.leader).get(reverse("notices:notice_list")).content.decode()
    row = page[page.index("30-TB/TGV"):]
    row = row[:row.index("</tr>")]
    assert [cell.split(">")[-1] for cell in row.split("</a></td>")[:-1]][-4:] == ["2", "1", "0", "1"]
    assert page.index("30-TB/TGV") < page.index("12-TB/TGV")  # newest first
    assert f"?notice={cast.notice.pk}&amp;status=done" in row
    found = client_for(cast.leader).get(reverse("notices:notice_list"), {"q": "ha tang"}).content.decode()
    assert "12-TB/TGV" in found and "30-TB/TGV" not in found


def test_the_notice_page_lists_tasks_in_document_order_and_links_cited_notices(cast, client_for):
    earlier = NoticeFactory(number="21-TB/TGV", issued_on=dt.date(2025, 4, 1))
    cast.notice.cited_numbers = ["21-TB/TGV", "57-NQ/TW"]
    cast.notice.save()
    cast.notice.cites.add(earlier)
    make_task(notice=cast.notice, lead=[cast.xd], text="Nhiệm vụ thứ ba về đô thị thông minh", path="2", position=0)
    page = client_for(cast.alice).get(cast.notice.get_absolute_url()).content.decode()
    cited = page[page.index('id="cited"'):]
    assert f'<a href="{earlier.get_absolute_url()}">21-TB/TGV</a>' in cited and "57-NQ/TW" in cited[:400]
    table = page[page.index('id="notice-tasks"'):]
    assert table.index("Nhiệm vụ thứ ba") < table.index("Xây dựng cơ chế") < table.index("Xây dựng chỉ tiêu")
    assert "Bộ Xây dựng" in table and "30/07/2025" in table
    assert "Được dẫn bởi" in client_for(cast.alice).get(earlier.get_absolute_url()).content.decode()


def test_an_unknown_notice_is_a_404(cast, client_for):
    assert client_for(cast.leader).get(reverse("notices:notice_detail", args=[999999])).status_code == 404


def test_the_list_finds_a_notice_number_typed_loosely(cast, client_for):
    NoticeFactory(number="12-TB/TGV", issued_on=dt.date(2025, 2, 1), title="Về hạ tầng số")
    NoticeFactory(number="130-TB/TGV", issued_on=dt.date(2025, 2, 2))
    client = client_for(cast.leader)
    for query in ("30-TB/TGV", "30 TB TGV", "30/tb-tgv", "30 tb"):
        found = client.get(reverse("notices:notice_list"), {"q": query}).content.decode()
        assert "30-TB/TGV" in found and "12-TB/TGV" not in found and "130-TB/TGV" not in found, query


def test_the_import_page_shows_a_progress_indicator_while_a_document_is_read(client, db):
    """Reading a document runs in a bounded child process (``core.sandbox``) and may take seconds: the form names
    an indicator (``data-busy``) that ``site.js`` shows, and the submit button is disabled meanwhile."""
    from nq57.core.testing import make_office

    client.force_login(make_office("office-busy"))
    page = client.get("/notices/import/").content.decode()
    assert 'id="import-form" data-busy="import-busy"' in page
    assert '<p id="import-busy" class="small" role="status" hidden><progress></progress>' in page
    from django.contrib.staticfiles import finders

    assert 'getAttribute("data-busy")' in open(finders.find("nq57/site.js"), encoding="utf-8").read()
