"""Shared arrangements for schedule export and import tests.

`two_day_event`: a published two-day event in Europe/London with two rooms
and two tracks of the same names (as migration 0007 leaves older events), a
break without either, a cancelled session, guest hosts with bios and one
host with an account.
"""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from convene.events.models import Event, EventRole, Host, Room, Session, Track
from tests.factories import (
    EventFactory,
    HostFactory,
    RoomFactory,
    SessionFactory,
    TrackFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")
# Real pretalx exports kept in the repository (samples/README.md).
SAMPLES = Path(__file__).parent / "samples"
SAMPLE_JSON = SAMPLES / "democon-schedule.json"
SAMPLE_XML = SAMPLES / "democon-schedule.xml"
# The sample's days: an event importing it must be on them (docs/decisions/0012).
SAMPLE_DATES = {"start_date": date(2026, 11, 25), "end_date": date(2026, 11, 27)}


def london(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 5, day, hour, minute, tzinfo=LONDON)


def table_counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "rooms": Room.objects.count(),
        "tracks": Track.objects.count(),
        "sessions": Session.objects.count(),
        "hosts": Host.objects.count(),
        "roles": EventRole.objects.count(),
    }


@pytest.fixture
def two_day_event(db):
    event = EventFactory(
        slug="two-days",
        title="Two days of improvement",
        start_date=date(2030, 5, 11),
        end_date=date(2030, 5, 12),
    )
    main = TrackFactory(event=event, name="Main stage", position=0)
    side = TrackFactory(event=event, name="Room B", position=1)
    main_room = RoomFactory(event=event, name="Main stage", position=0)
    side_room = RoomFactory(event=event, name="Room B", position=1)
    opening = SessionFactory(
        event=event,
        slug="opening",
        title="Opening plenary",
        kind=Session.Kind.PLENARY,
        room=main_room,
        track=main,
        start=london(11, 10),
        end=london(11, 11),
        summary="Why we are here.",
        description="**Welcome** to both days.",
    )
    HostFactory(
        session=opening,
        guest_name="Diane Ketley",
        bio="Leads the spread and adoption work.",
        role=Host.Role.HOST,
        position=0,
    )
    HostFactory(
        session=opening,
        guest_name="Carol Munt",
        role=Host.Role.LIVED_EXPERIENCE_PARTNER,
        position=1,
    )
    SessionFactory(
        event=event,
        slug="lunch",
        title="Lunch",
        kind=Session.Kind.BREAK,
        track=None,
        start=london(11, 12, 30),
        end=london(11, 13, 30),
    )
    workshop = SessionFactory(
        event=event,
        slug="spread-workshop",
        title="Spreading what works",
        kind=Session.Kind.WORKSHOP,
        room=side_room,
        track=side,
        start=london(12, 9, 30),
        end=london(12, 11),
        summary="Hands-on: the seven principles.",
    )
    HostFactory(session=workshop, guest_name="Joe Sladen", role=Host.Role.CO_HOST, position=0)
    HostFactory(
        session=workshop,
        user=UserFactory(name="Hana Host", email="hana@example.org"),
        guest_name="",
        bio="Hosts with an account.",
        position=1,
    )
    SessionFactory(
        event=event,
        slug="called-off",
        title="Called off",
        status=Session.Status.CANCELLED,
        room=main_room,
        track=main,
        start=london(12, 14),
        end=london(12, 15),
    )
    return event
