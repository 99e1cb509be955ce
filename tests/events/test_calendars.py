"""iCalendar files: valid for two independent parsers, right instants, stable identity."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from convene.events.calendars import calendar_for_sessions
from convene.events.models import Event, Host, Session
from tests.factories import EventFactory, HostFactory, SessionFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _events(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def _vobject_events(body: bytes) -> list:
    return list(vobject.readOne(body.decode()).vevent_list)


def _with_join(session, address: str = "https://convene.example.org/sessions/1/join/") -> dict:
    """The join address attendance gives for `session` (Convene's, not the raw link)."""
    return {session.pk: address}


@pytest.fixture
def scale_and_spread():
    event = EventFactory(
        slug="next-conversation", start_date=date(2022, 6, 28), end_date=date(2022, 6, 28)
    )
    session = SessionFactory(
        event=event,
        slug="scale-and-spread",
        title="Scale and spread",
        start=datetime(2022, 6, 28, 10, 20, tzinfo=LONDON),
        end=datetime(2022, 6, 28, 10, 55, tzinfo=LONDON),
        join_url="https://teams.example.org/meet/1",
        join_provider="Microsoft Teams",
    )
    HostFactory(session=session, guest_name="Diane Ketley", role=Host.Role.HOST, position=0)
    HostFactory(
        session=session,
        guest_name="Carol Munt",
        role=Host.Role.LIVED_EXPERIENCE_PARTNER,
        position=1,
    )
    return session


def test_session_ics_at_1020_london_is_0920_utc_with_tzid(client, scale_and_spread):
    response = client.get(
        reverse(
            "events:session_calendar",
            kwargs={"event": "next-conversation", "session": "scale-and-spread"},
        )
    )

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="next-conversation-scale-and-spread.ics"' in response["Content-Disposition"]
    body = response.content
    assert b"DTSTART;TZID=Europe/London:20220628T102000" in body
    assert b"BEGIN:VTIMEZONE" in body
    (vevent,) = _events(body)
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2022, 6, 28, 9, 20, tzinfo=UTC)
    assert vevent.decoded("dtend").astimezone(UTC) == datetime(2022, 6, 28, 9, 55, tzinfo=UTC)


def test_session_ics_is_read_alike_by_a_second_parser(scale_and_spread):
    body = calendar_for_sessions(
        [scale_and_spread], name="x", join_links=_with_join(scale_and_spread)
    )

    (vevent,) = _vobject_events(body)

    assert vevent.dtstart.value.astimezone(UTC) == datetime(2022, 6, 28, 9, 20, tzinfo=UTC)
    assert vevent.summary.value == "Scale and spread"
    assert vevent.uid.value == f"{scale_and_spread.uid}@convene"
    assert vevent.location.value == "https://convene.example.org/sessions/1/join/"
    assert "Diane Ketley (Host), Carol Munt (Lived-experience partner)" in vevent.description.value


def test_session_ics_has_uid_sequence_status_join_link_and_hosts(scale_and_spread):
    body = calendar_for_sessions(
        [scale_and_spread], name="x", join_links=_with_join(scale_and_spread)
    )

    (vevent,) = _events(body)

    assert str(vevent["uid"]) == f"{scale_and_spread.uid}@convene"
    assert vevent["sequence"] == 0
    assert str(vevent["status"]) == "CONFIRMED"
    assert str(vevent["location"]) == "https://convene.example.org/sessions/1/join/"
    assert str(vevent["url"]) == "https://convene.example.org/sessions/1/join/"
    description = str(vevent["description"])
    assert "Join on Microsoft Teams: https://convene.example.org/sessions/1/join/" in description
    assert "https://teams.example.org" not in description  # never the raw link
    assert "Hosts: Diane Ketley (Host), Carol Munt (Lived-experience partner)" in description
    assert "/events/next-conversation/sessions/scale-and-spread/" in description


def test_changed_then_cancelled_session_keeps_uid_raises_sequence_and_is_cancelled(
    scale_and_spread,
):
    first = _events(
        calendar_for_sessions([scale_and_spread], name="x", join_links=_with_join(scale_and_spread))
    )[0]

    scale_and_spread.start += timedelta(minutes=10)
    scale_and_spread.save()
    scale_and_spread.status = Session.Status.CANCELLED
    scale_and_spread.save()
    later = _events(
        calendar_for_sessions([scale_and_spread], name="x", join_links=_with_join(scale_and_spread))
    )[0]

    assert str(later["uid"]) == str(first["uid"])
    assert later["sequence"] == 2
    assert str(later["status"]) == "CANCELLED"
    assert "/join/" not in str(later["description"])


