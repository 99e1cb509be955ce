"""What a pretalx schedule says survives an import and an export (issue 11, point 12).

The pretalx sample (samples/README.md) is imported into a fresh event on its own
days and zone, then exported again: for each of its 36 talks the room, the
track, the type and the recording opt-out come back as pretalx wrote them.
"""

import json
import xml.etree.ElementTree as ET  # parses our own output and the reference file only
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from convene.events.interchange.services import schedule_import
from convene.events.models import EventRole
from tests.conftest import client_for
from tests.events.interchange.conftest import SAMPLE_JSON, SAMPLE_XML
from tests.factories import (
    EventFactory,
    EventRoleFactory,
    HostFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIELDS = ("room", "track", "type", "do_not_record")
TEN_AM = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def democon(db):
    """A fresh event on the sample's days (25 to 27 November 2026), in its zone."""
    return EventFactory(
        slug="democon",
        title="DemoCon",
        start_date=date(2026, 11, 25),
        end_date=date(2026, 11, 27),
        time_zone="Europe/Berlin",
    )


def _json_talks(document: dict) -> dict[str, dict]:
    """Each talk by slug: its room, track, type and recording opt-out."""
    days = document["schedule"]["conference"]["days"]
    talks = [talk for day in days for talks in day["rooms"].values() for talk in talks]
    return {talk["slug"]: {name: talk[name] for name in FIELDS} for talk in talks}


def _xml_talks(data: bytes) -> dict[str, dict]:
    root = ET.fromstring(data)  # noqa: S314 - our own export and the sample
    return {
        event.findtext("slug"): {
            "room": event.findtext("room"),
            "track": event.findtext("track"),
            "type": event.findtext("type"),
            "do_not_record": event.findtext("recording/optout"),
        }
        for event in root.iter("event")
    }


def _kind_counts(event) -> dict[str, int]:
    kinds = list(event.sessions.values_list("kind", flat=True))
    return {kind: kinds.count(kind) for kind in sorted(set(kinds))}


def test_pretalx_json_round_trip_keeps_room_track_type_and_recording_opt_out(client, democon):
    source = _json_talks(json.loads(SAMPLE_JSON.read_bytes()))
    schedule_import(
        by=None, event=democon, data=SAMPLE_JSON.read_bytes(), filename=SAMPLE_JSON.name
    )

    response = client.get(reverse("events:schedule_json", kwargs={"event": democon.slug}))

    exported = _json_talks(json.loads(response.content))
    assert len(source) == 36
    assert exported == source
    assert sum(talk["do_not_record"] for talk in exported.values()) == 3
    assert {talk["room"] for talk in exported.values()} == {"Light Sea Green Room", "Dim Gray Room"}
    assert {talk["track"] for talk in exported.values()} == {"Reverse-engineered", "Cross-group"}
    conference = json.loads(response.content)["schedule"]["conference"]
    assert [room["name"] for room in conference["rooms"]] == [
        "Light Sea Green Room",
        "Dim Gray Room",
    ]
    assert [track["name"] for track in conference["tracks"]] == [
        "Reverse-engineered",
        "Cross-group",
    ]
    assert _kind_counts(democon) == {"plenary": 27, "workshop": 9}


def test_frab_xml_round_trip_keeps_room_track_type_and_recording_opt_out(client, democon):
    source = _xml_talks(SAMPLE_XML.read_bytes())
    schedule_import(by=None, event=democon, data=SAMPLE_XML.read_bytes(), filename=SAMPLE_XML.name)

    response = client.get(reverse("events:schedule_xml", kwargs={"event": democon.slug}))

    exported = _xml_talks(response.content)
    assert len(source) == 36
    assert exported == source
    assert [talk["do_not_record"] for talk in exported.values()].count("true") == 3
    root = ET.fromstring(response.content)  # noqa: S314 - our own export
    conference_tracks = [track.get("name") for track in root.find("conference").iter("track")]
    assert conference_tracks == ["Reverse-engineered", "Cross-group"]
    assert _kind_counts(democon) == {"plenary": 27, "workshop": 9}


def test_imported_sessions_keep_the_type_name_only_where_it_is_not_a_kind(democon):
    schedule_import(
        by=None, event=democon, data=SAMPLE_JSON.read_bytes(), filename=SAMPLE_JSON.name
    )

    rows = list(democon.sessions.values_list("kind", "type_name"))

    assert sorted(set(rows)) == [("plenary", "Talk"), ("workshop", "")]
    assert democon.sessions.filter(do_not_record=True).count() == 3


def test_schedule_import_applies_the_kind_map_it_is_given(democon):
    schedule_import(
        by=None,
        event=democon,
        data=SAMPLE_XML.read_bytes(),
        filename=SAMPLE_XML.name,
        kind_map={"Talk": "plenary", "Workshop": "workshop"},
    )

    assert _kind_counts(democon) == {"plenary": 27, "workshop": 9}


def test_session_ics_location_is_the_room_even_with_a_join_link(client, democon):
    schedule_import(
        by=None, event=democon, data=SAMPLE_JSON.read_bytes(), filename=SAMPLE_JSON.name
    )
    session = democon.sessions.get(slug="democon-2-multi-channeled-multi-state-monitoring")
    session.join_url = "https://teams.example.org/meet/2"
    session.save()

    response = client.get(
        reverse("events:session_calendar", kwargs={"event": democon.slug, "session": session.slug})
    )

    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["location"]) == "Light Sea Green Room"


