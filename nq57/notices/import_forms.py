"""Forms of the notice import pages: the upload/paste form, the notice fields and one form per extracted task.

The review of a long notice has thousands of inputs (the 146-task action programme: ~2,500), more than Django
accepts in one POST (``DATA_UPLOAD_MAX_NUMBER_FIELDS`` = 1000, an English "Bad Request (400)"). The review page's
script (``static/nq57/import_review.js``) therefore sends the whole form as one JSON field, ``review_payload``: a
list of ``[name, value]`` pairs, exactly what the form would have posted. ``review_data`` turns it back into the
form data the review forms bind to; without the script (or for a short notice) the ordinary fields still work.
"""

import json

from django import forms
from django.http import QueryDict

from nq57.core import limits
from nq57.core.errors import ServiceError
from nq57.core.uploads import NOTICE_DOCUMENT, UploadField
from nq57.notices.models import NoticeKind
from nq57.notices.reading import TASK_FIELD_LABELS, split_names
from nq57.tasks.models import DeadlineKind, ReportCadence
from nq57.taxonomy.models import Programme

PAYLOAD_FIELD = "review_payload"
PAYLOAD_MAX_PAIRS = 100_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ImportStartForm(forms.Form):
    upload = UploadField(NOTICE_DOCUMENT, label="Tệp thông báo", required=False)
    text = limits.text_field("Hoặc dán nội dung thông báo", limits.NOTICE_TEXT, required=False,
                             widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}))
    programme = forms.ModelChoiceField(
        label="Chương trình", queryset=Programme.objects.all(), empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = Programme.objects.filter(is_default=True).first()
        if default is not None:
            self.fields["programme"].initial = default.pk

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Hãy chọn tệp văn bản hoặc dán nội dung thông báo.")
        return data


class NoticeFieldsForm(forms.Form):
    number = limits.text_field("Số hiệu", 100, required=False)
    date = forms.DateField(label="Ngày ban hành", required=False, widget=DateInput())
    kind = forms.ChoiceField(label="Loại văn bản", choices=NoticeKind.choices)
    issuer = limits.text_field("Cơ quan ban hành", limits.ORGANISATION_NAME, required=False)
    meeting_date = forms.DateField(label="Ngày họp", required=False, widget=DateInput())
    signer = limits.text_field("Người ký", limits.PERSON_NAME, required=False)
    references = limits.text_field(
        "Văn bản được dẫn", limits.LIST, required=False, help_text="Mỗi số hiệu một dòng hoặc cách nhau bằng dấu “;”.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TaskRowForm(forms.Form):
    key = forms.IntegerField(widget=forms.HiddenInput, required=False)
    path = limits.text_field("Vị trí", 50, required=False)
    section = limits.text_field("Mục", limits.SECTION, required=False)
    text = limits.text_field("Nội dung", limits.TASK_TEXT, required=False, rows=4)
    lead = limits.text_field(
        "Cơ quan chủ trì", limits.LIST, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mỗi cơ quan một dòng hoặc cách nhau bằng dấu “;”.",
    )
    coordinating = limits.text_field(
        "Cơ quan phối hợp", limits.LIST, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mỗi cơ quan một dòng hoặc cách nhau bằng dấu “;”.",
    )
    coordinating_others = forms.BooleanField(label="và các cơ quan liên quan khác", required=False)
    deadline_kind = forms.ChoiceField(label="Loại thời hạn", choices=DeadlineKind.choices)
    deadline_due = forms.DateField(label="Hạn hoàn thành", required=False, widget=DateInput())
    deadline_text = limits.text_field("Thời hạn (nguyên văn)", limits.SECTION, required=False)
    report_cadence = forms.ChoiceField(
        label="Chế độ báo cáo", required=False, choices=[("", "Không định kỳ"), *ReportCadence.choices]
    )
    report_due = forms.DateField(label="Hạn báo cáo", required=False, widget=DateInput())
    report_text = limits.text_field("Yêu cầu báo cáo (nguyên văn)", limits.SECTION, required=False)
    drop = forms.BooleanField(label="Bỏ nhiệm vụ này", required=False)
    apply = forms.MultipleChoiceField(
        label="Áp dụng nội dung văn bản thay cho quyết định trong hệ thống", required=False,
        choices=[(name, label) for name, label in TASK_FIELD_LABELS.items() if name != "path"],
        widget=forms.CheckboxSelectMultiple,
    )


TaskFormSet = forms.formset_factory(TaskRowForm, extra=0)


class TargetRowForm(forms.Form):
    """A target (chỉ tiêu) found in the document, shown beside the tasks for confirmation: kept targets go on to the
    targets and indicators work (``NoticeDraft.proposal["targets"]`` of a confirmed import)."""

    key = forms.IntegerField(widget=forms.HiddenInput, required=False)
    keep = forms.BooleanField(label="Giữ chỉ tiêu này", required=False)
    text = limits.text_field("Chỉ tiêu", limits.TASK_TEXT, required=False, rows=2)
    year = forms.IntegerField(label="Năm", required=False, min_value=1990, max_value=2100)
    value = limits.text_field("Giá trị", limits.SECTION, required=False)
    unit = limits.text_field("Đơn vị", limits.SECTION, required=False)


TargetFormSet = forms.formset_factory(TargetRowForm, extra=0)
TARGET_PREFIX = "target"


def _iso(value) -> str:
    return value.isoformat() if value else ""


def review_forms_initial(proposal: dict) -> tuple[NoticeFieldsForm, forms.BaseFormSet]:
    notice = dict(proposal.get("notice") or {})
    notice["references"] = "\n".join(split_names(notice.get("references")))
    rows = []
    for row in proposal.get("tasks") or []:
        rows.append({**row, "lead": "\n".join(split_names(row.get("lead"))),
                     "coordinating": "\n".join(split_names(row.get("coordinating")))})
    return NoticeFieldsForm(initial=notice, prefix="notice"), TaskFormSet(initial=rows, prefix="task")


def target_formset(proposal: dict, data=None) -> forms.BaseFormSet:
    """The targets' forms: bound to ``data`` when the page sent them, else initial from ``proposal``."""
    if data is not None and f"{TARGET_PREFIX}-TOTAL_FORMS" in data:
        return TargetFormSet(data, prefix=TARGET_PREFIX)
    return TargetFormSet(initial=proposal.get("targets") or [], prefix=TARGET_PREFIX)


def review_forms_bound(data) -> tuple[NoticeFieldsForm, forms.BaseFormSet]:
    return NoticeFieldsForm(data, prefix="notice"), TaskFormSet(data, prefix="task")


def targets_from_forms(targets, proposal: dict) -> list[dict]:
    """The targets of the proposal from their (valid) forms; the draft's own when the page did not send them."""
    if not targets.is_bound:
        return list(proposal.get("targets") or [])
    return [{"key": f.cleaned_data.get("key"), "text": " ".join((f.cleaned_data.get("text") or "").split()),
             "year": f.cleaned_data.get("year"), "value": f.cleaned_data.get("value") or "",
             "unit": f.cleaned_data.get("unit") or "", "keep": bool(f.cleaned_data.get("keep"))}
            for f in targets.forms]


def proposal_from_forms(notice_form: NoticeFieldsForm, formset, targets: list[dict] | None = None) -> dict:
    """The proposal (the importer's JSON shape) from valid review forms."""
    notice = notice_form.cleaned_data
    tasks = []
    for form in formset.forms:
        row = form.cleaned_data
        tasks.append({
            "key": row.get("key"),
            "path": (row.get("path") or "").strip(),
            "section": row.get("section") or "",
            "text": row.get("text") or "",
            "lead": split_names(row.get("lead")),
            "coordinating": split_names(row.get("coordinating")),
            "coordinating_others": bool(row.get("coordinating_others")),
            "deadline_kind": row.get("deadline_kind") or DeadlineKind.NONE,
            "deadline_due": _iso(row.get("deadline_due")),
            "deadline_text": row.get("deadline_text") or "",
            "report_cadence": row.get("report_cadence") or "",
            "report_due": _iso(row.get("report_due")),
            "report_text": row.get("report_text") or "",
            "drop": bool(row.get("drop")),
            "apply": list(row.get("apply") or []),
        })
    return {
        "targets": list(targets or []),
        "notice": {
            "number": (notice.get("number") or "").strip(),
            "date": _iso(notice.get("date")),
            "kind": notice.get("kind") or NoticeKind.CONCLUSION_NOTICE,
            "issuer": notice.get("issuer") or "",
            "meeting_date": _iso(notice.get("meeting_date")),
            "signer": notice.get("signer") or "",
            "references": split_names(notice.get("references")),
        },
        "tasks": tasks,
    }


def review_data(post) -> QueryDict:
    """The review form's data: the JSON ``review_payload`` when the page's script sent one, else the POST itself.

    Raises ServiceError (Vietnamese) for a payload that is not a list of [name, value] string pairs."""
    raw = post.get(PAYLOAD_FIELD)
    if not raw:
        return post
    try:
        pairs = json.loads(raw)
    except ValueError:
        pairs = None
    if not isinstance(pairs, list) or len(pairs) > PAYLOAD_MAX_PAIRS or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs):
        raise ServiceError("Dữ liệu trang xem lại gửi lên không hợp lệ. Hãy tải lại trang và thử lại.")
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    for name in ("register_unknown", "review_edit", "review_edit_at", "review_selection"):
        if name in post and name not in data:
            data[name] = post[name]
    return data