def test_session_in_the_repeated_hour_when_clocks_go_back_is_exported_exactly():
    # 30 October 2022: 01:00-02:00 happens twice in London. 00:30Z is the first
    # 01:30 (BST), 01:30Z the second (GMT). Both must land on the right instant
    # in both parsers, so both are written in UTC rather than as an ambiguous TZID.
    event = EventFactory(start_date=date(2022, 10, 29), end_date=date(2022, 10, 30))
    first = SessionFactory(
        event=event,
        start=datetime(2022, 10, 30, 0, 30, tzinfo=UTC),
        end=datetime(2022, 10, 30, 0, 50, tzinfo=UTC),
    )
    second = SessionFactory(
        event=event,
        start=datetime(2022, 10, 30, 1, 30, tzinfo=UTC),
        end=datetime(2022, 10, 30, 1, 50, tzinfo=UTC),
    )

    body = calendar_for_sessions([first, second], name="x")

    starts = sorted(e.decoded("dtstart").astimezone(UTC) for e in _events(body))
    assert starts == [
        datetime(2022, 10, 30, 0, 30, tzinfo=UTC),
        datetime(2022, 10, 30, 1, 30, tzinfo=UTC),
    ]
    vobject_starts = sorted(e.dtstart.value.astimezone(UTC) for e in _vobject_events(body))
    assert vobject_starts == starts
    assert b"DTSTART:20221030T003000Z" in body
    assert b"DTSTART:20221030T013000Z" in body


def test_session_at_0130_on_the_night_clocks_go_forward():
    # 27 March 2022: 01:00 GMT jumps to 02:00 BST. 01:30Z is 02:30 BST.
    event = EventFactory(start_date=date(2022, 3, 26), end_date=date(2022, 3, 27))
    session = SessionFactory(
        event=event,
        start=datetime(2022, 3, 27, 0, 30, tzinfo=UTC),
        end=datetime(2022, 3, 27, 1, 30, tzinfo=UTC),
    )

    body = calendar_for_sessions([session], name="x")

    (vevent,) = _events(body)
    assert b"DTSTART;TZID=Europe/London:20220327T003000" in body
    assert b"DTEND;TZID=Europe/London:20220327T023000" in body
    assert vevent.decoded("dtend").astimezone(UTC) == datetime(2022, 3, 27, 1, 30, tzinfo=UTC)


def test_event_ics_has_every_session_but_breaks(client, event):
    SessionFactory(event=event, title="Welcome", kind=Session.Kind.PLENARY)
    SessionFactory(event=event, title="Lunch", kind=Session.Kind.BREAK)
    SessionFactory(event=event, title="Called off", status=Session.Status.CANCELLED)

    body = client.get(reverse("events:event_calendar", kwargs={"event": event.slug})).content

    assert sorted(str(e["summary"]) for e in _events(body)) == ["Called off", "Welcome"]
    assert len(_vobject_events(body)) == 2


def test_calendars_of_a_draft_event_are_refused_to_outsiders(client, session):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)

    event_ics = client.get(reverse("events:event_calendar", kwargs={"event": session.event.slug}))
    session_ics = client.get(
        reverse(
            "events:session_calendar", kwargs={"event": session.event.slug, "session": session.slug}
        )
    )

    assert (event_ics.status_code, session_ics.status_code) == (404, 404)


def test_event_ics_comes_from_cache_until_the_programme_changes(
    client, session, django_assert_num_queries
):
    url = reverse("events:event_calendar", kwargs={"event": session.event.slug})
    client.get(url)

    with django_assert_num_queries(1):
        cached_body = client.get(url).content
    session.title = "Renamed"
    session.save()
    fresh_body = client.get(url).content

    assert b"SUMMARY:Spreading improvement" in cached_body
    assert b"SUMMARY:Renamed" in fresh_body


def test_join_links_go_only_to_the_sessions_named(event):
    open_one = SessionFactory(event=event, join_url="https://teams.example.org/open")
    other = SessionFactory(event=event, join_url="https://teams.example.org/other")

    body = calendar_for_sessions(
        [open_one, other], name="x", join_links=_with_join(open_one, "https://c.example/open")
    ).decode()

    assert "https://c.example/open" in body
    assert "https://teams.example.org" not in body
