from django import forms
from django.contrib.auth.password_validation import validate_password

from nq57.core import limits


class SignUpForm(forms.Form):
    full_name = limits.text_field("Họ và tên", limits.PERSON_NAME, required_message="Hãy nhập họ và tên.")
    email = forms.EmailField(label="Thư điện tử (dùng để đăng nhập)", max_length=254, error_messages={
        "required": "Hãy nhập địa chỉ thư điện tử.", "invalid": "Địa chỉ thư điện tử không hợp lệ.",
        "max_length": "Địa chỉ thư điện tử tối đa 254 ký tự."})
    password1 = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label="Nhập lại mật khẩu", widget=forms.PasswordInput(render_value=False),
                                strip=False)

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "Hai lần nhập mật khẩu không khớp.")
        elif one:
            try:
                validate_password(one)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
