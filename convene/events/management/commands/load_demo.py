from django.core.management.base import BaseCommand

from convene.events.demo import demo_load


class Command(BaseCommand):
    help = "Create or refresh the demo events (idempotent: safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--organiser-password",
            help="Also create organiser@example.org (superuser) with this password.",
        )

    def handle(self, *args, organiser_password: str | None = None, **options) -> None:
        events = demo_load(organiser_password=organiser_password)
        for event in events:
            self.stdout.write(f"{event.title}: {event.sessions.count()} sessions")
        if organiser_password:
            self.stdout.write(
                "organiser@example.org is a superuser; its password is the --organiser-password."
            )
        self.stdout.write(self.style.SUCCESS("Demo events loaded."))
