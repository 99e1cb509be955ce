"""Seed the database of an end-to-end test server (run in its own process):

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.live.e2e_seed out.json [messages]

One event with a registration-only room (with a random id, so parallel runs on
one Redis never share a group), people signed in through database sessions:
alice, bea, carl (registered), mo (the session's moderator), oz (no tie);
optionally that many earlier messages in the room ("Earlier message 1", ...).
"""

import json
import random
import sys
from datetime import timedelta


def main(out: str, messages: int = 0) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from convene.attendance import services as attendance_services
    from convene.events.models import Event, EventRole, Host, Session
    from convene.live import services as live_services
    from convene.live.models import Room
    from tests.factories import UserFactory

    day = timezone.localdate() + timedelta(days=30)
    event = Event.objects.create(
        slug="e2e",
        title="E2E",
        start_date=day,
        end_date=day,
        status="published",
        programme_published=True,
    )
    start = timezone.now() + timedelta(days=30)
    session = Session.objects.create(
        event=event, title="Room", slug="room", start=start, end=start + timedelta(hours=1)
    )
    room = Room.objects.create(pk=random.randint(10**6, 10**9), session=session)
    people = {}
    for name in ("alice", "bea", "carl", "mo", "oz"):
        people[name] = UserFactory(email=f"{name}@example.org", name=name.title())
    for name in ("alice", "bea", "carl"):
        attendance_services.registration_create(event=event, user=people[name])
    EventRole.objects.create(event=event, user=people["mo"], role=EventRole.Role.HOST)
    Host.objects.create(session=session, user=people["mo"], role=Host.Role.MODERATOR)
    for n in range(1, messages + 1):
        live_services.message_import(
            room=room,
            author_name="Ann Earlier",
            badge="",
            text=f"Earlier message {n}",
            client_id=f"earlier-{n:06d}",
            created_at=timezone.now() - timedelta(minutes=messages - n),
        )
    cookies = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[name] = f"{settings.SESSION_COOKIE_NAME}={value}"
    seed = {"room": room.pk, "cookies": cookies, "event": event.slug, "session": session.slug}
    with open(out, "w") as handle:
        json.dump(seed, handle)


if __name__ == "__main__":
    main(sys.argv[1], *(int(arg) for arg in sys.argv[2:3]))
