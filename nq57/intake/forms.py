import random

from django import forms
from django.core import signing

from nq57.agencies.models import Agency
from nq57.intake.models import Decision, RejectReason, SubmissionKind
from nq57.intake.services import LIMITS
from nq57.taxonomy.models import TechnologyField, Theme
from nq57.taxonomy.selectors import current_catalogue

CHALLENGE_SALT = "intake.challenge"
CHALLENGE_MAX_AGE = 2 * 3600  # seconds a question stays valid


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; every check (empty, size, type, content) is the service's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


def new_challenge() -> tuple[str, str]:
    """A small sum asked on the form (self-hosted, no third-party service): the question and a signed, expiring
    token holding its answer (sent back in a hidden field; nothing is stored, so showing the form writes nothing)."""
    a, b = random.randint(2, 9), random.randint(2, 9)
    return f"{a} + {b} = ?", signing.dumps(a + b, salt=CHALLENGE_SALT)


def challenge_answer(token: str) -> int | None:
    try:
        return signing.loads(token or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return None


def _text(label, field, *, required=True, rows=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=LIMITS[field], widget=widget,
                           error_messages={"required": f"Hãy nhập {label.lower()}.",
                                           "max_length": f"{label} tối đa {LIMITS[field]} ký tự."})


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=SubmissionKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Hãy chọn loại nội dung."})
    theme = forms.ModelChoiceField(label="Chủ đề", queryset=Theme.objects.all(), required=False,
                                   empty_label="(chưa chọn)")
    technology = forms.ModelChoiceField(label="Lĩnh vực công nghệ chiến lược", queryset=TechnologyField.objects.none(),
                                        required=False, empty_label="(không liên quan)")
    title = _text("Tiêu đề", "title")
    content = _text("Nội dung", "content", rows=8)
    legal_reference = _text("Văn bản, thủ tục liên quan (nếu có)", "legal_reference", required=False)
    attachments = MultipleFileField(label="Tệp đính kèm, bằng chứng (tối đa 5 tệp)", required=False)
    is_public = forms.BooleanField(label="Đồng ý công khai nội dung và câu trả lời (không công khai thông tin liên hệ)",
                                   required=False, initial=True)
    sender_name = _text("Họ và tên", "sender_name")
    sender_contact = _text("Thư điện tử hoặc số điện thoại", "sender_contact")
    sender_organisation = _text("Tổ chức (nếu gửi thay mặt tổ chức)", "sender_organisation", required=False)
    website = forms.CharField(label="Để trống ô này", required=False)  # honeypot, hidden by CSS
    challenge = forms.IntegerField(label="Câu hỏi kiểm tra", error_messages={
        "required": "Hãy trả lời câu hỏi kiểm tra.", "invalid": "Câu trả lời phải là một số."})
    challenge_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        version = current_catalogue()
        if version is not None:
            self.fields["technology"].queryset = TechnologyField.objects.filter(version=version, parent__isnull=True)
        if user is not None and user.is_authenticated:
            self.fields["sender_name"].required = False
            self.fields["sender_contact"].required = False

    def clean_challenge(self):
        value = self.cleaned_data.get("challenge")
        expected = challenge_answer(self.data.get("challenge_token", ""))
        if expected is None or value != expected:
            raise forms.ValidationError("Câu trả lời kiểm tra chưa đúng. Hãy trả lời câu hỏi mới.")
        return value


class FollowForm(forms.Form):
    code = forms.CharField(label="Mã theo dõi", max_length=20,
                           error_messages={"required": "Hãy nhập mã theo dõi."})


class RouteForm(forms.Form):
    agency = forms.ModelChoiceField(label="Cơ quan trả lời", queryset=Agency.objects.filter(dissolved_on__isnull=True),
                                    error_messages={"required": "Hãy chọn cơ quan."})
    due = forms.DateField(label="Hạn trả lời (để trống: theo loại)", required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label="Lý do", choices=RejectReason.choices)
    note = forms.CharField(label="Điều người gửi cần biết hoặc bổ sung", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.CharField(label="Gộp vào nội dung (mã theo dõi)", max_length=20)


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=SubmissionKind.choices)
    theme = forms.ModelChoiceField(label="Chủ đề", queryset=Theme.objects.all(), required=False)


class HideForm(forms.Form):
    reason = forms.CharField(label="Lý do ẩn", max_length=500)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Nội dung trả lời", max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages={"required": "Hãy nhập nội dung trả lời."})
    out_of_scope = forms.BooleanField(label="Không thuộc thẩm quyền của cơ quan", required=False)
    decision = forms.ChoiceField(label="Kết quả đánh giá sáng kiến", choices=[("", "—"), *Decision.choices],
                                 required=False)
    score_novelty = forms.IntegerField(label="Tính mới (1–5)", min_value=1, max_value=5, required=False)
    score_feasibility = forms.IntegerField(label="Tính khả thi (1–5)", min_value=1, max_value=5, required=False)
    score_impact = forms.IntegerField(label="Hiệu quả, tác động (1–5)", min_value=1, max_value=5, required=False)
    score_resources = forms.IntegerField(label="Khả năng huy động nguồn lực (1–5)", min_value=1, max_value=5,
                                         required=False)
    reasons = forms.CharField(label="Lý do đánh giá", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(forms.Form):
    agency = forms.ModelChoiceField(label="Chuyển đến cơ quan",
                                    queryset=Agency.objects.filter(dissolved_on__isnull=True))
    note = forms.CharField(label="Ghi chú", required=False, max_length=2000)


class TaskForm(forms.Form):
    notice = forms.ModelChoiceField(label="Thuộc thông báo", queryset=None)
    text = forms.CharField(label="Nội dung nhiệm vụ", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from nq57.notices.models import Notice

        super().__init__(*args, **kwargs)
        self.fields["notice"].queryset = Notice.objects.order_by("-issued_on")


class SenderForm(forms.Form):
    contact = forms.CharField(label="Thư điện tử hoặc số điện thoại của người gửi", max_length=200)
