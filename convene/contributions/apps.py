from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "convene.contributions"
    verbose_name = "Top tips, ideas and questions"

    def ready(self) -> None:
        from convene.accounts import extensions as account_extensions
        from convene.contributions import (
            notifications,
            signals,  # noqa: F401 - connects the receivers
        )
        from convene.contributions.panels import ContributionsExtension, ContributionsLens
        from convene.contributions.privacy import PERSONAL_DATA
        from convene.core import outbox
        from convene.events import extensions
        from convene.spread import extensions as spread_extensions

        extensions.register(ContributionsExtension())
        spread_extensions.register(ContributionsLens())
        account_extensions.register(PERSONAL_DATA)
        outbox.register_builder(notifications.KIND, notifications.build_message)
