from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "dangjian.decisions"
    label = "decisions"
    verbose_name = "三重一大"
