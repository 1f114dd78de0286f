from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "thidua.assessments"
    verbose_name = "Tự chấm điểm và minh chứng"
