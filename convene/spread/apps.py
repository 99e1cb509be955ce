from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _default_principles(sender, using: str = "default", **kwargs) -> None:
    """After every migrate or flush: the shipped principles, where missing (a
    flushed test database keeps them, as Django's content types are kept)."""
    from convene.spread.defaults import create_missing
    from convene.spread.models import Principle

    if Principle._meta.db_table in connections[using].introspection.table_names():
        create_missing(Principle)  # not there after `migrate spread zero`


class SpreadConfig(AppConfig):
    name = "convene.spread"
    verbose_name = "Spread and adoption"

    def ready(self) -> None:
        post_migrate.connect(_default_principles, sender=self)
