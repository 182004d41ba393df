"""One home for labels, colours and task fields: everything reads them from ``core.badges`` and ``tasks.fields``."""

import datetime as dt

from django.template import Context, Template

from nq57.core import badges
from nq57.reports.models import ExtensionState, ReportState
from nq57.tasks import fields
from nq57.tasks.forms import StatusForm, TaskEditForm
from nq57.tasks.models import Task, TaskStatus, Timing


def test_every_state_has_one_colour_and_its_own_label():
    for kind, choices in (("task_status", TaskStatus), ("timing", Timing), ("report_state", ReportState),
                          ("extension_state", ExtensionState)):
        for value, text in choices.choices:
            assert badges.label(value, kind) == text
            assert badges.css(value, kind) in badges.COLOURS
            assert badges.colour(value, kind).startswith("#")
    assert badges.css(Timing.OPEN_OVERDUE) == "danger" and badges.css(TaskStatus.DONE) == "success"


def test_the_badge_tag_renders_the_label_in_its_colour():
    html = Template('{% load badges %}{% badge value "timing" %}|{% badge "done" "task_status" element_id="s" %}|'
                    '{{ "due_soon"|badge_class:"timing" }}').render(Context({"value": "open_overdue"}))
    assert html == ('<span class="badge danger">Chưa hoàn thành, đã quá hạn</span>|'
                    '<span class="badge success" id="s">Hoàn thành</span>|attention')


def test_forms_and_the_edit_service_read_the_one_field_description():
    form = TaskEditForm()
    for name in (*fields.EDITABLE, "themes", "lead", "coordinating"):
        assert form.fields[name].label == fields.label(name), name
    status = StatusForm()
    assert [status.fields[n].label for n in ("status", "progress", "completed_on")] == \
        fields.headers(("status", "progress", "completed_on"))
    assert TaskEditForm.CHANGE_FIELDS == (*fields.EDITABLE, "themes")
    from nq57.tasks.services import EDITABLE_FIELDS

    assert EDITABLE_FIELDS == fields.EDITABLE
    # every described model field exists on Task
    model_fields = {f.name for f in Task._meta.get_fields()}
    for spec in fields.TASK_FIELDS:
        if spec.name not in {"notice", "lead", "coordinating", "deadline", "timing", "days_late"}:
            assert spec.name in model_fields, spec.name


def test_values_are_shown_the_same_way_everywhere():
    assert fields.display("deadline_due", dt.date(2025, 7, 30)) == "30/07/2025"
    assert fields.display("deadline_due", "2025-07-30") == "30/07/2025"
    assert fields.display("deadline_kind", "month") == "Trong tháng"
    assert fields.display("status", "partly_done") == "Hoàn thành một phần"
    assert fields.display("coordinating_others", True) == "có"
    assert fields.display("lead", ["Bộ Tài chính", "Bộ Xây dựng"]) == "Bộ Tài chính; Bộ Xây dựng"
    assert fields.display("report_due", None) == "—"
    assert fields.deadline_phrase("", "recurring") == "Thường xuyên"
    assert fields.field("timing").cell("done_late") == "Hoàn thành quá hạn"
    assert fields.field("lead").cell([]) == ""
