from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_session_source_guid"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="capacity",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Leave empty for a drop-in session: anyone registered for the event may join.",
                null=True,
            ),
        ),
    ]
