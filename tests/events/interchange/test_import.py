"""Importing pretalx JSON and frab XML schedules: the real pretalx samples, re-imports."""

import json
from datetime import UTC, date, datetime

import pytest

from convene.events.interchange.services import ImportReport, Tally, schedule_import
from convene.events.models import Event, Host, Session, Track
from tests.events.interchange.conftest import SAMPLE_DATES, SAMPLE_JSON, SAMPLE_XML
from tests.factories import EventFactory, HostFactory, RoomFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def democon(db):
    """An empty event on the sample's dates, shown in London time (the file is Berlin)."""
    return EventFactory(
        slug="democon",
        start_date=date(2026, 11, 25),
        end_date=date(2026, 11, 27),
    )


def _import(event, path, data=None) -> ImportReport:
    return schedule_import(by=None, event=event, data=data or path.read_bytes(), filename=path.name)


def _first_talk(document: dict) -> dict:
    return document["schedule"]["conference"]["days"][0]["rooms"]["Light Sea Green Room"][0]


@pytest.mark.parametrize(
    ("path", "source_format"), [(SAMPLE_JSON, "pretalx JSON"), (SAMPLE_XML, "frab XML")]
)
def test_schedule_import_of_pretalx_sample_creates_36_sessions_in_2_rooms_and_2_tracks(
    democon, path, source_format
):
    report = _import(democon, path)

    assert report.source_format == source_format
    assert report.time_zone == "Europe/Berlin"
    assert report.sessions == Tally(created=36)
    assert report.rooms == Tally(created=2)
    assert report.tracks == Tally(created=2)
    assert report.hosts.created == 45
    assert report.warnings == [
        "The file's times are in Europe/Berlin; the programme shows them in Europe/London "
        "time, the event's zone."
    ]
    assert list(democon.rooms.values_list("name", "position")) == [
        ("Light Sea Green Room", 1),
        ("Dim Gray Room", 2),
    ]
    assert list(democon.tracks.values_list("name", "position")) == [
        ("Reverse-engineered", 1),
        ("Cross-group", 2),
    ]
    assert democon.sessions.count() == 36
    assert democon.sessions.filter(room__name="Light Sea Green Room").count() == 27
    assert democon.sessions.filter(room__name="Dim Gray Room").count() == 9
    assert democon.sessions.filter(track__name="Reverse-engineered").count() == 15
    assert democon.sessions.filter(track__name="Cross-group").count() == 21


@pytest.mark.parametrize("path", [SAMPLE_JSON, SAMPLE_XML])
def test_schedule_import_puts_berlin_times_at_the_right_utc_instant(democon, path):
    _import(democon, path)

    first = democon.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    assert (first.start, first.end) == (
        datetime(2026, 11, 25, 8, 0, tzinfo=UTC),  # 09:00 in Berlin (UTC+1 in November)
        datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
    )
    assert first.title == "Multi-channeled multi-state monitoring"
    assert first.slug == "democon-2-multi-channeled-multi-state-monitoring"
    assert first.summary == "Implement back-end action-items!"
    assert first.description.startswith("Human see garden never.")
    assert first.kind == Session.Kind.PLENARY  # "Talk", by the default kind map
    assert (first.room.name, first.track.name) == ("Light Sea Green Room", "Reverse-engineered")
    assert list(first.hosts.values_list("guest_name", "role", "user")) == [
        ("Paula Moreno", Host.Role.HOST, None)
    ]
    assert sorted(set(democon.sessions.values_list("kind", flat=True))) == [
        Session.Kind.PLENARY,
        Session.Kind.WORKSHOP,
    ]


