"""`manage.py load_demo`: the demo events, true to the sources, and idempotent."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from convene.accounts.models import User
from convene.events.demo import demo_load
from convene.events.models import Event, EventRole, Host, Session, Track

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _counts() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Session.objects.count(),
        Host.objects.count(),
        Track.objects.count(),
        User.objects.count(),
        EventRole.objects.count(),
    )


def test_load_demo_twice_does_not_duplicate_anything():
    call_command("load_demo", "--organiser-password", "demo-pass-123", stdout=StringIO())
    first = _counts()

    call_command("load_demo", "--organiser-password", "demo-pass-123", stdout=StringIO())

    assert _counts() == first
    assert first[0] == 3


def test_big_conversation_is_two_days_in_may_2022_with_awards_then_open_conversations():
    demo_load(today=date(2026, 11, 26))
    big = Event.objects.get(slug="big-conversation-2022")

    kinds_by_day = {
        day: {s.kind for s in big.sessions.all() if s.start.astimezone(LONDON).date() == day}
        for day in (date(2022, 5, 11), date(2022, 5, 12))
    }

    assert (big.start_date, big.end_date, big.format) == (
        date(2022, 5, 11),
        date(2022, 5, 12),
        "online",
    )
    assert Session.Kind.AWARD_SHOWCASE in kinds_by_day[date(2022, 5, 11)]
    assert Session.Kind.PLENARY in kinds_by_day[date(2022, 5, 11)]
    assert Session.Kind.OPEN_CONVERSATION in kinds_by_day[date(2022, 5, 12)]
    assert Session.Kind.AWARD_SHOWCASE not in kinds_by_day[date(2022, 5, 12)]


def test_spread_open_conversation_has_its_three_cohosts():
    demo_load()
    session = Session.objects.get(
        title="What is needed to help people spread innovation and improvement?"
    )

    hosts = [(h.display_name, h.role, h.display_organisation) for h in session.hosts.all()]

    assert hosts == [
        ("Diane Ketley", "host", "NHS Horizons"),
        ("Carol Munt", "lived_experience_partner", "Patient leader"),
        ("Joe Sladen", "co_host", "Wessex AHSN"),
    ]
    assert session.event.slug == "big-conversation-2022"


def test_next_conversation_is_on_social_media_with_a_1020_call():
    demo_load()
    event = Event.objects.get(slug="the-next-conversation-2022")
    call = event.sessions.get(slug="scale-and-spread-call")

    assert event.format == Event.Format.SOCIAL
    assert (call.start, call.end) == (
        datetime(2022, 6, 28, 10, 20, tzinfo=LONDON),
        datetime(2022, 6, 28, 10, 55, tzinfo=LONDON),
    )
    assert call.join_provider == "Microsoft Teams"
    assert call.is_example_data


def test_demo_always_has_an_upcoming_event(client):
    today = timezone.localdate()
    demo_load(today=today)

    upcoming = client.get(reverse("events:home")).context["upcoming"]

    assert [e.slug for e in upcoming] == ["spread-and-adoption-conversation"]
    assert upcoming[0].start_date == today + timedelta(days=28)


def test_demo_organiser_can_sign_in_and_organises_every_demo_event(client):
    demo_load(organiser_password="demo-pass-123")

    assert client.login(email="organiser@example.org", password="demo-pass-123")
    organiser = User.objects.get(email="organiser@example.org")
    assert set(organiser.event_roles.values_list("event__slug", "role")) == {
        ("big-conversation-2022", "organiser"),
        ("the-next-conversation-2022", "organiser"),
        ("spread-and-adoption-conversation", "organiser"),
    }


def test_demo_pages_say_which_data_is_invented(client):
    demo_load()

    html = client.get("/events/big-conversation-2022/programme/").content.decode()

    assert "Example data" in html
