"""Schedule problems: each kind is found, and nothing is reported for a clean programme."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from convene.events.models import Event, Session
from convene.events.problems import ProblemKind, schedule_problems
from convene.events.selectors import sessions_for_calendar
from tests.factories import (
    EventFactory,
    HostFactory,
    RoomFactory,
    SessionFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(hour: int, minute: int = 0, day: int = 11) -> datetime:
    return datetime(2030, 5, day, hour, minute, tzinfo=LONDON)


def _problems(event: Event) -> list[tuple[str, list[str]]]:
    found = schedule_problems(event=event, sessions=list(sessions_for_calendar(event=event)))
    return sorted((p.kind.value, sorted(s.title for s in p.sessions)) for p in found)


@pytest.fixture
def online_event():
    return EventFactory(
        format=Event.Format.ONLINE, start_date=date(2030, 5, 11), end_date=date(2030, 5, 12)
    )


def _session(event, title, start, end, **extra):
    session = SessionFactory(
        event=event, title=title, start=start, end=end, join_url="https://x.example/j", **extra
    )
    HostFactory(session=session, guest_name=f"Host of {title}")
    return session


def test_clean_programme_has_no_problems(online_event):
    track = TrackFactory(event=online_event)
    _session(online_event, "A", _at(10), _at(11), track=track)
    _session(online_event, "B", _at(11), _at(12), track=track)  # back to back is fine

    assert _problems(online_event) == []


def test_same_host_in_two_sessions_at_once_is_a_clash(online_event):
    person = UserFactory(name="Diane Ketley")
    first = _session(online_event, "First", _at(10), _at(11))
    second = _session(online_event, "Second", _at(10, 30), _at(11, 30))
    HostFactory(session=first, user=person, guest_name="")
    HostFactory(session=second, user=person, guest_name="")

    assert _problems(online_event) == [("host_clash", ["First", "Second"])]


def test_same_guest_name_in_two_sessions_at_once_is_a_clash(online_event):
    first = _session(online_event, "First", _at(10), _at(11))
    second = _session(online_event, "Second", _at(10, 59), _at(12))
    HostFactory(session=first, guest_name="Carol Munt")
    HostFactory(session=second, guest_name="carol munt ")

    assert _problems(online_event) == [("host_clash", ["First", "Second"])]


def test_two_sessions_overlapping_in_one_room(online_event):
    room = RoomFactory(event=online_event, name="Main stage")
    _session(online_event, "First", _at(10), _at(11), room=room)
    _session(online_event, "Second", _at(10, 45), _at(11, 30), room=room)
    _session(online_event, "Elsewhere", _at(10), _at(11), room=RoomFactory(event=online_event))

    found = schedule_problems(
        event=online_event, sessions=list(sessions_for_calendar(event=online_event))
    )

    assert [(p.kind, p.message) for p in found] == [
        (ProblemKind.ROOM_CLASH, "“First” and “Second” overlap in Main stage.")
    ]


def test_two_sessions_of_one_track_in_two_rooms_at_once_are_no_problem(online_event):
    track = TrackFactory(event=online_event, name="Spread and adoption")
    for title, room in (("First", "Main stage"), ("Second", "Room B")):
        room = RoomFactory(event=online_event, name=room)
        _session(online_event, title, _at(10), _at(11), room=room, track=track)

    assert _problems(online_event) == []


def test_session_outside_the_event_days(online_event):
    _session(online_event, "Too early", _at(10, day=10), _at(11, day=10))
    _session(
        online_event, "Runs past midnight", _at(23, day=12), _at(23, day=12) + timedelta(hours=2)
    )

    assert _problems(online_event) == [
        ("outside_event", ["Runs past midnight"]),
        ("outside_event", ["Too early"]),
    ]


def test_online_session_without_join_link_but_not_a_tweet_chat(online_event):
    session = _session(online_event, "No link", _at(10), _at(11))
    Session.objects.filter(pk=session.pk).update(join_url="")
    chat = _session(online_event, "Chat", _at(12), _at(13), kind=Session.Kind.TWEET_CHAT)
    Session.objects.filter(pk=chat.pk).update(join_url="")

    assert _problems(online_event) == [("no_join_link", ["No link"])]


def test_session_without_host_but_breaks_and_cancelled_sessions_are_ignored(online_event):
    SessionFactory(
        event=online_event, title="Lonely", start=_at(10), end=_at(11), join_url="https://x.example"
    )
    SessionFactory(
        event=online_event, title="Lunch", kind=Session.Kind.BREAK, start=_at(12), end=_at(13)
    )
    SessionFactory(
        event=online_event, title="Off", status=Session.Status.CANCELLED, start=_at(14), end=_at(15)
    )

    assert _problems(online_event) == [("no_host", ["Lonely"])]