def test_schedule_import_of_json_takes_speaker_biographies(democon):
    _import(democon, SAMPLE_JSON)

    host = Host.objects.get(session__source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    assert host.bio.startswith("Food affect upon these story film around there.")


def test_schedule_import_keeps_all_sample_times_and_hosts_identical_from_json_and_xml(db):
    from_json, from_xml = EventFactory(**SAMPLE_DATES), EventFactory(**SAMPLE_DATES)

    _import(from_json, SAMPLE_JSON)
    _import(from_xml, SAMPLE_XML)

    def shape(event):
        return sorted(
            (s.source_guid, s.title, s.start, s.end, s.room.name, s.track.name, s.kind,
             tuple(h.guest_name for h in s.hosts.all()))
            for s in event.sessions.select_related("room", "track").prefetch_related("hosts")
        )  # fmt: skip

    assert shape(from_json) == shape(from_xml)
    assert len(shape(from_json)) == 36


@pytest.mark.parametrize("path", [SAMPLE_JSON, SAMPLE_XML])
def test_schedule_import_twice_changes_nothing_the_second_time(democon, path):
    _import(democon, path)
    before = list(democon.sessions.values_list("pk", "title", "start", "sequence"))
    hosts = Host.objects.count()

    report = _import(democon, path)

    assert report.sessions == Tally(unchanged=36)
    assert (report.rooms, report.tracks) == (Tally(unchanged=2), Tally(unchanged=2))
    assert report.hosts == Tally(unchanged=45)
    assert list(democon.sessions.values_list("pk", "title", "start", "sequence")) == before
    assert (Host.objects.count(), Track.objects.count()) == (hosts, 2)


def test_schedule_import_again_with_a_changed_title_updates_that_session(democon):
    _import(democon, SAMPLE_JSON)
    session = democon.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    document = json.loads(SAMPLE_JSON.read_bytes())
    _first_talk(document)["title"] = "Monitoring, renamed"

    report = _import(democon, SAMPLE_JSON, json.dumps(document).encode())

    assert report.sessions == Tally(updated=1, unchanged=35)
    assert democon.sessions.count() == 36
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Monitoring, renamed", 1)
    assert session.slug == "democon-2-multi-channeled-multi-state-monitoring"  # URLs stay


def test_schedule_import_again_with_a_known_type_changes_the_kind_not_the_sequence(democon):
    _import(democon, SAMPLE_JSON)
    document = json.loads(SAMPLE_JSON.read_bytes())
    _first_talk(document)["type"] = "Award showcase"

    report = _import(democon, SAMPLE_JSON, json.dumps(document).encode())

    session = democon.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    assert report.sessions == Tally(updated=1, unchanged=35)
    assert (session.kind, session.sequence) == (Session.Kind.AWARD_SHOWCASE, 0)


def test_schedule_import_again_with_a_new_time_moves_the_session(democon):
    _import(democon, SAMPLE_XML)
    data = SAMPLE_XML.read_bytes().replace(
        b"<date>2026-11-25T09:00:00+01:00</date>", b"<date>2026-11-25T17:15:00+01:00</date>", 1
    )

    report = _import(democon, SAMPLE_XML, data)

    session = democon.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    assert report.sessions == Tally(updated=1, unchanged=35)
    assert (session.start, session.end, session.sequence) == (
        datetime(2026, 11, 25, 16, 15, tzinfo=UTC),
        datetime(2026, 11, 25, 16, 45, tzinfo=UTC),
        1,
    )


def test_schedule_import_again_updates_changes_and_removes_guest_hosts(democon):
    _import(democon, SAMPLE_JSON)
    document = json.loads(SAMPLE_JSON.read_bytes())
    talk = _first_talk(document)
    talk["persons"] = [
        {"name": "Sam New", "biography": "Joins late."},
        {"name": "Paula Moreno", "biography": "Shorter bio."},
    ]

    report = _import(democon, SAMPLE_JSON, json.dumps(document).encode())

    session = democon.sessions.get(source_guid=talk["guid"])
    assert list(session.hosts.values_list("guest_name", "bio", "position")) == [
        ("Sam New", "Joins late.", 0),
        ("Paula Moreno", "Shorter bio.", 1),
    ]
    assert report.hosts == Tally(created=1, updated=1, unchanged=44)
    assert report.sessions == Tally(unchanged=36)

    talk["persons"] = [{"name": "Sam New", "biography": "Joins late."}]
    report = _import(democon, SAMPLE_JSON, json.dumps(document).encode())

    assert list(session.hosts.values_list("guest_name", flat=True)) == ["Sam New"]
    assert report.hosts == Tally(unchanged=45, removed=1)


def test_schedule_import_keeps_hosts_with_an_account(democon):
    _import(democon, SAMPLE_JSON)
    session = democon.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    member = HostFactory(
        session=session, user=UserFactory(name="Mo Member"), guest_name="", position=5
    )

    report = _import(democon, SAMPLE_JSON)

    assert list(session.hosts.order_by("position").values_list("pk", flat=True))[-1] == member.pk
    assert report.hosts == Tally(unchanged=45)


def test_schedule_import_matches_an_account_host_by_name_and_updates_the_bio(democon):
    session = SessionFactory(event=democon, slug="democon-2-multi-channeled-multi-state-monitoring")
    member = HostFactory(session=session, user=UserFactory(name="Paula Moreno"), guest_name="")

    _import(democon, SAMPLE_JSON)

    member.refresh_from_db()
    assert list(session.hosts.all()) == [member]
    assert member.bio.startswith("Food affect")
    session.refresh_from_db()
    assert session.source_guid == "43fa88ef-5527-5621-a2b2-3de372eb6dbd"


def test_schedule_import_updates_a_session_with_the_same_slug_and_keeps_its_extras(democon):
    room = RoomFactory(event=democon, name="light sea green room", position=0)
    session = SessionFactory(
        event=democon,
        slug="democon-2-multi-channeled-multi-state-monitoring",
        kind=Session.Kind.PLENARY,
        join_url="https://teams.example.org/meet/2",
        hashtags="#Keep",
        status=Session.Status.CANCELLED,
        track=None,
    )

    report = _import(democon, SAMPLE_XML)

    session.refresh_from_db()
    assert report.sessions == Tally(created=35, updated=1)
    assert report.rooms == Tally(created=1, unchanged=1)
    assert (session.title, session.room, session.kind) == (
        "Multi-channeled multi-state monitoring",
        room,  # matched without regard to case
        Session.Kind.PLENARY,  # "Talk", by the default kind map
    )
    assert (session.join_url, session.hashtags, session.status) == (
        "https://teams.example.org/meet/2",
        "#Keep",
        Session.Status.CANCELLED,
    )
    assert session.source_guid == "43fa88ef-5527-5621-a2b2-3de372eb6dbd"


def test_schedule_import_gives_new_sessions_a_free_slug(democon):
    SessionFactory(
        event=democon,
        slug="democon-2-multi-channeled-multi-state-monitoring",
        source_guid="another-file",
    )

    _import(democon, SAMPLE_JSON)

    assert democon.sessions.filter(slug__startswith="democon-2-multi-channeled").count() == 2
    imported = democon.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd")
    assert imported.slug == "democon-2-multi-channeled-multi-state-monitoring-2"


def test_schedule_import_makes_cached_exports_stale(client, democon):
    version = democon.programme_version

    _import(democon, SAMPLE_JSON)

    assert democon.programme_version > version
    assert Event.objects.get(pk=democon.pk).programme_version == democon.programme_version


def test_schedule_import_warns_about_sessions_on_the_days_either_side_of_the_event(db):
    day = date(2026, 11, 26)  # the sample's middle day; its others are the days either side
    event = EventFactory(time_zone="Europe/Berlin", start_date=day, end_date=day)

    report = _import(event, SAMPLE_XML)

    assert report.warnings == [
        "24 sessions fall outside the event's dates (26 November 2026 to 26 November 2026); "
        "they are imported all the same."
    ]
    assert event.sessions.count() == 36


FRAB_WITHOUT_OFFSETS = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <conference>
    <title>Older frab</title><time_zone_name>America/New_York</time_zone_name>
  </conference>
  <day index="1" date="2030-05-11">
    <room name="Hall">
      <event id="1">
        <date>2030-05-11</date><start>09:30</start><duration>00:45</duration>
        <title>Date and clock apart</title><slug>apart</slug><type>Plenary</type>
      </event>
      <event id="2">
        <date>2030-05-11T11:00:00</date><start>11:00</start><duration>1:15</duration>
        <title>No offset</title><type>tweet chat</type>
        <persons><person id="7">Ana Lyst</person></persons>
      </event>
    </room>
  </day>
</schedule>
"""


def test_schedule_import_reads_times_without_offset_in_the_file_zone(event):
    report = schedule_import(by=None, event=event, data=FRAB_WITHOUT_OFFSETS, filename="old.xml")

    assert report.sessions == Tally(created=2)
    assert list(event.sessions.values_list("slug", "start", "end", "kind", "source_guid")) == [
        (
            "apart",
            datetime(2030, 5, 11, 13, 30, tzinfo=UTC),  # 09:30 in New York (UTC-4 in May)
            datetime(2030, 5, 11, 14, 15, tzinfo=UTC),
            Session.Kind.PLENARY,
            None,
        ),
        (
            "no-offset",
            datetime(2030, 5, 11, 15, 0, tzinfo=UTC),
            datetime(2030, 5, 11, 16, 15, tzinfo=UTC),
            Session.Kind.TWEET_CHAT,
            None,
        ),
    ]


def test_schedule_import_reads_times_without_offset_or_zone_in_the_event_zone(event):
    data = FRAB_WITHOUT_OFFSETS.replace(b"<time_zone_name>America/New_York</time_zone_name>", b"")

    report = schedule_import(by=None, event=event, data=data, filename="old.xml")

    assert report.time_zone == "Europe/London"
    assert event.sessions.get(slug="apart").start == datetime(2030, 5, 11, 8, 30, tzinfo=UTC)


def test_schedule_import_without_guids_updates_by_slug_on_the_next_import(event):
    schedule_import(by=None, event=event, data=FRAB_WITHOUT_OFFSETS, filename="old.xml")
    changed = FRAB_WITHOUT_OFFSETS.replace(b"Date and clock apart", b"Renamed")

    report = schedule_import(by=None, event=event, data=changed, filename="old.xml")

    assert report.sessions == Tally(updated=1, unchanged=1)
    assert list(event.sessions.values_list("slug", "title")) == [
        ("apart", "Renamed"),
        ("no-offset", "No offset"),
    ]


def test_schedule_import_shortens_a_long_abstract_and_biography_and_says_so(democon):
    document = json.loads(SAMPLE_JSON.read_bytes())
    talk = _first_talk(document)
    talk["abstract"] = "a" * 450
    talk["persons"][0]["biography"] = "b" * 1200

    report = _import(democon, SAMPLE_JSON, json.dumps(document).encode())

    path = 'schedule.conference.days[0].rooms["Light Sea Green Room"][0]'
    assert report.warnings[:2] == [
        f"{path}.persons[0].biography: shortened to 1000 characters",
        f"{path}.abstract: shortened to 400 characters",
    ]
    session = democon.sessions.get(source_guid=talk["guid"])
    assert session.summary == "a" * 399 + "…"
    assert session.hosts.get().bio == "b" * 999 + "…"
