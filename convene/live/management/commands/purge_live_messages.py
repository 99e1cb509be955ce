"""Delete chat messages whose event's retention period is over (run daily, e.g. cron).

    python manage.py purge_live_messages

Each event sets its period on its chat settings page; events without one keep
their messages. Safe to run on several machines: deleting twice deletes nothing.
"""

from django.core.management.base import BaseCommand

from convene.live import services


class Command(BaseCommand):
    help = "Delete chat messages past their event's retention period."

    def handle(self, *args, **options) -> None:
        result = services.messages_purge_expired()
        self.stdout.write(
            f"Deleted {result['messages']} messages from {result['rooms']} chat rooms."
        )
