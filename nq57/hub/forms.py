"""The hub's forms: they read what people type; the services decide (and refuse with a Vietnamese message)."""

from django import forms

from nq57.hub.models import TRL_CHOICES, IpStatus, OfferKind, OutcomeKind


def _text(label, max_length, *, required=True, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, help_text=help_text,
                           strip=True)


def _money(label):
    return forms.IntegerField(label=label, required=False, min_value=0, help_text="Đơn vị: đồng.")


class _FieldChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}. {obj.name}" if obj.parent_id is None else f"    {obj.code}. {obj.name}"


def _fields_queryset():
    from nq57.taxonomy.models import TechnologyField
    from nq57.taxonomy.selectors import current_catalogue

    current = current_catalogue()
    return TechnologyField.objects.filter(version=current).order_by("position", "id") if current else \
        TechnologyField.objects.none()


class _ItemForm(forms.Form):
    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = organisations
            if organisations is not None and organisations.count() == 1 and not self.is_bound:
                self.fields["organisation"].initial = organisations.first().pk
        self.fields["field"] = _FieldChoice(
            label="Lĩnh vực (Danh mục công nghệ chiến lược)", queryset=_fields_queryset(), required=False,
            empty_label="— hệ thống tự gợi ý theo nội dung —")
        self.order_fields(self.field_order)


class ProblemForm(_ItemForm):
    field_order = ["organisation", "title", "summary", "expected_result", "acceptance", "field", "trl_required",
                   "budget_vnd", "cofunding_vnd", "due_on", "timeline", "ip_terms", "details"]
    organisation = forms.ModelChoiceField(label="Tổ chức đăng", queryset=None)
    title = _text("Tên đầu bài", 300)
    summary = _text("Tóm tắt công khai", 4000, rows=4, help_text="Ai cũng xem được.")
    expected_result = _text("Kết quả mong đợi", 4000, rows=3)
    acceptance = _text("Cách nghiệm thu", 2000, required=False, rows=2)
    trl_required = forms.TypedChoiceField(label="Mức sẵn sàng công nghệ yêu cầu (TRL)", choices=TRL_CHOICES,
                                          coerce=int, initial=5)
    budget_vnd = _money("Kinh phí dự kiến")
    cofunding_vnd = _money("Đối ứng/đồng tài trợ")
    due_on = forms.DateField(label="Cần có kết quả trước ngày", required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    timeline = _text("Tiến độ", 500, required=False)
    ip_terms = _text("Điều kiện chia sẻ sở hữu trí tuệ", 2000, required=False, rows=2)
    details = _text("Chi tiết bảo mật", 8000, required=False, rows=5,
                    help_text="Chỉ tổ chức của bạn, Cơ quan Thường trực và đối tác bạn chấp thuận xem được.")


class ProblemEditForm(ProblemForm):
    field_order = [*ProblemForm.field_order, "status"]
    status = forms.ChoiceField(label="Tình trạng", choices=[])

    def __init__(self, *args, **kwargs):
        from nq57.hub.models import ProblemStatus

        super().__init__(*args, **kwargs)
        del self.fields["organisation"]
        self.fields["status"].choices = ProblemStatus.choices


class OfferForm(_ItemForm):
    field_order = ["organisation", "kind", "title", "summary", "field", "trl", "ip_status", "expected_product",
                   "market_evidence", "team", "labs", "licensing_terms", "asking_price_vnd", "brochure"]
    organisation = forms.ModelChoiceField(label="Tổ chức đăng", queryset=None)
    kind = forms.ChoiceField(label="Loại", choices=OfferKind.choices)
    title = _text("Tên kết quả, sáng kiến, công nghệ", 300)
    summary = _text("Tóm tắt", 4000, rows=4)
    trl = forms.TypedChoiceField(label="Mức sẵn sàng công nghệ (TRL)", choices=TRL_CHOICES, coerce=int, initial=4)
    ip_status = forms.ChoiceField(label="Tình trạng sở hữu trí tuệ", choices=IpStatus.choices, initial=IpStatus.NONE)
    expected_product = _text("Sản phẩm dự kiến", 2000, required=False, rows=2)
    market_evidence = _text("Bằng chứng nhu cầu thị trường", 4000, required=False, rows=3)
    team = _text("Nhóm nghiên cứu", 2000, required=False, rows=2)
    labs = _text("Phòng thí nghiệm, thiết bị", 2000, required=False, rows=2)
    licensing_terms = _text("Điều kiện chuyển giao, li-xăng", 2000, required=False, rows=2)
    asking_price_vnd = _money("Giá chào trên Sàn giao dịch")
    brochure = forms.FileField(label="Tài liệu giới thiệu (PDF, DOCX, PPTX, ảnh; tối đa 20 MB)", required=False)


class OfferEditForm(OfferForm):
    """The poster's edit of its offer: everything but the organisation (withdrawing is its own action)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]
        self.fields["brochure"].label = "Thay tài liệu giới thiệu (để trống nếu giữ tệp cũ)"


class ReasonForm(forms.Form):
    reason = _text("Lý do (không bắt buộc)", 2000, required=False, rows=2)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label="Ngày hoàn thành", widget=forms.DateInput(attrs={"type": "date"}))
    note = _text("Ghi chú", 2000, required=False)


class InterestForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Thay mặt tổ chức", queryset=None)
    message = _text("Lời nhắn", 4000, rows=3)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MessageForm(forms.Form):
    body = _text("Tin nhắn", 4000, rows=3)


class AgreeForm(forms.Form):
    terms = _text("Nội dung thống nhất", 4000, rows=3)


class ContractForm(forms.Form):
    number = _text("Số hợp đồng", 100)
    title = _text("Tên hợp đồng", 300)
    value_vnd = forms.IntegerField(label="Giá trị (đồng)", min_value=0)
    cofunding_vnd = forms.IntegerField(label="Vốn đối ứng/Nhà nước hỗ trợ (đồng)", min_value=0, required=False)
    ip_split = _text("Phân chia quyền sở hữu trí tuệ", 500)
    signed_on = forms.DateField(label="Ngày ký", widget=forms.DateInput(attrs={"type": "date"}))
    starts_on = forms.DateField(label="Bắt đầu", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Kết thúc", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    milestones = _text("Mốc tiến độ (mỗi dòng: ngày dd/mm/yyyy — nội dung)", 4000, required=False, rows=3)

    def clean_milestones(self):
        import datetime as dt

        rows = []
        for line in (self.cleaned_data.get("milestones") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            head, _, rest = line.partition("—") if "—" in line else line.partition("-")
            try:
                due = dt.datetime.strptime(head.strip(), "%d/%m/%Y").date()
            except ValueError:
                due, rest = None, line
            rows.append({"title": rest.strip() or line, "due": due})
        return rows


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label="Loại kết quả", choices=OutcomeKind.choices)
    title = _text("Mô tả ngắn", 300)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    revenue_vnd = forms.IntegerField(label="Doanh thu trong năm (đồng)", min_value=0, required=False)
    spinoff_name = _text("Tên doanh nghiệp spin-off", 300, required=False)
