from django.apps import AppConfig


class TitlesConfig(AppConfig):
    name = "thidua.titles"
    label = "titles"
    verbose_name = "Danh hiệu và hình thức khen thưởng"
