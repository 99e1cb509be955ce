from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "convene.console"
    verbose_name = "Organiser console"
