from django import forms

from nq57.agencies.models import SELF_REGISTRATION_KINDS


class RegistrationForm(forms.Form):
    name = forms.CharField(label="Tên tổ chức (đầy đủ)", max_length=300)
    kind = forms.ChoiceField(label="Loại tổ chức", choices=[(k.value, k.label) for k in SELF_REGISTRATION_KINDS])
    tax_code = forms.CharField(label="Mã số thuế/mã đăng ký (nếu có)", max_length=40, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=500)
    contact_name = forms.CharField(label="Người đăng ký, liên hệ", max_length=200)
    contact_email = forms.EmailField(label="Thư điện tử liên hệ")
    contact_phone = forms.CharField(label="Điện thoại liên hệ", max_length=40, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", "Xác minh"), ("reject", "Từ chối")])
    reason = forms.CharField(label="Ghi chú/lý do từ chối", max_length=2000, required=False)
