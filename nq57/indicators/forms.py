"""Forms of the indicators pages: they parse input; the services validate the rules."""

from django import forms

from nq57.agencies.models import Agency
from nq57.indicators.computations import computation_choices
from nq57.indicators.models import Direction, IndicatorKind, Period, SubjectKind, ValueSource
from nq57.taxonomy.models import TechnologyField, Theme

QUARTERS = [(0, "Cả năm"), (1, "Quý 1"), (2, "Quý 2"), (3, "Quý 3"), (4, "Quý 4")]


class IndicatorForm(forms.Form):
    name = forms.CharField(label="Tên chỉ tiêu", max_length=600,
                           error_messages={"required": "Hãy nhập tên chỉ tiêu.",
                                           "max_length": "Tên chỉ tiêu tối đa 600 ký tự."})
    code = forms.CharField(label="Mã (dùng trong bộ tiêu chí)", max_length=60, required=False)
    unit = forms.CharField(label="Đơn vị tính", max_length=120, required=False)
    kind = forms.ChoiceField(label="Loại", choices=IndicatorKind.choices)
    direction = forms.ChoiceField(label="Chiều tốt", choices=Direction.choices)
    period = forms.ChoiceField(label="Kỳ số liệu", choices=Period.choices)
    agency = forms.ModelChoiceField(label="Cơ quan chủ trì theo dõi", queryset=Agency.objects.order_by("name"),
                                    required=False)
    theme = forms.ModelChoiceField(label="Chủ đề", queryset=Theme.objects.all(), required=False)
    technology = forms.ModelChoiceField(label="Lĩnh vực công nghệ chiến lược (Quyết định 1131/QĐ-TTg)",
                                        queryset=TechnologyField.objects.filter(version__is_current=True,
                                                                                parent__isnull=True),
                                        required=False)
    baseline_value = forms.DecimalField(label="Giá trị cơ sở", required=False, max_digits=20, decimal_places=4,
                                        error_messages={"invalid": "Giá trị cơ sở phải là số."})
    baseline_year = forms.IntegerField(label="Năm cơ sở", required=False,
                                       error_messages={"invalid": "Năm cơ sở phải là số."})
    targets = forms.CharField(label="Mục tiêu (mỗi dòng “năm: giá trị”, ví dụ 2030: 55)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    method = forms.CharField(label="Phương pháp tính", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=4000)
    data_source = forms.CharField(label="Nguồn số liệu", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=4000)
    value_source = forms.ChoiceField(label="Cách có số liệu", choices=ValueSource.choices)
    computation = forms.ChoiceField(label="Phép tính (khi tính từ hệ thống)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computation"].choices = [("", "—")] + computation_choices()


class ValueForm(forms.Form):
    def __init__(self, *args, period: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if period == Period.YEARLY:
            self.fields["quarter"].choices = QUARTERS[:1]
        elif period == Period.QUARTERLY:
            self.fields["quarter"].choices = QUARTERS[1:]

    year = forms.IntegerField(label="Năm", error_messages={"required": "Hãy nhập năm.", "invalid": "Năm phải là số."})
    quarter = forms.TypedChoiceField(label="Kỳ", choices=QUARTERS, coerce=int, empty_value=0, required=False,
                                     error_messages={"invalid_choice": "Kỳ đã chọn không hợp với kỳ số liệu của "
                                                                       "chỉ tiêu (theo năm hoặc theo quý)."})
    value = forms.CharField(label="Giá trị", max_length=40, error_messages={"required": "Hãy nhập giá trị."})
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    evidence_link = forms.CharField(label="Liên kết minh chứng", required=False, max_length=1000)
    evidence_file = forms.FileField(label="Tệp minh chứng", required=False, error_messages={
        "empty": "Tệp minh chứng rỗng.", "invalid": "Tệp tải lên không hợp lệ."})


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)", error_messages={
        "required": "Hãy chọn tệp Excel.", "empty": "Tệp đã chọn rỗng.", "invalid": "Tệp tải lên không hợp lệ.",
        "missing": "Hãy chọn tệp Excel."})


class FrameworkForm(forms.Form):
    name = forms.CharField(label="Tên bộ tiêu chí", max_length=300)
    subject_kind = forms.ChoiceField(label="Áp dụng cho", choices=SubjectKind.choices)
    description = forms.CharField(label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=4000)
    criteria = forms.CharField(
        label="Tiêu chí (mỗi dòng: tên | trọng số | ngưỡng, tuyến tính hoặc chấm | mã chỉ tiêu | tham số)",
        widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
        help_text="Ngưỡng: “10:50; 20:100” (giá trị:điểm). Tuyến tính: “0-100” (mức kém nhất - mức tốt nhất). "
                  "Chấm: người đánh giá chấm 0–100 kèm minh chứng.")
    subjects = forms.ModelMultipleChoiceField(label="Đối tượng đánh giá", queryset=Agency.objects.order_by("name"),
                                              required=False)


RULE_WORDS = {"nguong": "threshold", "threshold": "threshold", "tuyen tinh": "linear", "linear": "linear",
              "cham": "assessor", "assessor": "assessor", "nguoi danh gia": "assessor"}


def parse_criteria(text: str) -> list[dict]:
    """The criteria textarea, one criterion per line (see ``FrameworkForm.criteria``)."""
    from nq57.indicators.services import parse_number
    from nq57.text.vietnamese import fold

    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + [""] * 5
        name, weight, rule, code, params = parts[:5]
        rule = RULE_WORDS.get(fold(rule), rule)
        item = {"name": name, "weight": weight, "rule": rule, "indicator_code": code}
        if rule == "threshold":
            steps = []
            for pair in params.split(";"):
                if ":" in pair:
                    a, b = pair.split(":", 1)
                    if parse_number(a) is not None and parse_number(b) is not None:
                        steps.append([float(parse_number(a)), float(parse_number(b))])
            item["steps"] = steps
            item["lower_is_better"] = "thap" in fold(params)
        elif rule == "linear":
            low, _, high = params.replace("–", "-").partition("-")
            item["worst"], item["best"] = parse_number(low), parse_number(high)
        out.append(item)
    return out


def criteria_text(version) -> str:
    lines = []
    labels = {"threshold": "ngưỡng", "linear": "tuyến tính", "assessor": "chấm"}
    for c in version.criteria.all():
        params = ""
        if c.rule == "threshold":
            params = "; ".join(f"{a:g}:{b:g}" for a, b in c.steps)
        elif c.rule == "linear":
            params = f"{c.worst.normalize():f}-{c.best.normalize():f}"
        lines.append(" | ".join([c.name, f"{c.weight.normalize():f}", labels[c.rule], c.indicator_code, params]))
    return "\n".join(lines)
