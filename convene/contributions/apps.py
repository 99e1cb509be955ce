from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "convene.contributions"
    verbose_name = "Top tips, ideas and questions"
