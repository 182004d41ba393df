from django import forms

from nq57.agencies.models import SELF_REGISTRATION_KINDS
from nq57.core import limits


class RegistrationForm(forms.Form):
    name = limits.text_field("Tên tổ chức (đầy đủ)", limits.ORGANISATION_NAME,
                             required_message="Hãy nhập tên tổ chức.")
    kind = forms.ChoiceField(label="Loại tổ chức", choices=[(k.value, k.label) for k in SELF_REGISTRATION_KINDS],
                             error_messages={"required": "Hãy chọn loại tổ chức trong danh sách.",
                                             "invalid_choice": "Hãy chọn loại tổ chức trong danh sách."})
    tax_code = limits.text_field("Mã số thuế/mã đăng ký (nếu có)", 40, required=False)
    address = limits.text_field("Địa chỉ", limits.ADDRESS, required_message="Hãy nhập địa chỉ.")
    contact_name = limits.text_field("Người đăng ký, liên hệ", limits.PERSON_NAME,
                                     required_message="Hãy nhập người liên hệ.")
    contact_email = forms.EmailField(label="Thư điện tử liên hệ", error_messages={
        "required": "Hãy nhập thư điện tử liên hệ.", "invalid": "Địa chỉ thư điện tử không hợp lệ."})
    contact_phone = limits.text_field("Điện thoại liên hệ", 40, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", "Xác minh"), ("reject", "Từ chối")])
    reason = limits.text_field("Ghi chú/lý do từ chối", limits.NOTE, required=False)
