from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Role
from thidua.core.forms import BootstrapFormMixin
from thidua.organizations.models import Cluster, Organization


class UserCreateForm(BootstrapFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",  # as the message says: letters without diacritics
        error_messages={"invalid": _("Chỉ dùng chữ không dấu, số và các ký tự . @ + - _")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    organization = forms.ModelChoiceField(
        label=_("Đơn vị công tác"), queryset=Organization.objects.all(), required=False
    )
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Để trống nếu người dùng sẽ được cấp mật khẩu sau."),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data.get("password", "")
        if password:
            validate_password(password)
        return password


class RoleGrantForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    organization = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Organization.objects.all(), required=False)
    cluster = forms.ModelChoiceField(label=_("Cụm"), queryset=Cluster.objects.all(), required=False)
    year = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, required=False, help_text=_("Để trống: mọi năm.")
    )
