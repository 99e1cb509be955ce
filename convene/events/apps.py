from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "convene.events"
    verbose_name = "Events and programme"

    def ready(self) -> None:
        from convene.events import signals  # noqa: F401 - connects the receivers
