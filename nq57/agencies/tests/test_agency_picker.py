"""Agency pickers: every form and filter that chooses agencies renders the search-as-you-type picker's select
(folded names to search on), leaves dissolved agencies out (or marks one already chosen) — and, in Chromium, typing
finds an agency without diacritics and clicking adds it without deselecting the others."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from nq57.agencies.models import Agency
from nq57.core.testing import PASSWORD, AgencyFactory, build_cast, make_task
from nq57.core.tests.browser import login
from nq57.tasks.models import AssignmentRole


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no select named {name}"
    return match.group(0)


def test_every_agency_picker_is_searchable_and_leaves_out_dissolved_agencies(cast, client_for):
    gone = AgencyFactory(name="Bộ Giao thông vận tải", dissolved_on=dt.date(2025, 3, 1), successor=cast.xd)
    office = client_for(cast.office)
    task_page = office.get(cast.task_kh.get_absolute_url() + "?open=edit").content.decode()
    pickers = {
        "task edit: lead": _select(task_page, "lead"),
        "task edit: partners": _select(task_page, "coordinating"),
        "task list filter": _select(office.get("/tasks/").content.decode(), "agency"),
    }
    subtask_form = office.get(reverse("tasks:task_form", args=[cast.task_kh.pk, "subtask"])).content.decode()
    pickers["sub-task lead"] = _select(subtask_form, "lead")
    make_task(notice=cast.notice, lead=[cast.xd], path="9", text="Để cơ quan có trong bộ lọc báo cáo")
    pickers["consolidated report scope"] = _select(office.get("/consolidated/").content.decode(), "agency")
    for where, select in pickers.items():
        assert "data-agency-picker" in select, where
        assert "Bộ Giao thông vận tải" not in select, where
        assert 'data-search="bo xay dung"' in select, where
    assert 'data-search="bo khoa hoc va cong nghe bo kh&amp;cn"' in pickers["task edit: lead"]
    assert 'Bộ Khoa học và Công nghệ (Bộ KH&amp;CN)' in pickers["task edit: lead"]
    # a dissolved agency already on a task stays choosable there, marked
    old = make_task(notice=cast.notice, lead=[cast.kh], path="10", text="Giao cho bộ đã sáp nhập trước đó")
    old.assignments.create(agency=gone, role=AssignmentRole.COORDINATING, assigned_name=gone.name)
    select = _select(office.get(reverse("tasks:task_form", args=[old.pk, "edit"])).content.decode(), "coordinating")
    assert re.search(rf'<option value="{gone.pk}" selected[^>]*>Bộ Giao thông vận tải \(đã giải thể\)</option>',
                     select)
    # the filter keeps a dissolved agency that is the current choice
    assert "Bộ Giao thông vận tải (đã giải thể)" in _select(
        office.get(f"/tasks/?agency={gone.pk}").content.decode(), "agency")


def test_a_dissolved_agency_cannot_be_newly_chosen(cast, client_for):
    gone = AgencyFactory(name="Bộ Giao thông vận tải", dissolved_on=dt.date(2025, 3, 1), successor=cast.xd)
    task = cast.task_kh
    response = client_for(cast.office).post(f"/tasks/{task.pk}/edit/", {
        "version": task.version, "text": task.text, "deadline_kind": task.deadline_kind,
        "deadline_due": task.deadline_due.isoformat(), "lead": [cast.kh.pk], "coordinating": [gone.pk]})
    assert response.status_code == 400
    assert "Cơ quan đã chọn không hợp lệ." in response.content.decode()
    assert not task.assignments.filter(agency=gone).exists()


@pytest.mark.browser
def test_typing_in_the_picker_adds_an_agency_without_losing_the_others(page, transactional_db):
    cast = build_cast()
    AgencyFactory(name="Bộ Giao thông vận tải", dissolved_on=dt.date(2025, 3, 1), successor=cast.xd)
    for i in range(40):
        AgencyFactory(name=f"Ủy ban nhân dân tỉnh Thử nghiệm {i}", kind="province")
    login(page, "office", PASSWORD)
    page.goto(cast.task_kh.get_absolute_url())
    page.click("#form-edit-box summary")  # the form is fetched into its box (tasks.pages.FETCHED_FORMS)
    form = page.locator("#form-edit")
    form.locator("select[name=coordinating] + .agency-picker").wait_for()
    assert form.locator("select[name=coordinating]").is_hidden()
    chips = form.locator("select[name=coordinating] + .agency-picker .agency-chip-label")
    assert chips.all_inner_texts() == ["Bộ Tài chính"]

    search = form.locator("#id_coordinating_search")
    search.fill("xay dung")  # no diacritics
    results = form.locator("select[name=coordinating] + .agency-picker .agency-picker-result")
    assert results.all_inner_texts() == ["Bộ Xây dựng"]
    results.first.click()
    assert chips.all_inner_texts() == ["Bộ Tài chính", "Bộ Xây dựng"]

    search.fill("giao thong")  # dissolved: not offered
    assert results.count() == 0
    assert "Không tìm thấy" in form.locator("select[name=coordinating] + .agency-picker").inner_text()
    search.fill("thu nghiem")
    assert results.count() == 30  # the first 30 of 40, then "type more"
    assert "10 cơ quan khác" in form.locator("select[name=coordinating] + .agency-picker").inner_text()

    search.fill("Bộ KH&CN")  # the official short form finds the ministry too
    assert results.all_inner_texts() == ["Bộ Khoa học và Công nghệ (Bộ KH&CN)"]
    # removing a chip deselects that one only
    form.locator(".agency-chip", has_text="Bộ Tài chính").locator("button").click()
    assert chips.all_inner_texts() == ["Bộ Xây dựng"]

    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/tasks/{cast.task_kh.pk}/"))
    assert "Đã lưu các thay đổi" in page.locator(".messages").inner_text()
    partners = set(cast.task_kh.assignments.filter(role=AssignmentRole.COORDINATING).values_list("agency__name",
                                                                                                   flat=True))
    assert partners == {"Bộ Xây dựng"}
    assert Agency.objects.filter(name="Bộ Tài chính").exists()


@pytest.mark.parametrize("multiple", [False, True])
def test_a_picker_reads_plain_rows_and_gives_the_options_model_instances_would(db, multiple):
    """The pickers read an agency queryset as plain rows (``_row_optgroups``); the options must be exactly those of
    Django's own path through model instances (``_instance_optgroups``): labels, folded search text, the chosen
    ones (a dissolved agency only when chosen), the empty choice of a single select."""
    from django import forms

    from nq57.agencies.widgets import AgencySelect, AgencySelectMultiple, pickable

    kept = AgencyFactory(name="Bộ Giao thông vận tải", short_name="Bộ GTVT", dissolved_on=dt.date(2025, 3, 1))
    AgencyFactory(name="Sở Nội vụ cũ", dissolved_on=dt.date(2025, 7, 1))
    chosen_one = AgencyFactory(name="Ủy ban nhân dân Thành phố Hà Nội", short_name="UBND TP Hà Nội")
    AgencyFactory(name="Bộ Y tế")
    if multiple:
        field = forms.ModelMultipleChoiceField(queryset=pickable(keep=[kept.pk]), widget=AgencySelectMultiple)
        value = [str(kept.pk), str(chosen_one.pk)]
    else:
        field = forms.ModelChoiceField(queryset=pickable(keep=[kept.pk]), widget=AgencySelect)
        value = [str(kept.pk)]
    widget = field.widget

    def plain(groups):
        return [(group, [{**option, "value": str(option["value"])} for option in options], index)
                for group, options, index in groups]

    rows = widget.optgroups("lead", value)
    assert plain(rows) == plain(widget._instance_optgroups("lead", value, set(value), None))
    labels = [option["label"] for _, options, _ in rows for option in options]
    assert "Bộ Giao thông vận tải (Bộ GTVT) (đã giải thể)" in labels and "Sở Nội vụ cũ (đã giải thể)" not in labels
    assert [o["value"] for _, options, _ in rows for o in options if o["selected"]] == (
        [kept.pk, chosen_one.pk] if multiple else [kept.pk])
    assert ("" in [o["value"] for _, options, _ in rows for o in options]) is not multiple
