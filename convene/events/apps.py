from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "convene.events"
    verbose_name = "Events and programme"
