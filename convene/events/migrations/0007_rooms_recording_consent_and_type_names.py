"""Rooms apart from tracks, recording consent and type names (docs/decisions/0015).

Until now a session's track was also its room: every track becomes a room of
the same name and place, and its sessions are put in it. The tracks stay, so
exports of existing events say what they said before.
"""

import django.db.models.deletion
from django.db import migrations, models


def tracks_to_rooms(apps, schema_editor):
    Track = apps.get_model("events", "Track")
    Room = apps.get_model("events", "Room")
    Session = apps.get_model("events", "Session")
    for track in Track.objects.order_by("pk").iterator():
        room = Room.objects.create(
            event_id=track.event_id, name=track.name, position=track.position
        )
        Session.objects.filter(track=track).update(room=room)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_session_capacity"),
    ]

    operations = [
        migrations.CreateModel(
            name="Room",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rooms",
                        to="events.event",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "name"), name="unique_room_name_per_event"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="session",
            name="room",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sessions",
                to="events.room",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="type_name",
            field=models.CharField(
                blank=True,
                help_text="Leave empty to use the kind.",
                max_length=100,
                verbose_name="type in schedule files",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="do_not_record",
            field=models.BooleanField(
                default=False,
                help_text="Recording teams read this from the schedule exports.",
                verbose_name="speakers asked not to be recorded",
            ),
        ),
        migrations.AlterModelOptions(
            name="session",
            options={"ordering": ["start", "room__position", "track__position", "title"]},
        ),
        migrations.RunPython(tracks_to_rooms, migrations.RunPython.noop),
    ]
