from django.apps import AppConfig


class SpreadConfig(AppConfig):
    name = "convene.spread"
    verbose_name = "Spread and adoption"
