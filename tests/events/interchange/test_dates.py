"""Schedule files and session dates (docs/decisions/0012).

An import with a talk outside the event's days (and one day either side) is refused,
naming the talk's date or duration, and stores nothing. Exports list only the days
that have sessions, so rows stored before the rule, in year 1 and 9999, add two days
to the file, not 3.6 million.
"""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from convene.events.interchange.checks import ScheduleFileError
from convene.events.interchange.services import schedule_import
from convene.events.models import Event, Session
from tests.conftest import client_for
from tests.events.interchange.conftest import table_counts
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
# The `event` fixture runs 11 to 12 May 2030, in Europe/London.
WINDOW = (
    "Sessions of this event take place between 10 May 2030 and 13 May 2030 "
    "(Europe/London time): the event's days and 1 day either side."
)
TALK = 'schedule.conference.days[0].rooms["Main stage"][0]'


def _json_file(when: str, duration: str = "01:00") -> bytes:
    talk = {"guid": "far-1", "title": "Far away", "date": when, "duration": duration}
    conference = {"time_zone_name": "Europe/London", "days": [{"rooms": {"Main stage": [talk]}}]}
    return json.dumps({"schedule": {"conference": conference}}).encode()


def _xml_file(when: str, duration: str = "01:00") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <conference><time_zone_name>Europe/London</time_zone_name></conference>
  <day index="1">
    <room name="Main stage">
      <event guid="far-1">
        <title>Far away</title>
        <date>{when}</date>
        <duration>{duration}</duration>
      </event>
    </room>
  </day>
</schedule>
""".encode()


def _refused(event, data: bytes) -> list[str]:
    before = table_counts()

    with pytest.raises(ScheduleFileError) as error:
        schedule_import(by=None, event=event, data=data, filename="upload")

    assert table_counts() == before
    assert Event.objects.get(pk=event.pk).programme_version == event.programme_version
    return error.value.problems


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+01:00",  # in year 0 in UTC
        "9999-12-31T23:00:00+00:00",  # with its hour, would end in year 10000
        "2030-05-09T23:00:00+01:00",
        "2030-05-14T00:00:00+01:00",  # midnight after the last allowed day
    ],
)
def test_json_import_refuses_a_talk_outside_the_event_naming_its_date(event, when):
    problems = _refused(event, _json_file(when))

    assert problems == [f'{TALK}.date: "{when}" is outside the event\'s dates. {WINDOW}']


def test_json_import_refuses_a_talk_running_past_the_last_allowed_day(event):
    problems = _refused(event, _json_file("2030-05-13T23:00:00+01:00", duration="02:00"))

    assert problems == [
        f'{TALK}.duration: "02:00" makes the session end after the event\'s dates. {WINDOW}'
    ]


def test_xml_import_refuses_a_talk_in_year_9999_naming_its_line(event):
    problems = _refused(event, _xml_file("9999-12-31T23:00:00+00:00", duration="02:00"))

    assert problems == [
        """line 8: <date> in <event guid="far-1">: "9999-12-31T23:00:00+00:00" is outside """
        f"the event's dates. {WINDOW}"
    ]


def test_import_page_shows_the_refusal_and_stores_nothing(organiser, event):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("far.json", _json_file("0001-01-01T10:00:00+00:00"))

    response = client_for(organiser).post(
        reverse("events:orga_import", kwargs={"event": event.slug}), {"file": upload}
    )

    assert response.context["form"].errors == {
        "file": [
            f'{TALK}.date: "0001-01-01T10:00:00+00:00" is outside the event\'s dates. {WINDOW}'
        ]
    }
    assert "is outside the event&#x27;s dates" in response.content.decode()
    assert not Session.objects.filter(title="Far away").exists()


def test_import_accepts_a_talk_on_the_day_either_side(event):
    report = schedule_import(
        by=None, event=event, data=_json_file("2030-05-13T23:00:00+01:00"), filename="upload"
    )

    assert (report.sessions.created, Session.objects.get(title="Far away").end) == (
        1,
        datetime(2030, 5, 13, 23, 0, tzinfo=UTC),
    )


@pytest.fixture
def old_rows(event):
    """An event and sessions from year 1 to 9999, as a database from before the rule
    may hold them (written with .update(), which skips validation)."""
    SessionFactory(event=event, slug="opening", title="Opening")  # 11 May 2030, 10:00
    dawn = SessionFactory(event=event, slug="dawn", title="Dawn of time")
    dusk = SessionFactory(event=event, slug="dusk", title="End of time")
    first, last = datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    Session.objects.filter(pk=dawn.pk).update(start=first, end=first + timedelta(hours=1))
    Session.objects.filter(pk=dusk.pk).update(start=last - timedelta(hours=1), end=last)
    Event.objects.filter(pk=event.pk).update(start_date=date(1, 1, 1), end_date=date(9999, 12, 31))
    return event


def test_schedule_json_of_old_rows_lists_only_the_days_with_sessions(client, old_rows):
    response = client.get(reverse("events:schedule_json", kwargs={"event": old_rows.slug}))

    days = json.loads(response.content)["schedule"]["conference"]["days"]
    assert [
        (day["index"], day["date"], [t["title"] for talks in day["rooms"].values() for t in talks])
        for day in days
    ] == [
        (1, "0001-01-01", ["Dawn of time"]),
        (2, "2030-05-11", ["Opening"]),
        (3, "9999-12-31", ["End of time"]),
    ]
    assert len(response.content) < 10_000


def test_schedule_xml_of_old_rows_lists_only_the_days_with_sessions(client, old_rows):
    response = client.get(reverse("events:schedule_xml", kwargs={"event": old_rows.slug}))

    root = ET.fromstring(response.content)  # noqa: S314 - our own export
    assert [(day.get("index"), day.get("date")) for day in root.findall("day")] == [
        ("1", "0001-01-01"),
        ("2", "2030-05-11"),
        ("3", "9999-12-31"),
    ]
    assert len(response.content) < 10_000


def test_schedule_json_leaves_out_event_days_without_sessions(client, event):
    SessionFactory(event=event, title="Only on the first day")

    response = client.get(reverse("events:schedule_json", kwargs={"event": event.slug}))

    conference = json.loads(response.content)["schedule"]["conference"]
    assert [day["date"] for day in conference["days"]] == ["2030-05-11"]
    assert conference["daysCount"] == 2


def test_organiser_csv_of_old_rows_answers(organiser, old_rows):
    response = client_for(organiser).get(
        reverse("events:orga_schedule_csv", kwargs={"event": old_rows.slug})
    )

    assert response.status_code == 200
    assert len(response.content.decode("utf-8-sig").splitlines()) == 4
