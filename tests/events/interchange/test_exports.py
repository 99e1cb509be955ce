"""Public schedule exports: pretalx-shaped JSON and frab XML of the published programme."""

import json
import xml.etree.ElementTree as ET  # parses our own output and the reference file only

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.events.models import Event
from tests.conftest import client_for
from tests.events.interchange.conftest import SAMPLE_JSON, SAMPLE_XML
from tests.factories import EventFactory, HostFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _json(client, event) -> dict:
    response = client.get(reverse("events:schedule_json", kwargs={"event": event.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _xml(client, event) -> ET.Element:
    response = client.get(reverse("events:schedule_xml", kwargs={"event": event.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own export, not an upload


def _talks(document: dict) -> list[dict]:
    return [
        talk
        for day in document["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
    ]


def _sample_json() -> dict:
    return json.loads(SAMPLE_JSON.read_bytes())


def _keys_by_level(document: dict) -> dict[str, list[str]]:
    conference = document["schedule"]["conference"]
    day = conference["days"][0]
    talk = next(iter(day["rooms"].values()))[0]
    return {
        "top": list(document),
        "schedule": list(document["schedule"]),
        "conference": list(conference),
        "room": list(conference["rooms"][0]),
        "track": list(conference["tracks"][0]),
        "day": list(day),
        "talk": list(talk),
        "person": list(talk["persons"][0]),
    }


def test_schedule_json_has_the_keys_of_the_pretalx_sample_at_every_level(client, two_day_event):
    document = _json(client, two_day_event)

    assert _keys_by_level(document) == _keys_by_level(_sample_json())
    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"


def test_schedule_json_talk_carries_the_session_in_the_event_zone(client, two_day_event):
    opening = two_day_event.sessions.get(slug="opening")

    talk = _talks(_json(client, two_day_event))[0]

    persons = talk.pop("persons")
    assert talk == {
        "guid": str(opening.uid),
        "code": "opening",
        "id": opening.pk,
        "logo": None,
        "date": "2030-05-11T10:00:00+01:00",
        "start": "10:00",
        "end": "2030-05-11T11:00:00+01:00",
        "duration": "01:00",
        "room": "Main stage",
        "slug": "opening",
        "url": "http://127.0.0.1:8000/events/two-days/sessions/opening/",
        "title": "Opening plenary",
        "subtitle": "",
        "track": "Main stage",
        "type": "Plenary",
        "language": "en",
        "abstract": "Why we are here.",
        "description": "**Welcome** to both days.",
        "recording_license": "",
        "do_not_record": False,
        "links": [],
        "feedback_url": None,
        "origin_url": "http://127.0.0.1:8000/events/two-days/sessions/opening/",
        "attachments": [],
    }
    assert [(p["name"], p["public_name"], p["biography"]) for p in persons] == [
        ("Diane Ketley", "Diane Ketley", "Leads the spread and adoption work."),
        ("Carol Munt", "Carol Munt", ""),
    ]
    assert persons[0]["url"] == "http://127.0.0.1:8000/events/two-days/people/"


def test_schedule_json_groups_days_and_rooms_and_leaves_out_cancelled(client, two_day_event):
    conference = _json(client, two_day_event)["schedule"]["conference"]

    assert [
        (day["index"], day["date"], {room: [t["title"] for t in talks]})
        for day in conference["days"]
        for room, talks in day["rooms"].items()
    ] == [
        (1, "2030-05-11", {"Main stage": ["Opening plenary"]}),
        (1, "2030-05-11", {"Online": ["Lunch"]}),
        (2, "2030-05-12", {"Room B": ["Spreading what works"]}),
    ]
    assert [room["name"] for room in conference["rooms"]] == ["Main stage", "Room B", "Online"]
    assert [track["name"] for track in conference["tracks"]] == ["Main stage", "Room B"]
    assert (conference["start"], conference["end"], conference["daysCount"]) == (
        "2030-05-11",
        "2030-05-12",
        2,
    )
    assert conference["time_zone_name"] == "Europe/London"


def test_schedule_json_keeps_breaks_as_type_break_without_persons(client, two_day_event):
    lunch = next(t for t in _talks(_json(client, two_day_event)) if t["slug"] == "lunch")

    assert (lunch["type"], lunch["room"], lunch["track"], lunch["persons"]) == (
        "Break",
        "Online",
        None,
        [],
    )


def test_schedule_json_names_the_room_of_sessions_without_track_after_the_format(client):
    event = EventFactory(format=Event.Format.SOCIAL)
    SessionFactory(event=event, title="Tweet chat", track=None)

    (talk,) = _talks(_json(client, event))

    assert talk["room"] == "On social media"


def test_schedule_json_person_guid_is_the_same_in_every_session(client, two_day_event):
    again = SessionFactory(event=two_day_event, slug="again", track=None)
    HostFactory(session=again, guest_name="Diane Ketley")

    talks = _talks(_json(client, two_day_event))

    guids = {p["guid"] for t in talks for p in t["persons"] if p["name"] == "Diane Ketley"}
    assert len(guids) == 1


def _structure(root: ET.Element) -> set[tuple[str, tuple[str, ...]]]:
    """Every element path with its attribute names: the shape, not the content."""
    shape: set[tuple[str, tuple[str, ...]]] = set()

    def walk(element: ET.Element, path: str) -> None:
        path = f"{path}/{element.tag}"
        shape.add((path, tuple(sorted(element.attrib))))
        for child in element:
            walk(child, path)

    walk(root, "")
    return shape


def _order(root: ET.Element) -> list[str]:
    return [child.tag for child in root.find("day/room/event")]


def test_schedule_xml_has_the_element_structure_of_the_pretalx_sample(client, two_day_event):
    sample = ET.parse(SAMPLE_XML).getroot()  # noqa: S314 - the trusted reference file

    root = _xml(client, two_day_event)

    assert _structure(root) == _structure(sample)
    assert _order(root) == _order(sample)


def test_schedule_xml_event_holds_the_session(client, two_day_event):
    workshop = two_day_event.sessions.get(slug="spread-workshop")

    root = _xml(client, two_day_event)

    (event,) = root.findall(".//event[@code='spread-workshop']")
    assert event.attrib == {
        "guid": str(workshop.uid),
        "id": str(workshop.pk),
        "code": "spread-workshop",
    }
    assert {child.tag: child.text for child in event if len(child) == 0} | {
        "persons": [p.text for p in event.find("persons")]
    } == {
        "room": "Room B",
        "title": "Spreading what works",
        "subtitle": None,
        "type": "Workshop",
        "date": "2030-05-12T09:30:00+01:00",
        "start": "09:30",
        "duration": "01:30",
        "abstract": "Hands-on: the seven principles.",
        "slug": "spread-workshop",
        "track": "Room B",
        "persons": ["Joe Sladen", "Hana Host"],
        "language": "en",
        "description": None,
        "links": None,
        "attachments": None,
        "url": "http://127.0.0.1:8000/events/two-days/sessions/spread-workshop/",
        "feedback_url": None,
    }
    assert [day.get("date") for day in root.findall("day")] == ["2030-05-11", "2030-05-12"]
    assert root.find("conference/time_zone_name").text == "Europe/London"
    assert root.findall(".//event[@code='called-off']") == []


def test_schedule_xml_drops_characters_xml_cannot_carry(client, two_day_event):
    two_day_event.sessions.filter(slug="opening").update(title="Bell\x07 and tab\tkept")

    root = _xml(client, two_day_event)

    assert root.find(".//event[@code='opening']/title").text == "Bell and tab\tkept"


@pytest.mark.parametrize("name", ["events:schedule_json", "events:schedule_xml"])
def test_schedule_export_shows_a_change_at_once(client, two_day_event, name):
    url = reverse(name, kwargs={"event": two_day_event.slug})
    client.get(url)
    session = two_day_event.sessions.get(slug="opening")
    session.title = "Opening plenary, renamed"
    session.save()

    body = client.get(url).content.decode()

    assert "Opening plenary, renamed" in body


@pytest.mark.parametrize("name", ["events:schedule_json", "events:schedule_xml"])
def test_schedule_export_second_request_is_served_from_cache_in_one_query(
    client, two_day_event, name
):
    url = reverse(name, kwargs={"event": two_day_event.slug})
    first = client.get(url).content

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content

    assert second == first
    assert len(queries.captured_queries) == 1  # the event row, whose version is the cache key


def _programme_with(n: int) -> Event:
    event = EventFactory()
    for i in range(n):
        session = SessionFactory(event=event, track=TrackFactory(event=event))
        HostFactory(session=session, guest_name=f"Guest {i}")
        HostFactory(session=session, guest_name=f"Other {i}")
    return event


@pytest.mark.parametrize("name", ["events:schedule_json", "events:schedule_xml"])
def test_schedule_export_query_count_does_not_grow(client, name):
    counts = []
    for event in (_programme_with(1), _programme_with(3)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, kwargs={"event": event.slug}))
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts == [5, 5]  # event, rooms, tracks, sessions, hosts


@pytest.mark.parametrize("name", ["events:schedule_json", "events:schedule_xml"])
def test_schedule_export_of_a_draft_is_404_for_anonymous_and_outsiders(client, outsider, name):
    event = EventFactory(status=Event.Status.DRAFT)
    url = reverse(name, kwargs={"event": event.slug})

    assert client.get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.parametrize("name", ["events:schedule_json", "events:schedule_xml"])
def test_schedule_export_of_an_unpublished_programme_is_for_role_holders_only(
    client, event, organiser, host, attendee, name
):
    Event.objects.filter(pk=event.pk).update(programme_published=False)
    url = reverse(name, kwargs={"event": event.slug})

    assert client.get(url).status_code == 404
    assert client_for(attendee).get(url).status_code == 404
    assert client_for(host).get(url).status_code == 200
    assert client_for(organiser).get(url).status_code == 200


@pytest.mark.parametrize("name", ["events:schedule_json", "events:schedule_xml"])
def test_schedule_export_of_a_published_programme_is_public(client, session, name):
    response = client.get(reverse(name, kwargs={"event": session.event.slug}))

    assert response.status_code == 200
    assert "Spreading improvement" in response.content.decode()


def test_schedule_export_refuses_other_methods(client, session):
    url = reverse("events:schedule_json", kwargs={"event": session.event.slug})

    assert client.post(url).status_code == 405


def test_programme_page_links_the_json_and_xml_schedules(client, session):
    response = client.get(reverse("events:programme", kwargs={"event": session.event.slug}))

    body = response.content.decode()
    assert 'href="/events/big-conversation/schedule.json"' in body
    assert 'href="/events/big-conversation/schedule.xml"' in body
