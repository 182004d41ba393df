"""The agency list (folded search by name or alias, kind filter) and the agency page's scorecard, whose figures
match the task list it links to."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from nq57.agencies.models import Agency, AgencyAlias
from nq57.core.testing import make_task
from nq57.tasks.services import task_set_status


def test_search_by_name_or_alias_ignores_diacritics_and_tone_style(cast, client_for):
    AgencyAlias.objects.create(agency=cast.kh, alias="Bộ KH&CN")
    Agency.objects.create(name="Ủy ban nhân dân tỉnh Quảng Ninh", kind="province")
    client = client_for(cast.leader)
    for query, expected, absent in [
        ("bo khoa hoc", "Bộ Khoa học và Công nghệ", "Bộ Tài chính"),
        ("KH&CN", "Bộ Khoa học và Công nghệ", "Bộ Tài chính"),
        ("Uỷ ban quang ninh", "Quảng Ninh", "Bộ Tài chính"),
    ]:
        page = client.get(reverse("agencies:agency_list"), {"q": query}).content.decode()
        assert expected in page and absent not in page, query
    page = client.get(reverse("agencies:agency_list"), {"kind": "unit"}).content.decode()
    assert "Cục Phát triển đô thị" in page and "Bộ Tài chính" not in page


def stat(page: str, label: str) -> tuple[str, str]:
    match = re.search(r'<a class="stat[^"]*" href="([^"]+)"><b>(\d+)</b><span>' + label, page)
    assert match, label
    return match.group(1).replace("&amp;", "&"), match.group(2)


def test_the_scorecard_matches_the_task_list_it_links_to(cast, client_for):
    today = timezone.localdate()
    late = make_task(notice=cast.notice, lead=[cast.kh], due=today - dt.timedelta(days=40), text="Việc đã trễ")
    task_set_status(task=late, actor=cast.office, status="done", completed_on=today - dt.timedelta(days=5))
    on_time = make_task(notice=cast.notice, lead=[cast.kh], due=today + dt.timedelta(days=40), text="Việc đúng hạn")
    task_set_status(task=on_time, actor=cast.office, status="done", completed_on=today)
    make_task(notice=cast.notice, lead=[cast.kh], due=today - dt.timedelta(days=3), text="Việc quá hạn")
    client = client_for(cast.leader)
    page = client.get(cast.kh.get_absolute_url()).content.decode()
    expected = {"nhiệm vụ chủ trì": "4", "đã hoàn thành": "2", "hoàn thành đúng hạn": "1", "hoàn thành quá hạn": "1",
                "nhiệm vụ phối hợp": "1"}
    if cast.task_kh.deadline_due < today:
        expected["chưa hoàn thành, đã quá hạn"] = "2"
    for label, figure in expected.items():
        link, shown = stat(page, label)
        assert shown == figure, label
        listed = client.get(link).content.decode()
        assert f"<b>{figure}</b> nhiệm vụ" in listed, (label, link)
    # done on time / tasks whose deadline has come (1 on time, 1 late, open overdue ones): ``OnTimeRate``
    if cast.task_kh.deadline_due < today:
        assert "<b>25%</b><span>tỷ lệ đúng hạn (1/4 nhiệm vụ đã đến hạn)" in page
    else:
        assert "<b>33%</b><span>tỷ lệ đúng hạn (1/3 nhiệm vụ đã đến hạn)" in page
    assert f"/tasks/?agency={cast.kh.pk}&amp;role=lead&amp;timing=open_overdue" in page
    assert "Trần Thị An" in page[page.index('id="users"'):]


def test_an_agency_with_nothing_done_has_no_on_time_rate(cast, client_for):
    page = client_for(cast.leader).get(cast.xd.get_absolute_url()).content.decode()
    assert "<b>—</b><span>tỷ lệ đúng hạn" in page
    assert "Cục Phát triển đô thị" in page  # its unit
