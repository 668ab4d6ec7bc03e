from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "dangjian.bulletins"
    label = "bulletins"
    verbose_name = "督导通报"
