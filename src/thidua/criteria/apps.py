from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "thidua.criteria"
    verbose_name = "Bảng tiêu chí"
