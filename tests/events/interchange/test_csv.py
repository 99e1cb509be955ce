"""The organisers' CSV of the programme: every session, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.events.interchange.serialisers import csv_safe
from tests.factories import EventRoleFactory, HostFactory, SessionFactory
from tests.personas import LOGIN, client_for, outcome, sign_in_url

pytestmark = pytest.mark.django_db


def _url(event) -> str:
    return reverse("events:orga_schedule_csv", kwargs={"event": event.slug})


def _rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 right
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def organiser_client(two_day_event, organiser):
    EventRoleFactory(event=two_day_event, user=organiser)
    return client_for(organiser)


def test_schedule_csv_has_one_row_per_session_cancelled_included(two_day_event, organiser_client):
    # The join link column has Convene's join address: the file travels (decision 0014).
    opening = two_day_event.sessions.get(slug="opening")
    two_day_event.sessions.filter(slug="opening").update(
        join_provider="Microsoft Teams",
        join_url="https://teams.example.org/meet/1",
        hashtags="#ImprovingTogether",
    )

    response = organiser_client.get(_url(two_day_event))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="two-days-schedule.csv"'
    assert _rows(response) == [
        ["Date", "Start", "End", "Time zone", "Room", "Track", "Title", "Kind", "Status",
         "Hosts", "Join provider", "Join link", "Hashtags", "Summary"],
        ["2030-05-11", "10:00", "11:00", "Europe/London", "Main stage", "Main stage",
         "Opening plenary",
         "Plenary", "Scheduled", "Diane Ketley (Host); Carol Munt (Lived-experience partner)",
         "Microsoft Teams", f"http://127.0.0.1:8000/sessions/{opening.pk}/join/",
         "#ImprovingTogether",
         "Why we are here."],
        ["2030-05-11", "12:30", "13:30", "Europe/London", "Online", "", "Lunch", "Break",
         "Scheduled", "", "", "", "", ""],
        ["2030-05-12", "09:30", "11:00", "Europe/London", "Room B", "Room B",
         "Spreading what works",
         "Workshop", "Scheduled", "Joe Sladen (Co-host); Hana Host (Host)", "", "", "",
         "Hands-on: the seven principles."],
        ["2030-05-12", "14:00", "15:00", "Europe/London", "Main stage", "Main stage",
         "Called off",
         "Open Conversation", "Cancelled", "", "", "", "", ""],
    ]  # fmt: skip


def test_schedule_csv_cells_cannot_become_spreadsheet_formulas(two_day_event, organiser_client):
    session = two_day_event.sessions.get(slug="opening")
    session.title = '=HYPERLINK("https://evil.example","Click")'
    session.summary = "+1 rated"
    session.hashtags = "@everyone"
    session.save()
    session.hosts.filter(guest_name="Diane Ketley").update(guest_name="-2+3")

    row = _rows(organiser_client.get(_url(two_day_event)))[1]

    assert row[6] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row[9] == "'-2+3 (Host); Carol Munt (Lived-experience partner)"
    assert row[12] == "'@everyone"
    assert row[13] == "'+1 rated"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Plain text", "Plain text"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_csv_safe_prefixes_formula_starts_only(value, expected):
    assert csv_safe(value) == expected


def test_schedule_csv_shows_a_change_at_once(two_day_event, organiser_client):
    organiser_client.get(_url(two_day_event))
    HostFactory(session=two_day_event.sessions.get(slug="lunch"), guest_name="Chef")

    rows = _rows(organiser_client.get(_url(two_day_event)))

    assert rows[2][9] == "Chef (Host)"


def test_schedule_csv_query_count_does_not_grow(organiser_client, two_day_event):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            organiser_client.get(_url(two_day_event))
        return len(queries.captured_queries)

    first = count()
    for _ in range(2):
        SessionFactory(event=two_day_event, track=two_day_event.tracks.first())

    assert count() == first


def test_schedule_csv_is_refused_to_everyone_but_organisers(
    client, two_day_event, attendee, outsider, superuser
):
    url = _url(two_day_event)
    host = two_day_event.sessions.get(slug="spread-workshop").hosts.get(user__isnull=False).user
    EventRoleFactory(event=two_day_event, user=host, role="host")

    assert outcome(client.get(url)) == LOGIN
    assert client.get(url)["Location"] == sign_in_url(url)
    assert client_for(attendee).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(host).get(url).status_code == 403
    assert client_for(superuser).get(url).status_code == 200
