"""The task list: every filter parameter, folded search, invalid values, pagination, query count, "my tasks"."""

import datetime as dt
import unicodedata

import pytest
from django.urls import reverse

from nq57.agencies.models import Agency
from nq57.core.testing import NoticeFactory, ProgrammeFactory, make_task
from nq57.tasks.filters import TaskFilter
from nq57.tasks.services import subtask_create, task_set_status
from nq57.taxonomy.models import Theme

TODAY = dt.date(2025, 7, 25)


@pytest.fixture
def world(cast):
    """The cast's two tasks plus: a done-late task of another programme's notice, a themed province task, a sub-task."""
    hanoi = Agency.objects.create(name="Ủy ban nhân dân Thành phố Hà Nội", kind="province")
    other_programme = ProgrammeFactory(code="03/NQ-CP", name="Chương trình hành động của Chính phủ", is_default=False)
    notice_b = NoticeFactory(number="45-TB/TGV", programme=other_programme, issued_on=dt.date(2025, 3, 1))
    late = make_task(notice=notice_b, lead=[cast.tc], due=dt.date(2025, 5, 31), path="1",
                     text="Ban hành bộ chỉ tiêu thống kê khoa học")
    task_set_status(task=late, actor=cast.office, status="done", completed_on=dt.date(2025, 6, 15))
    theme, _ = Theme.objects.update_or_create(code="do-thi-thong-minh",
                                              defaults={"name": "Đô thị thông minh", "keywords": []})
    # NFD text with the old tone-mark style ("Uỷ"), to check folding
    city = make_task(notice=notice_b, lead=[hanoi], due=dt.date(2025, 8, 1), path="2", themes=[theme],
                     text=unicodedata.normalize("NFD", "Uỷ ban nhân dân Thành phố xây dựng đô thị thông minh"))
    sub = subtask_create(parent=cast.task_kh, actor=cast.alice, text="Dự thảo quy chế phòng thí nghiệm",
                         lead=cast.kh, deadline_due=dt.date(2025, 7, 20))
    return {"late": late, "city": city, "sub": sub, "hanoi": hanoi, "notice_b": notice_b, "theme": theme,
            "programme": other_programme}


def ids(params: dict) -> set[int]:
    task_filter = TaskFilter(params, today=TODAY)
    assert task_filter.is_valid(), task_filter.errors
    return set(task_filter.qs.values_list("pk", flat=True))


def test_each_parameter_filters(cast, world):
    kh, tc = cast.task_kh.pk, cast.task_tc.pk
    late, city, sub = world["late"].pk, world["city"].pk, world["sub"].pk
    assert ids({}) == {kh, tc, late, city}  # top-level tasks only by default
    assert ids({"agency": cast.kh.pk}) == {kh, tc}
    assert ids({"agency": cast.kh.pk, "role": "lead"}) == {kh}
    assert ids({"agency": cast.kh.pk, "role": "coordinating"}) == {tc}
    assert ids({"status": "done"}) == {late}
    assert ids({"status": "open"}) == {kh, tc, city}
    assert ids({"timing": "done_late"}) == {late}
    assert ids({"timing": "due_soon"}) == {kh, city}  # due 30/07 and 01/08, within 7 days of 25/07
    assert ids({"timing": "open_in_time"}) == {tc}
    assert ids({"timing": "open_overdue"}) == set()
    assert ids({"theme": "do-thi-thong-minh"}) == {city}
    assert ids({"notice": cast.notice.pk}) == {kh, tc}
    assert ids({"programme": world["programme"].pk}) == {late, city}
    assert ids({"due_from": "2025-07-31"}) == {tc, city}
    assert ids({"due_to": "2025-07-30"}) == {kh, late}
    assert ids({"due_from": "2025-06-01", "due_to": "2025-07-31"}) == {kh}
    assert ids({"parent": "root"}) == {kh, tc, late, city}
    assert ids({"parent": "all"}) == {kh, tc, late, city, sub}
    assert ids({"parent": str(kh)}) == {sub}
    assert ids({"agency": cast.kh.pk, "role": "lead", "parent": "all"}) == {kh, sub}


