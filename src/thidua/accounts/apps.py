from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thidua.accounts"
    verbose_name = "Tài khoản và vai trò"
