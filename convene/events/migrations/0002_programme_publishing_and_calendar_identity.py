import uuid

from django.db import migrations, models


def give_sessions_uids(apps, schema_editor):
    Session = apps.get_model("events", "Session")
    for session in Session.objects.filter(uid__isnull=True).only("pk"):
        session.uid = uuid.uuid4()
        session.save(update_fields=["uid"])


def publish_existing_programmes(apps, schema_editor):
    # Programmes that were public before this flag existed stay public.
    apps.get_model("events", "Event").objects.update(programme_published=True)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="programme_published",
            field=models.BooleanField(
                default=False,
                help_text="While off, only organisers see the programme and its sessions.",
            ),
        ),
        migrations.RunPython(publish_existing_programmes, migrations.RunPython.noop),
        migrations.AddField(
            model_name="session",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="session",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_sessions_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="session",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
