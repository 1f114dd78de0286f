from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "thidua.campaigns"
    verbose_name = "Đợt thi đua"
