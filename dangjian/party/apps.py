from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "dangjian.party"
    label = "party"
    verbose_name = "党员与组织关系"
