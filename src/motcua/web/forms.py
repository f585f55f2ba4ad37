from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import DATE_INPUTS


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ "
            "hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class AuditFilterForm(forms.Form):
    nguoi = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    hanh_dong = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        error_messages={"invalid_choice": _("Không có hành động này trong nhật ký.")},
    )
    tu = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    den = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hanh_dong"].choices = [("", _("Tất cả"))] + [(a, a) for a in actions]

    def clean(self):
        data = super().clean()
        first, last = data.get("tu"), data.get("den")
        if first and last and first > last:
            self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
