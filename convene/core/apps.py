from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "convene.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from convene.core import hooks

        # Every app's hooks.py (the one extension convention: core/hooks.py).
        hooks.autodiscover()
