"""Session dates stay near their event's dates (docs/decisions/0012).

An event lies between 2000 and 2100 and lasts 31 days at most. Its sessions take
place on its days and SESSION_DATE_SLACK_DAYS (1) either side, in its zone: the
organiser forms refuse anything else with a field error, the services and the admin
through Session.clean. Rows stored before the rule (sessions in year 1 and 9999) still
render on every page, in any zone the visitor picks.
"""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convene.events import services
from convene.events.models import Event, Session
from tests.conftest import client_for
from tests.factories import EventFactory, HostFactory, SessionFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DAWN = datetime(1, 1, 1, tzinfo=UTC)  # the first instant Python can represent
DUSK = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
# The `event` fixture runs 11 to 12 May 2030, in Europe/London.
WINDOW = (
    "Sessions of this event take place between 10 May 2030 and 13 May 2030 "
    "(Europe/London time): the event's days and 1 day either side."
)


def _create(organiser, event, day: str, start: str, end: str):
    return client_for(organiser).post(
        reverse("events:orga_session_create", kwargs={"event": event.slug}),
        {"title": "Timed", "kind": "workshop", "day": day, "start_time": start, "end_time": end},
    )


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        ("0001-01-01", "10:00", "11:00"),
        ("9999-12-31", "10:00", "11:00"),
        ("9999-12-31", "23:00", "01:00"),  # would end in year 10000
        ("2030-05-09", "10:00", "11:00"),
        ("2030-05-14", "10:00", "11:00"),
    ],
)
def test_session_form_refuses_a_day_outside_the_event_and_stores_nothing(
    organiser, event, day, start, end
):
    response = _create(organiser, event, day, start, end)

    assert response.status_code == 400
    assert response.context["form"].errors == {"day": [WINDOW]}
    assert not Session.objects.filter(title="Timed").exists()


def test_session_form_refuses_a_session_running_past_the_last_allowed_day(organiser, event):
    response = _create(organiser, event, "2030-05-13", "23:00", "01:00")

    assert response.status_code == 400
    assert response.context["form"].errors == {"end_time": [WINDOW]}
    assert not Session.objects.filter(title="Timed").exists()


@pytest.mark.parametrize(
    ("day", "start", "end", "stored"),
    [
        ("2030-05-10", "00:00", "01:00", datetime(2030, 5, 9, 23, 0, tzinfo=UTC)),
        ("2030-05-13", "23:00", "00:00", datetime(2030, 5, 13, 22, 0, tzinfo=UTC)),
    ],
)
def test_session_form_accepts_the_day_either_side_of_the_event(
    organiser, event, day, start, end, stored
):
    response = _create(organiser, event, day, start, end)

    assert response.status_code == 302
    assert Session.objects.get(title="Timed").start == stored


def test_session_date_slack_is_a_setting(organiser, event, settings):
    settings.SESSION_DATE_SLACK_DAYS = 0

    response = _create(organiser, event, "2030-05-10", "10:00", "11:00")

    assert response.context["form"].errors == {
        "day": [
            "Sessions of this event take place between 11 May 2030 and 12 May 2030 "
            "(Europe/London time): the event's days."
        ]
    }


def test_move_form_refuses_23_to_01_on_the_last_day_python_knows(organiser, session):
    url = reverse(
        "events:orga_session_move", kwargs={"event": session.event.slug, "pk": session.pk}
    )
    before = (session.start, session.end)

    response = client_for(organiser).post(
        url, {"day": "9999-12-31", "start_time": "23:00", "end_time": "01:00", "track": ""}
    )

    session.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors == {"day": [WINDOW]}
    assert (session.start, session.end) == before


def test_session_create_service_refuses_a_session_outside_the_window(event):
    with pytest.raises(ValidationError) as error:
        services.session_create(
            event=event, title="Far", start=DUSK - timedelta(hours=1), end=DUSK, by=None
        )

    assert error.value.message_dict == {"start": [WINDOW]}
    assert not Session.objects.filter(title="Far").exists()


def test_session_move_service_refuses_year_1(session):
    with pytest.raises(ValidationError) as error:
        services.session_move(
            session=session, start=DAWN, end=DAWN + timedelta(hours=1), room=None, by=None
        )

    assert error.value.message_dict == {"start": [WINDOW]}
    assert Session.objects.get(pk=session.pk).start == datetime(2030, 5, 11, 9, 0, tzinfo=UTC)


BOUNDS = "Choose a day between 1 January 2000 and 31 December 2100."
BACKWARDS = "The event cannot end before it starts."


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (date(1, 1, 1), date(2030, 5, 12), {"start_date": [BOUNDS]}),
        (date(2030, 5, 11), date(9999, 12, 31), {"end_date": [BOUNDS]}),
        (date(1999, 12, 31), date(2101, 1, 1), {"start_date": [BOUNDS], "end_date": [BOUNDS]}),
        (date(2030, 5, 12), date(2030, 5, 11), {"end_date": [BACKWARDS]}),
        (date(2030, 5, 1), date(2030, 6, 1), {"end_date": ["An event can last 31 days at most."]}),
    ],
)  # fmt: skip
def test_event_dates_are_bounded(start, end, errors):
    event = Event(slug="bounded", title="Bounded", start_date=start, end_date=end)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict == errors


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2000, 1, 1), date(2000, 1, 31)), (date(2100, 12, 31), date(2100, 12, 31))],
)
def test_event_dates_at_the_bounds_are_accepted(start, end):
    Event(slug="bounded", title="Bounded", start_date=start, end_date=end).full_clean()


