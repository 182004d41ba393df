from django import forms
from django.contrib.auth.password_validation import validate_password


class SignUpForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    email = forms.EmailField(label="Thư điện tử (dùng để đăng nhập)", max_length=254)
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
