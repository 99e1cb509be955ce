from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "convene.media"
    verbose_name = "Recordings and resources"