def test_event_ics_location_of_every_session_is_its_room(client, democon):
    schedule_import(by=None, event=democon, data=SAMPLE_XML.read_bytes(), filename=SAMPLE_XML.name)

    response = client.get(reverse("events:event_calendar", kwargs={"event": democon.slug}))

    locations = {
        str(vevent["summary"]): str(vevent["location"])
        for vevent in Calendar.from_ical(response.content).walk("VEVENT")
    }
    rooms = dict(democon.sessions.values_list("title", "room__name"))
    assert len(locations) == 36
    assert locations == rooms


def test_export_of_a_session_without_a_room_puts_it_in_the_event_format_room(client, democon):
    SessionFactory(event=democon, slug="own", title="Our own", start=TEN_AM, room=None)

    response = client.get(reverse("events:schedule_json", kwargs={"event": democon.slug}))

    assert _json_talks(json.loads(response.content)) == {
        "own": {
            "room": "Online",
            "track": None,
            "type": "Open Conversation",
            "do_not_record": False,
        }
    }


@pytest.fixture
def opted_out(democon):
    session = SessionFactory(
        event=democon,
        slug="quiet",
        title="Off the record",
        start=TEN_AM,
        do_not_record=True,
    )
    HostFactory(session=session, user=UserFactory(name="Sam Speaker"), guest_name="")
    return session


def _session_page(user, session) -> str:
    url = reverse("events:session", kwargs={"event": session.event.slug, "session": session.slug})
    return (client_for(user) if user else Client()).get(url).content.decode()


def test_recording_opt_out_is_shown_to_organisers_and_the_session_hosts_only(opted_out):
    organiser = UserFactory()
    EventRoleFactory(event=opted_out.event, user=organiser, role=EventRole.Role.ORGANISER)
    speaker = opted_out.hosts.get().user

    pages = {
        "organiser": _session_page(organiser, opted_out),
        "host": _session_page(speaker, opted_out),
        "attendee": _session_page(UserFactory(), opted_out),
        "anonymous": _session_page(None, opted_out),
    }

    assert {who: "Do not record" in html for who, html in pages.items()} == {
        "organiser": True,
        "host": True,
        "attendee": False,
        "anonymous": False,
    }


def test_organiser_session_list_tags_sessions_not_to_record(democon, opted_out):
    organiser = UserFactory()
    EventRoleFactory(event=democon, user=organiser, role=EventRole.Role.ORGANISER)
    SessionFactory(event=democon, slug="loud", title="On the record", start=TEN_AM)

    html = (
        client_for(organiser)
        .get(reverse("events:orga_sessions", kwargs={"event": democon.slug}))
        .content.decode()
    )

    assert html.count("Do not record</strong>") == 1
    assert html.index("Off the record") < html.index("Do not record") < html.index("On the record")


def test_organiser_session_form_saves_the_recording_opt_out_room_and_track(democon, opted_out):
    organiser = UserFactory()
    EventRoleFactory(event=democon, user=organiser, role=EventRole.Role.ORGANISER)
    schedule_import(
        by=None, event=democon, data=SAMPLE_JSON.read_bytes(), filename=SAMPLE_JSON.name
    )
    room, track = democon.rooms.get(name="Dim Gray Room"), democon.tracks.get(name="Cross-group")

    client_for(organiser).post(
        reverse("events:orga_session", kwargs={"event": democon.slug, "pk": opted_out.pk}),
        {
            "title": "Off the record",
            "kind": "workshop",
            "day": "2026-11-25",
            "start_time": "10:00",
            "end_time": "11:00",
            "room": room.pk,
            "track": track.pk,
            "type_name": "Hands-on",
        },
    )

    opted_out.refresh_from_db()
    assert (opted_out.do_not_record, opted_out.room, opted_out.track, opted_out.type_name) == (
        False,
        room,
        track,
        "Hands-on",
    )
