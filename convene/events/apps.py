from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "convene.events"
    verbose_name = "Events and programme"

    def ready(self) -> None:
        from convene.core import outbox
        from convene.events import signals  # noqa: F401 - connects the receivers
        from convene.events.emails import HOST_INVITATION, build_host_invitation

        outbox.register_builder(HOST_INVITATION, build_host_invitation)
