from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "convene.live"
    verbose_name = "Live rooms"

    def ready(self) -> None:
        from convene.accounts import extensions as account_extensions
        from convene.events import extensions
        from convene.live import actions, signals  # noqa: F401 - signals connects the receivers
        from convene.live.panels import LiveExtension
        from convene.live.privacy import PERSONAL_DATA

        extensions.register(LiveExtension())
        actions.discover()
        account_extensions.register(PERSONAL_DATA)
