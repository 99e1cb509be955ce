"""Attendance fixtures: tasks run at once (unless a test says otherwise), email
goes to a real SMTP server (tests/smtp.py), sessions are placed around "now"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from convene.attendance import services
from tests.factories import EventFactory, SessionFactory

JOIN = "https://teams.example.org/meet/convene-1"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(tasks_at_once):
    """Every attendance test runs its tasks at once (tests/conftest.py)."""


@pytest.fixture
def soon_event(db):
    today = timezone.localdate()
    return EventFactory(
        slug="spread-conversation",
        title="Spread Conversation",
        start_date=today,
        end_date=today + timedelta(days=3),
    )


def session_at(event, *, minutes_from_now: int, length: int = 60, **fields):
    start = timezone.now().replace(microsecond=0) + timedelta(minutes=minutes_from_now)
    fields.setdefault("join_url", JOIN)
    fields.setdefault("join_provider", "Microsoft Teams")
    return SessionFactory(event=event, start=start, end=start + timedelta(minutes=length), **fields)


@pytest.fixture
def drop_in(soon_event):
    """Starts in two days: outside the join window."""
    return session_at(soon_event, minutes_from_now=2 * 24 * 60, slug="drop-in", title="Drop-in")


@pytest.fixture
def workshop(soon_event):
    """Two places, starts in two days."""
    return session_at(
        soon_event, minutes_from_now=2 * 24 * 60, slug="workshop", title="Workshop", capacity=2
    )


def register(user, event, **details):
    return services.registration_create(event=event, user=user, **details)