AGENCY_PARAMS = [
    {}, {"role": "lead"}, {"role": "coordinating"}, {"status": "open"}, {"status": "done"},
    {"due_from": "2025-07-31"}, {"due_to": "2025-07-30"}, {"parent": "all"}, {"parent": "root"},
    {"role": "lead", "parent": "all", "status": "open"}, {"status": "open", "sort": "due", "due_to": "2025-12-31"},
    {"timing": "due_soon"}, {"q": "khoa học"}, {"theme": "do-thi-thong-minh"}, {"status": "open", "timing": "due_soon"},
]


@pytest.mark.parametrize("params", AGENCY_PARAMS)
def test_an_agency_list_count_is_the_number_of_its_rows(cast, world, params):
    """``TaskFilter.count`` answers from the agency index when every parameter is one it holds (then no query
    reads the tasks table), otherwise counts the list; either way it is the number of tasks listed, also for the
    partner agency, the sub-task's lead and after a status change (the index's copies of the task columns follow)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task_set_status(task=cast.task_tc, actor=cast.office, status="done", completed_on=dt.date(2025, 7, 1))
    for agency in (cast.kh, cast.tc, world["hanoi"]):
        task_filter = TaskFilter({"agency": agency.pk, **params}, today=TODAY)
        listed = len(set(task_filter.qs.values_list("pk", flat=True)))
        with CaptureQueriesContext(connection) as queries:
            assert task_filter.count() == listed, (agency, params)
        held = set(params) <= TaskFilter.INDEX_HELD
        assert ('"tasks_task"' not in queries[-1]["sql"]) is held, queries[-1]["sql"]


@pytest.mark.parametrize("sort", ["due", "-due"])
def test_an_agency_list_by_due_date_reads_its_order_from_the_index_and_lists_the_same_pages(cast, world, sort):
    """``TaskFilter.ordered_ids`` (the agency index's copies of the due date): the same tasks in the same order,
    page by page, as sorting the tasks themselves - ties on a date broken by id, tasks without a date last, a task
    the agency both leads and supports listed once."""
    from nq57.tasks.filters import TasksInOrder

    dues = [dt.date(2025, 9, 1), None, dt.date(2025, 8, 1), dt.date(2025, 9, 1), None, dt.date(2025, 7, 1)] * 2
    for i, due in enumerate(dues):
        make_task(notice=cast.notice, lead=[cast.kh], coordinating=[cast.kh] if i == 3 else [], due=due,
                  text=f"Việc thứ tự {i}", path=f"9.{i}")
    for params in ({}, {"status": "open"}, {"role": "lead"}, {"due_to": "2025-08-31"}):
        task_filter = TaskFilter({"agency": cast.kh.pk, "sort": sort, **params}, today=TODAY)
        ids = task_filter.ordered_ids()
        assert ids is not None
        expected = [task.pk for task in task_filter.sorted_qs()]
        assert len(expected) == task_filter.count() >= 3
        pages = task_filter.sorted_list()
        assert isinstance(pages, TasksInOrder)
        assert [t.pk for t in pages[0:5]] + [t.pk for t in pages[5:100]] == expected, params
    assert TaskFilter({"agency": cast.kh.pk, "sort": sort, "q": "thứ tự"}, today=TODAY).ordered_ids() is None
    assert TaskFilter({"agency": cast.kh.pk, "sort": "notice"}, today=TODAY).ordered_ids() is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cong nghe", "tc"),          # no diacritics finds "công nghệ"
        ("CÔNG NGHỆ", "tc"),
        ("Ủy ban", "city"),             # new tone style finds the old "Uỷ" spelling typed in NFD
        ("Uỷ ban", "city"),
        (unicodedata.normalize("NFD", "đô thị thông minh"), "city"),
        ("phong thi nghiem", "kh"),
        ("khong-co-gi", "none"),
    ],
)
def test_search_is_folded(cast, world, query, expected):
    wanted = {
        "tc": {cast.task_tc.pk}, "city": {world["city"].pk}, "kh": {cast.task_kh.pk},
        "none": set(),
    }[expected]
    assert ids({"q": query}) == wanted


def test_the_html_list_shows_rows_and_keeps_filters_in_pagination(cast, world, client_for):
    client = client_for(cast.leader)
    page = client.get(reverse("tasks:task_list"), {"q": "cong nghe", "agency": cast.kh.pk}).content.decode()
    assert cast.task_tc.text[:40] in page
    assert cast.task_kh.text[:40] not in page
    assert "xây dựng đô thị" not in page
    assert "<b>1</b> nhiệm vụ" in page
    assert f"export.xlsx?q=cong+nghe&amp;agency={cast.kh.pk}" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"agency": "abc"}, "Cơ quan: Không tìm thấy mục đã chọn"),
        ({"agency": "999999"}, "Cơ quan: Không tìm thấy mục đã chọn"),
        ({"status": "finished"}, "Giá trị “finished” không hợp lệ"),
        ({"timing": "late"}, "Phân loại thời hạn"),
        ({"due_from": "2025-02-31"}, "Ngày không hợp lệ"),
        ({"theme": "no-such-theme"}, "Chủ đề"),
        ({"parent": "children"}, "dùng root, all hoặc số hiệu nhiệm vụ"),
        ({"role": "owner"}, "Vai trò"),
    ],
)
def test_invalid_filter_values_show_a_vietnamese_error(cast, client_for, params, message):
    client = client_for(cast.office)
    response = client.get(reverse("tasks:task_list"), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bộ lọc không hợp lệ" in body and message in body
    export = client.get(reverse("tasks:task_export"), params)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_a_page_is_a_handful_of_queries_and_holds_fifty_rows(cast, client_for, django_assert_max_num_queries):
    for index in range(60):
        make_task(notice=cast.notice, lead=[cast.kh, cast.xd], coordinating=[cast.tc], path=f"9.{index}",
                  due=dt.date(2025, 9, 1), text=f"Nhiệm vụ thử nghiệm số {index}")
    client = client_for(cast.office)
    client.get(reverse("tasks:task_list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tasks:task_list"), {"agency": cast.kh.pk, "role": "lead"})
    body = response.content.decode()
    assert body.count('<td><a href="/notices/') == 50
    assert "Trang 1/2" in body
    second = client.get(reverse("tasks:task_list"), {"agency": cast.kh.pk, "role": "lead", "page": 2}).content.decode()
    assert second.count('<td><a href="/notices/') == 11


def test_a_focal_point_gets_a_quick_filter_for_their_agency(cast, client_for):
    body = client_for(cast.alice).get(reverse("tasks:task_list")).content.decode()
    assert f'href="/tasks/?agency={cast.kh.pk}" id="my-tasks"' in body
    body = client_for(cast.leader).get(reverse("tasks:task_list")).content.decode()
    assert 'id="my-tasks"' not in body


def test_the_html_list_and_its_export_sort_by_due_date_agency_and_update_time(cast, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    late = make_task(notice=cast.notice, lead=[cast.xd], text="Sắp xếp muộn", path="7.1",
                     due=today + dt.timedelta(days=40))
    soon = make_task(notice=cast.notice, lead=[cast.tc], text="Sắp xếp sớm", path="7.2", due=dt.date(2020, 1, 1))
    none = make_task(notice=cast.notice, lead=[cast.kh], text="Sắp xếp không hạn", path="7.3")
    client = client_for(cast.office)

    def order(sort):
        response = client.get("/tasks/", {"sort": sort} if sort else {})
        assert response.status_code == 200
        return [task.pk for task in response.context["tasks"]]

    by_due = order("due")
    assert by_due[0] == soon.pk and by_due[-1] == none.pk  # earliest first, no due date last
    assert order("-due")[0] == late.pk and order("-due")[-1] == none.pk
    names = [t.lead_assignments[0].agency.name for t in client.get("/tasks/?sort=agency").context["tasks"]]
    assert names == sorted(names)
    assert order("-updated")[0] == none.pk  # the last one written
    assert order("") == order("notice")  # the default order
    html = client.get("/tasks/?sort=due").content.decode()
    assert '<option value="due" selected>' in html
    refused = client.get("/tasks/", {"sort": "nonsense"})
    assert "Sắp xếp" in refused.content.decode() and refused.context["filter_errors"]
    export = client.get(reverse("tasks:task_export"), {"sort": "due"})
    assert export.status_code == 200


# the row markup as the template wrote it before ``task_list_row`` (the reference the tag must keep, byte for byte)
REFERENCE_ROW = """{% load badges tasks %}<tr>
    <td><a href="{{ task.notice.get_absolute_url }}">{{ task.notice.number|default:task.notice }}</a></td>
    <td>{{ task.path|default:"—" }}</td>
    <td><a href="{{ task.get_absolute_url }}">{{ task.text|truncatewords:40 }}</a>{% if task.parent_id %} <span class="badge muted">nhiệm vụ con</span>{% endif %}</td>
    <td>{% agency_links task.lead_assignments %}</td>
    <td>{% if task.deadline_due %}{{ task.deadline_due|date:"d/m/Y" }}{% else %}<span class="muted">{{ task.get_deadline_kind_display }}</span>{% endif %}</td>
    <td>{% badge task.status "task_status" %}<br>{% badge task.timing_value "timing" %}</td>
    <td>{% progress_bar task.progress %}</td>
  </tr>"""  # noqa: E501


def test_a_list_row_is_the_markup_the_template_wrote(cast, client_for):
    """``task_list_row`` writes each row in Python: compared with the template it replaced on rows that take every
    branch (no notice number, no position, markup and quotes in the text, over 40 words, a sub-task, no deadline, a
    name the document used, done and overdue)."""
    from django.template import Context, Template
    from django.utils import timezone

    from nq57.tasks.filters import base_queryset
    from nq57.tasks.models import Task
    from nq57.tasks.pages import decorate, with_timing
    from nq57.tasks.services import subtask_create, task_set_status
    from nq57.tasks.templatetags.tasks import task_list_row

    untitled = NoticeFactory(number="", title="Kết luận về <hạ tầng> & \"dữ liệu\"")
    make_task(notice=untitled, lead=[cast.kh], path="", text="<script>alert('x')</script> " + "từ " * 50)
    undated = make_task(notice=cast.notice, lead=[cast.tc], coordinating=[cast.kh], path="3.b", kind="recurring",
                        text="Nhiệm vụ thường xuyên")
    undated.assignments.filter(agency=cast.tc).update(assigned_name="Bộ Tài chính (Vụ Ngân sách)")
    subtask_create(parent=cast.task_kh, actor=cast.alice, text="Phần việc của đơn vị", lead=cast.kh,
                   deadline_due=None)
    task_set_status(task=cast.task_tc, actor=cast.office, status="done", completed_on=dt.date(2025, 9, 1))
    today = timezone.localdate()
    tasks = [decorate(with_timing(t)) for t in base_queryset(today=today).order_by("id")]
    assert len(tasks) == Task.objects.count() >= 5
    reference = Template(REFERENCE_ROW)
    for task in tasks:
        assert task_list_row(task) == reference.render(Context({"task": task})), task.pk
    assert {t.timing_value for t in tasks} >= {"done_late", "open_overdue"} or len({t.timing_value for t in tasks}) > 1


def test_a_notice_page_reads_its_tasks_in_a_handful_of_queries(cast, client_for, django_assert_max_num_queries):
    from nq57.tasks.services import subtask_create

    for index in range(30):
        make_task(notice=cast.notice, lead=[cast.kh, cast.xd], coordinating=[cast.tc], path=f"9.{index}",
                  due=dt.date(2025, 9, 1) if index % 2 else None, kind=None if index % 2 else "recurring",
                  text=f"Nhiệm vụ thử nghiệm số {index}")
    subtask_create(parent=cast.task_kh, actor=cast.alice, text="Phần việc con", lead=cast.kh, deadline_due=None)
    client = client_for(cast.leader)
    client.get(cast.notice.get_absolute_url())  # warm the session
    with django_assert_max_num_queries(14):
        body = client.get(cast.notice.get_absolute_url()).content.decode()
    assert body.count("Nhiệm vụ thử nghiệm số") == 30 and "1 nhiệm vụ con" in body


def test_the_filter_form_lists_what_exists_at_each_request(cast, client_for):
    """The filter's form class is built once per process: its option lists are still read on every request."""
    client = client_for(cast.office)
    before = client.get("/tasks/").content.decode()
    notice = NoticeFactory(number="99-TB/TGV")
    Theme.objects.create(code="thu-nghiem-moi", name="Chủ đề thử nghiệm mới")
    agency = Agency.objects.create(name="Sở Khoa học và Công nghệ tỉnh Thử Nghiệm", kind=cast.kh.kind)
    after = client.get("/tasks/").content.decode()
    for text in ("99-TB/TGV", 'value="thu-nghiem-moi"', "Chủ đề thử nghiệm mới", f'value="{agency.pk}"'):
        assert text not in before and text in after
    assert '<option value="" selected>Mọi cơ quan</option>' in after
    assert client.get(f"/tasks/?theme=thu-nghiem-moi&notice={notice.pk}&agency={agency.pk}").status_code == 200
