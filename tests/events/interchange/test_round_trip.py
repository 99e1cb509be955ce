"""Export → import into a new event → export again gives the same programme."""

import json

import pytest
from django.urls import reverse

from convene.events.demo import demo_load
from convene.events.interchange.services import Tally, schedule_import
from convene.events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _export(client, event: Event) -> dict:
    response = client.get(reverse("events:schedule_json", kwargs={"event": event.slug}))
    assert response.status_code == 200
    return json.loads(response.content)


def _normalised(document: dict) -> dict:
    """What a schedule says, without what is particular to one event (ids, urls, guids)."""
    conference = document["schedule"]["conference"]
    return {
        "time_zone": conference["time_zone_name"],
        "rooms": [room["name"] for room in conference["rooms"]],
        "tracks": [track["name"] for track in conference["tracks"]],
        "days": [(day["index"], day["date"], list(day["rooms"])) for day in conference["days"]],
        "talks": [
            (
                talk["date"], talk["duration"], talk["room"], talk["track"], talk["title"],
                talk["type"], talk["abstract"], talk["description"],
                [(person["name"], person["biography"]) for person in talk["persons"]],
            )
            for day in conference["days"]
            for talks in day["rooms"].values()
            for talk in talks
        ],
    }  # fmt: skip


def _copy_of(event: Event, slug: str) -> Event:
    return EventFactory(
        slug=slug,
        start_date=event.start_date,
        end_date=event.end_date,
        time_zone=event.time_zone,
        format=event.format,
    )


def test_round_trip_of_a_factory_event_keeps_sessions_times_tracks_and_hosts(client, two_day_event):
    exported = _export(client, two_day_event)
    copy = _copy_of(two_day_event, "copy")

    report = schedule_import(
        by=None, event=copy, data=json.dumps(exported).encode(), filename="x.json"
    )

    again = _export(client, copy)
    assert _normalised(again) == _normalised(exported)
    assert report.sessions == Tally(created=3)
    assert report.tracks == Tally(created=2)  # "Online" is the room of sessions without a track
    assert list(copy.sessions.values_list("slug", "kind", "track__name")) == [
        ("opening", "plenary", "Main stage"),
        ("lunch", "break", None),
        ("spread-workshop", "workshop", "Room B"),
    ]


@pytest.mark.parametrize(
    "slug",
    ["big-conversation-2022", "the-next-conversation-2022", "spread-and-adoption-conversation"],
)
def test_round_trip_of_the_demo_events_keeps_their_programme(client, slug):
    demo_load()
    event = Event.objects.get(slug=slug)
    exported = _export(client, event)
    copy = _copy_of(event, f"{slug}-copy")

    schedule_import(by=None, event=copy, data=json.dumps(exported).encode(), filename="demo.json")

    assert _normalised(_export(client, copy)) == _normalised(exported)
    assert copy.sessions.count() == event.sessions.count()


def test_round_trip_through_xml_keeps_sessions_times_and_tracks(client, two_day_event):
    response = client.get(reverse("events:schedule_xml", kwargs={"event": two_day_event.slug}))
    copy = _copy_of(two_day_event, "copy")

    schedule_import(by=None, event=copy, data=response.content, filename="x.xml")

    def shape(event):
        return list(
            event.sessions.filter(status="scheduled").values_list(
                "title", "kind", "start", "end", "track__name", "summary", "description"
            )
        )

    assert shape(copy) == shape(two_day_event)
    assert len(shape(copy)) == 3


def test_export_imported_back_into_its_own_event_changes_nothing(client, two_day_event):
    exported = json.dumps(_export(client, two_day_event)).encode()

    report = schedule_import(by=None, event=two_day_event, data=exported, filename="own.json")

    assert report.sessions == Tally(unchanged=3)
    assert report.hosts == Tally(unchanged=4)
    assert two_day_event.sessions.count() == 4
