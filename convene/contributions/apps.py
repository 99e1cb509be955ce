from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "convene.contributions"
    verbose_name = "Top tips, ideas and questions"

    def ready(self) -> None:
        from convene.contributions import signals  # noqa: F401 - connects the receivers
