from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "convene.live"
    verbose_name = "Live rooms"

    def ready(self) -> None:
        from convene.events import extensions
        from convene.live import actions, signals  # noqa: F401 - signals connects the receivers
        from convene.live.panels import LiveExtension

        extensions.register(LiveExtension())
        actions.discover()
