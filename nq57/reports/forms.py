"""Forms for progress reports, assessments and extensions. They parse input; the services validate the rules."""

from django import forms

from nq57.reports.models import Verdict
from nq57.tasks.forms import date_field
from nq57.tasks.models import TaskStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the upload checks (type, size, content) are done by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # every check (empty, size, type, content) is the service's, so that the API says the same
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


class ReportForm(forms.Form):
    period_start = date_field("Kỳ báo cáo từ ngày")
    period_end = date_field("Đến ngày")
    text = forms.CharField(label="Nội dung báo cáo", widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Nội dung báo cáo không được để trống."})
    percent = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100, error_messages={
        "required": "Hãy nhập tiến độ (0–100).", "invalid": "Tiến độ phải là số từ 0 đến 100.",
        "min_value": "Tiến độ phải là số từ 0 đến 100.", "max_value": "Tiến độ phải là số từ 0 đến 100."})
    claimed_status = forms.ChoiceField(label="Tình trạng đề nghị", choices=TaskStatus.choices, error_messages={
        "required": "Hãy chọn tình trạng đề nghị.", "invalid_choice": "Tình trạng đề nghị không hợp lệ."})
    attachments = MultipleFileField(label="Tệp đính kèm (có thể chọn nhiều tệp)", required=False,
                                    error_messages={"invalid": "Tệp tải lên không hợp lệ."})


class AssessmentForm(forms.Form):
    verdict = forms.ChoiceField(label="Kết luận", choices=Verdict.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Hãy chọn kết luận đánh giá."})
    comment = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionRequestForm(forms.Form):
    requested_due = date_field("Thời hạn đề xuất")
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Hãy nêu lý do đề xuất gia hạn."})


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="Quyết định", choices=[("1", "Đồng ý gia hạn"), ("0", "Không đồng ý")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, error_messages={"required": "Hãy chọn đồng ý hoặc không đồng ý."},
    )
    note = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))
