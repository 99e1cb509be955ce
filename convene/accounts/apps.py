from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "convene.accounts"
    verbose_name = "People"
