"""Seed bench/live.py's database: one event, one drop-in session and its room, and
N people registered for it, each signed in (a database session row): straight
inserts, since 5,000 sign-ins through the login form would take minutes.

    DATABASE_URL=... python bench/live_seed.py --clients 5000 --out seed.json
"""

import argparse
import json
import secrets
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed(clients: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as DjangoSession
    from django.utils import timezone

    from convene.accounts.models import User
    from convene.attendance.models import Registration
    from convene.events.models import Event, Session
    from convene.live import services

    today = timezone.localdate()
    event = Event.objects.create(
        slug="bench-live",
        title="Benchmark webinar",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=30),
        status=Event.Status.PUBLISHED,
        programme_published=True,
    )
    start = timezone.now() + timedelta(days=30)
    session = Session.objects.create(
        event=event,
        title="A very big webinar",
        slug="webinar",
        start=start,
        end=start + timedelta(hours=1),
    )
    room = services.room_ensure(session=session)
    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.org", name=f"Bench person {i}", password="!unusable")  # noqa: S106 - no password: signed in by session
        for i in range(clients)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=user,
            email=user.email,
            name=user.name,
            state=Registration.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for user in users
    )
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    keys = [secrets.token_hex(16) for _ in users]
    DjangoSession.objects.bulk_create(
        DjangoSession(
            session_key=key,
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for key, user in zip(keys, users, strict=True)
    )
    return {
        "room": room.pk,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": keys,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    args.out.write_text(json.dumps(seed(args.clients)))


if __name__ == "__main__":
    main()
