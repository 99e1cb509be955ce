"""Each person holds a role in a session once (host_role_once_per_person).

Rows that repeat a person's role in a session are removed first, keeping the
first one in the programme's order; a person with several different roles keeps
them all.
"""

from django.db import migrations, models


def remove_repeated_roles(apps, schema_editor):
    Host = apps.get_model("events", "Host")
    seen = set()
    repeated = []
    rows = Host.objects.filter(user__isnull=False).order_by("position", "id")
    for pk, *key in rows.values_list("pk", "session_id", "user_id", "role"):
        if tuple(key) in seen:
            repeated.append(pk)
        seen.add(tuple(key))
    Host.objects.filter(pk__in=repeated).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0008_import_preview")]

    operations = [
        migrations.RunPython(remove_repeated_roles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="host",
            constraint=models.UniqueConstraint(
                fields=("session", "user", "role"), name="host_role_once_per_person"
            ),
        ),
    ]
