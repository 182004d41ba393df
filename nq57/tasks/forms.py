"""Forms of the task page (office and lead agency actions). They only parse input; the services decide."""

from django import forms

from nq57.agencies.models import Agency
from nq57.agencies.widgets import AgencySelect, AgencySelectMultiple, pickable
from nq57.core import limits
from nq57.tasks.fields import EDITABLE, label
from nq57.tasks.models import DeadlineKind, ReportCadence, TaskStatus
from nq57.taxonomy.models import Theme

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DATE_ERRORS = {
    "invalid": "Ngày không hợp lệ (ví dụ ngày 31/02 không tồn tại); hãy chọn lại ngày theo dạng ngày/tháng/năm.",
    "required": "Hãy nhập ngày.",
}


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class VersionedForm(forms.Form):
    """A form that carries the task version it was read at, so a concurrent edit is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=True, error_messages={
        "required": "Thiếu phiên bản của nhiệm vụ; hãy tải lại trang.", "invalid": "Phiên bản không hợp lệ."})


class TaskEditForm(VersionedForm):
    text = limits.text_field(label("text"), limits.TASK_TEXT, rows=5,
                             required_message="Nội dung nhiệm vụ không được để trống.")
    section = limits.text_field(label("section"), limits.SECTION, required=False)
    deadline_kind = forms.ChoiceField(label=label("deadline_kind"), choices=DeadlineKind.choices)
    deadline_due = date_field(label("deadline_due"), required=False)
    deadline_text = limits.text_field(label("deadline_text"), limits.SECTION, required=False)
    report_cadence = forms.ChoiceField(label=label("report_cadence"), required=False,
                                       choices=[("", "Không có")] + list(ReportCadence.choices))
    report_due = date_field(label("report_due"), required=False)
    report_text = limits.text_field(label("report_text"), limits.SECTION, required=False)
    coordinating_others = forms.BooleanField(label=label("coordinating_others"), required=False)
    themes = forms.ModelMultipleChoiceField(label=label("themes"), queryset=Theme.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    lead = forms.ModelMultipleChoiceField(
        label=label("lead"), queryset=pickable(), widget=AgencySelectMultiple(attrs={"size": 6}),
        error_messages={"required": "Nhiệm vụ cần có ít nhất một cơ quan chủ trì.",
                        "invalid_choice": "Cơ quan đã chọn không hợp lệ."},
    )
    coordinating = forms.ModelMultipleChoiceField(
        label=label("coordinating"), queryset=pickable(), required=False,
        widget=AgencySelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": "Cơ quan đã chọn không hợp lệ."},
    )

    CHANGE_FIELDS = (*EDITABLE, "themes")

    @classmethod
    def initial_for(cls, task) -> dict:
        initial = {name: getattr(task, name) for name in cls.CHANGE_FIELDS if name != "themes"}
        initial["themes"] = [theme.pk for theme in task.themes.all()]
        initial["version"] = task.version
        return initial


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=label("status"), choices=TaskStatus.choices)
    progress = forms.IntegerField(label=label("progress"), min_value=0, max_value=100, required=False, error_messages={
        "min_value": "Tiến độ phải từ 0 đến 100.", "max_value": "Tiến độ phải từ 0 đến 100.",
        "invalid": "Tiến độ phải là số."})
    completed_on = date_field(label("completed_on"), required=False)
    reason = limits.text_field("Lý do", limits.STATUS_REASON, required=False)


class ScheduleForm(forms.Form):
    due = date_field("Ngày diễn ra sự kiện (hạn hoàn thành)")


class SubtaskForm(forms.Form):
    text = limits.text_field("Nội dung nhiệm vụ con", limits.TASK_TEXT, rows=3,
                             required_message="Nội dung nhiệm vụ con không được để trống.")
    lead = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=Agency.objects.none(), widget=AgencySelect,
                                  error_messages={
        "required": "Hãy chọn đơn vị chủ trì.",
        "invalid_choice": "Chỉ được giao nhiệm vụ con cho chính cơ quan mình hoặc đơn vị trực thuộc."})
    deadline_due = date_field("Hạn hoàn thành", required=False)
    deadline_text = limits.text_field("Thời hạn (diễn giải)", limits.SECTION, required=False)
    deadline_reason = limits.text_field(
        "Lý do (khi hạn sau hạn của nhiệm vụ cha)", limits.SUBTASK_REASON, required=False,
        help_text="Chỉ khi hạn của nhiệm vụ cha đã qua hoặc đang được đề xuất gia hạn; lý do được ghi vào diễn biến.")

    def __init__(self, *args, lead_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = lead_choices if lead_choices is not None else Agency.objects.all()
