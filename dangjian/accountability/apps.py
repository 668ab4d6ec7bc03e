from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "dangjian.accountability"
    label = "accountability"
    verbose_name = "追责问责"
