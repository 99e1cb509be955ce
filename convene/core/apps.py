from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "convene.core"
    verbose_name = "Core"
