from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "thidua.home"
    verbose_name = "Thi đua — trang chủ"
