from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "convene.live"
    verbose_name = "Live rooms"
