"""The steps of bench/registration.py that run inside Django, each in its own process.

    python bench/registration_steps.py seed --people 400 --capacity 100
    python bench/registration_steps.py verify --results results.json

The environment (DATABASE_URL, DEBUG=false ...) comes from bench/registration.py.
Each step prints one JSON line.
"""

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENT_SLUG = "bench-registration"


def seed(people: int, capacity: int) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from convene.accounts.models import User
    from convene.events.models import Event, Session

    today = timezone.localdate()
    event = Event.objects.create(
        slug=EVENT_SLUG,
        title="Registration benchmark",
        start_date=today + timedelta(days=7),
        end_date=today + timedelta(days=8),
        status=Event.Status.PUBLISHED,
        programme_published=True,
    )
    start = timezone.now() + timedelta(days=7)
    capped = Session.objects.create(
        event=event, title="Workshop with places", slug="workshop", start=start,
        end=start + timedelta(hours=1), capacity=capacity, join_url="https://example.org/j/1",
    )  # fmt: skip
    from django.contrib.auth.hashers import make_password

    User.objects.bulk_create(
        User(email=f"bench{n}@example.org", name=f"Bench Person {n}", password=make_password(None))
        for n in range(people)
    )
    cookies = []
    for user in User.objects.filter(email__startswith="bench").order_by("pk"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        cookies.append({"user": user.pk, "session": store.session_key})
    return {"event": EVENT_SLUG, "session": capped.pk, "capacity": capacity, "people": cookies}


def verify(results_path: str) -> dict:
    """Compare what the clients were told with what the database holds."""
    from django.db.models import Count

    from convene.attendance.models import Booking, Registration

    results = json.loads(Path(results_path).read_text())
    registered_ok = set(results["registered"])
    booked_ok = set(results["booked"])
    rows = dict(
        Registration.objects.filter(event__slug=EVENT_SLUG)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    bookings = dict(
        Booking.objects.filter(session_id=results["session"])
        .values("registration__user_id")
        .annotate(n=Count("id"))
        .values_list("registration__user_id", "n")
    )
    states = dict(
        Booking.objects.filter(session_id=results["session"])
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {
        "registration_rows": sum(rows.values()),
        "lost_registrations": sorted(u for u in registered_ok if rows.get(u, 0) == 0),
        "duplicated_registrations": sorted(u for u, n in rows.items() if n > 1),
        "rows_without_success": sorted(set(rows) - registered_ok),
        "lost_bookings": sorted(u for u in booked_ok if bookings.get(u, 0) == 0),
        "duplicated_bookings": sorted(u for u, n in bookings.items() if n > 1),
        "booked": states.get("booked", 0),
        "waiting": states.get("waiting", 0),
        "capacity": results["capacity"],
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    parser = argparse.ArgumentParser()
    steps = parser.add_subparsers(dest="step", required=True)
    seed_args = steps.add_parser("seed")
    seed_args.add_argument("--people", type=int, required=True)
    seed_args.add_argument("--capacity", type=int, required=True)
    verify_args = steps.add_parser("verify")
    verify_args.add_argument("--results", required=True)
    args = parser.parse_args()
    if args.step == "seed":
        print(json.dumps(seed(args.people, args.capacity)))
    else:
        print(json.dumps(verify(args.results)))


if __name__ == "__main__":
    main()
