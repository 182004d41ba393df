"""Forms for progress reports, assessments and extensions. They check each field on its own (required, format,
length, every attached file through ``core.uploads``); the services check the rules that need the task."""

from django import forms

from nq57.core import limits
from nq57.core.uploads import ATTACHMENT, UploadField
from nq57.reports.models import Verdict
from nq57.tasks.forms import date_field
from nq57.tasks.models import TaskStatus


class ReportForm(forms.Form):
    period_start = date_field("Kỳ báo cáo từ ngày")
    period_end = date_field("Đến ngày")
    text = limits.text_field("Nội dung báo cáo", limits.REPORT_TEXT, rows=5,
                             required_message="Nội dung báo cáo không được để trống.")
    percent = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100, error_messages={
        "required": "Hãy nhập tiến độ (0–100).", "invalid": "Tiến độ phải là số từ 0 đến 100.",
        "min_value": "Tiến độ phải là số từ 0 đến 100.", "max_value": "Tiến độ phải là số từ 0 đến 100."})
    claimed_status = forms.ChoiceField(label="Tình trạng đề nghị", choices=TaskStatus.choices, error_messages={
        "required": "Hãy chọn tình trạng đề nghị.", "invalid_choice": "Tình trạng đề nghị không hợp lệ."})
    attachments = UploadField(ATTACHMENT, multiple=True, required=False,
                              label="Tệp đính kèm (có thể chọn nhiều tệp)")


class AssessmentForm(forms.Form):
    verdict = forms.ChoiceField(label="Kết luận", choices=Verdict.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Hãy chọn kết luận đánh giá."})
    comment = limits.text_field("Ý kiến", limits.COMMENT, required=False, rows=2)


class ExtensionRequestForm(forms.Form):
    requested_due = date_field("Thời hạn đề xuất")
    reason = limits.text_field("Lý do", limits.REASON, rows=3, required_message="Hãy nêu lý do đề xuất gia hạn.")


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="Quyết định", choices=[("1", "Đồng ý gia hạn"), ("0", "Không đồng ý")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, error_messages={"required": "Hãy chọn đồng ý hoặc không đồng ý."},
    )
    note = limits.text_field("Ý kiến", limits.COMMENT, required=False, rows=2)
