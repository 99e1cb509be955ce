"""The seven interconnected principles as default data (see spread/defaults.py)."""

from django.db import migrations

from convene.spread.defaults import PRINCIPLES, create_missing


def add_principles(apps, schema_editor):
    create_missing(apps.get_model("spread", "Principle"))


def remove_principles(apps, schema_editor):
    Principle = apps.get_model("spread", "Principle")
    Principle.objects.filter(slug__in=[p["slug"] for p in PRINCIPLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("spread", "0001_initial")]

    operations = [migrations.RunPython(add_principles, remove_principles)]
