from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "thidua.voting"
    verbose_name = "Hội nghị và bỏ phiếu"