@pytest.fixture
def old_rows(event):
    """What a database from before the rule may hold: an event running from year 1 to
    9999 with sessions at both ends of time (written with .update(), which skips
    validation), and one ordinary session."""
    SessionFactory(event=event, slug="opening", title="Opening")  # 11 May 2030, 10:00
    dawn = SessionFactory(event=event, slug="dawn", title="Dawn of time")
    HostFactory(session=dawn, guest_name="Ada Early")
    dusk = SessionFactory(event=event, slug="dusk", title="End of time")
    Session.objects.filter(pk=dawn.pk).update(start=DAWN, end=DAWN + timedelta(hours=1))
    Session.objects.filter(pk=dusk.pk).update(start=DUSK - timedelta(hours=1), end=DUSK)
    Event.objects.filter(pk=event.pk).update(start_date=date(1, 1, 1), end_date=date(9999, 12, 31))
    return Event.objects.get(pk=event.pk)


@pytest.mark.parametrize(
    ("zone", "days"),
    [
        ("", [date(1, 1, 1), date(2030, 5, 11), date(9999, 12, 31)]),
        # +14: the last session has no local time there; it is shown in UTC.
        ("Pacific/Kiritimati", [date(1, 1, 1), date(2030, 5, 11), date(9999, 12, 31)]),
        # -12: the first session has no local time there; it is shown in UTC.
        ("Etc/GMT+12", [date(1, 1, 1), date(2030, 5, 10), date(9999, 12, 31)]),
    ],
)
def test_programme_of_old_rows_renders_in_any_zone(client, old_rows, zone, days):
    url = reverse("events:programme", kwargs={"event": old_rows.slug})

    response = client.get(url, {"tz": zone} if zone else {})

    assert response.status_code == 200
    assert [
        (day.day, [s.title for s in day.sessions]) for day in response.context["programme"].days
    ] == list(zip(days, [["Dawn of time"], ["Opening"], ["End of time"]], strict=True))


@pytest.mark.parametrize("slug", ["dawn", "dusk"])
def test_session_pages_of_old_rows_render_for_visitors_and_attendees(
    client, old_rows, attendee, slug
):
    url = reverse("events:session", kwargs={"event": old_rows.slug, "session": slug})

    responses = [client.get(url), client_for(attendee).get(url)]

    title = Session.objects.get(slug=slug).title
    assert [r.status_code for r in responses] == [200, 200]
    assert all(f"{title}</h1>" in r.content.decode() for r in responses)


def test_pages_around_old_rows_render(client, old_rows):
    urls = [
        reverse("events:event", kwargs={"event": old_rows.slug}),
        reverse("events:people", kwargs={"event": old_rows.slug}),
        reverse("events:home"),
    ]

    responses = [client.get(url) for url in urls]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(old_rows.title in r.content.decode() for r in responses)


def _london(hour: int) -> datetime:
    return datetime(2030, 5, 11, hour, tzinfo=LONDON)


def test_calendar_of_old_rows_writes_them_in_utc_and_stays_small(client, old_rows):
    response = client.get(reverse("events:event_calendar", kwargs={"event": old_rows.slug}))

    calendar = icalendar.Calendar.from_ical(response.content)
    assert response.status_code == 200
    assert [
        (str(vevent["summary"]), vevent.decoded("dtstart"), vevent.decoded("dtend"))
        for vevent in calendar.walk("VEVENT")
    ] == [
        ("Dawn of time", DAWN, DAWN + timedelta(hours=1)),
        ("Opening", _london(10), _london(11)),
        ("End of time", DUSK - timedelta(hours=1), DUSK),
    ]  # fmt: skip
    assert [vevent["dtstart"].params.get("TZID") for vevent in calendar.walk("VEVENT")] == [
        None,
        "Europe/London",
        None,
    ]
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert len(response.content) < 10_000


@pytest.mark.parametrize("slug", ["dawn", "dusk"])
def test_session_calendar_of_old_rows_answers(client, old_rows, slug):
    url = reverse("events:session_calendar", kwargs={"event": old_rows.slug, "session": slug})

    response = client.get(url)

    assert response.status_code == 200
    assert len(list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))) == 1


def test_organiser_pages_of_old_rows_render(organiser, old_rows):
    dawn, dusk = Session.objects.get(slug="dawn"), Session.objects.get(slug="dusk")
    slug = old_rows.slug
    urls = [
        reverse("events:orga_grid", kwargs={"event": slug}),
        reverse("events:orga_problems", kwargs={"event": slug}),
        reverse("events:orga_sessions", kwargs={"event": slug}),
        *(reverse("events:orga_session", kwargs={"event": slug, "pk": s.pk}) for s in (dawn, dusk)),
        *(
            reverse("events:orga_session_move", kwargs={"event": slug, "pk": s.pk})
            for s in (dawn, dusk)
        ),
    ]
    client = client_for(organiser)

    pages = [client.get(url) for url in urls]

    assert [page.status_code for page in pages] == [200] * 7
    # The grid, the problems (outside the event's days) and the list name both sessions.
    for page in pages[:3]:
        assert {"Dawn of time", "End of time"} <= set(
            re.findall(r"Dawn of time|End of time", page.content.decode())
        )


def test_session_page_shows_the_day_in_the_event_zone_not_the_server_zone(client):
    event = EventFactory(time_zone="Pacific/Auckland")
    auckland = ZoneInfo("Pacific/Auckland")
    # 09:00 on Saturday in Auckland is still Friday evening in London (the server's zone).
    SessionFactory(
        event=event,
        slug="early",
        start=datetime(2030, 5, 11, 9, tzinfo=auckland),
        end=datetime(2030, 5, 11, 10, tzinfo=auckland),
    )

    html = client.get(
        reverse("events:session", kwargs={"event": event.slug, "session": "early"})
    ).content.decode()

    assert "Saturday 11 May 2030" in html
    assert "Friday 10 May 2030" not in html
