import datetime as dt

from django import forms
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.agencies.widgets import AgencySelect
from nq57.monitoring.issuers import KINDS, Issuer, issuer_for
from nq57.notices.models import Notice
from nq57.taxonomy.models import Theme

DATE_ERROR = {"invalid": "Ngày không hợp lệ; hãy nhập theo dạng năm-tháng-ngày (ví dụ 2025-12-31)."}
CHOICE_ERROR = {"invalid_choice": "Không tìm thấy mục đã chọn."}


class ReportScopeForm(forms.Form):
    """The scope of a consolidated report, read from GET parameters (same names as the task list where they exist)."""

    notice = forms.ModelChoiceField(Notice.objects.all(), required=False, label="Thông báo",
                                    empty_label="Mọi thông báo", error_messages=CHOICE_ERROR)
    agency = forms.ModelChoiceField(Agency.objects.filter(assignments__role="lead").distinct(), required=False,
                                    label="Cơ quan chủ trì", empty_label="Mọi cơ quan", error_messages=CHOICE_ERROR,
                                    widget=AgencySelect)
    theme = forms.ModelChoiceField(Theme.objects.all(), to_field_name="code", required=False, label="Chủ đề",
                                   empty_label="Mọi chủ đề", error_messages=CHOICE_ERROR)
    as_of = forms.DateField(required=False, label="Tính đến ngày", error_messages=DATE_ERROR,
                            widget=forms.DateInput(attrs={"type": "date"}))
    due_from = forms.DateField(required=False, label="Hạn từ ngày", error_messages=DATE_ERROR,
                               widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(required=False, label="Hạn đến ngày", error_messages=DATE_ERROR,
                             widget=forms.DateInput(attrs={"type": "date"}))

    issuer = forms.ChoiceField(required=False, label="Cơ quan ban hành", error_messages=CHOICE_ERROR,
                               choices=[("", "Theo cấu hình"), *KINDS.items()],
                               help_text="Quốc hiệu, số hiệu và chữ ký của bản Word và bản in.")

    def clean(self):
        data = super().clean()
        for name in ("as_of", "due_from", "due_to"):  # 9999-12-31 would overflow the date arithmetic: a 400, not a 500
            if data.get(name) and not dt.date(1900, 1, 1) <= data[name] <= dt.date(2200, 12, 31):
                self.add_error(name, "Ngày phải trong khoảng năm 1900 đến năm 2200.")
                data.pop(name, None)
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            raise forms.ValidationError("“Hạn đến ngày” phải sau “Hạn từ ngày”.")
        return data

    def report_issuer(self) -> Issuer:
        """The issuer whose header and numbering the .docx and print version take (``?issuer=party|state``)."""
        return issuer_for((getattr(self, "cleaned_data", None) or {}).get("issuer") or None)

    def report_kwargs(self) -> dict:
        data = self.cleaned_data
        as_of: dt.date = data.get("as_of") or timezone.localdate()
        return {"as_of": as_of, "notice": data.get("notice"), "agency": data.get("agency"),
                "theme": data.get("theme"), "date_from": data.get("due_from"), "date_to": data.get("due_to")}
