"""Stars, my agenda and the personal calendar feed."""

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.attendance import services
from convene.attendance.models import CalendarLink, Star
from tests.attendance.conftest import JOIN, register, session_at
from tests.conftest import client_for
from tests.personas import LOGIN, outcome, sign_in_url

pytestmark = pytest.mark.django_db
AGENDA = "/my/agenda/"


def _star_url(session):
    return reverse("attendance:star", kwargs={"session": session.pk})


def test_star_and_unstar_from_the_session_page(attendee, drop_in):
    client = client_for(attendee)
    page = client.get(drop_in.get_absolute_url()).content.decode()

    client.post(_star_url(drop_in), {"star": "yes", "next": drop_in.get_absolute_url()})
    starred = list(Star.objects.values_list("user__email", "session__slug"))
    after = client.get(drop_in.get_absolute_url()).content.decode()
    client.post(_star_url(drop_in), {"star": "no"})

    assert "for my agenda</button>" in page
    assert starred == [("attendee@example.org", "drop-in")]
    assert "Unstar" in after
    assert not Star.objects.exists()


def test_programme_star_buttons_share_one_form_outside_the_cache(attendee, outsider, drop_in):
    url = reverse("events:programme", kwargs={"event": drop_in.event.slug})
    services.star_add(user=attendee, session=drop_in)

    mine = client_for(attendee).get(url).content.decode()
    theirs = client_for(outsider).get(url).content.decode()
    anonymous = Client().get(url).content.decode()

    assert 'form="attendance-star-form"' in mine
    assert f'formaction="{_star_url(drop_in)}" name="star" value="no"' in mine
    assert f'formaction="{_star_url(drop_in)}" name="star" value="yes"' in theirs
    assert 'id="attendance-star-form"' in mine
    assert "attendance-star-form" not in anonymous


def test_star_needs_a_signed_in_person(drop_in):
    response = Client().post(_star_url(drop_in))

    assert outcome(response) == LOGIN
    assert not Star.objects.exists()


def test_agenda_shows_starred_and_booked_sessions_with_their_join_state(
    attendee, soon_event, workshop
):
    now = session_at(soon_event, minutes_from_now=5, title="Happening soon")
    register(attendee, soon_event)
    services.star_add(user=attendee, session=now)
    services.booking_create(registration=attendee.registrations.get(), session=workshop)

    response = client_for(attendee).get(AGENDA)

    items = response.context["items"]
    assert [(i.session.title, i.may_join, i.starred) for i in items] == [
        ("Happening soon", True, True),
        ("Workshop", False, False),
    ]
    html = response.content.decode()
    assert f"/sessions/{now.pk}/join/" in html
    assert "Link from" in html
    assert JOIN not in html


def test_agenda_needs_sign_in(db):
    response = Client().get(AGENDA)

    assert outcome(response) == LOGIN
    assert response["Location"] == sign_in_url(AGENDA)


@pytest.mark.parametrize("items", [1, 3])
def test_agenda_query_count_does_not_grow(attendee, soon_event, items):
    register(attendee, soon_event)
    for n in range(items):
        services.star_add(
            user=attendee, session=session_at(soon_event, minutes_from_now=60 * (n + 1))
        )
    client = client_for(attendee)
    client.get(AGENDA)

    with CaptureQueriesContext(connection) as queries:
        client.get(AGENDA)

    # session, user, registrations, sessions, hosts, bookings, stars, calendar link
    assert len(queries) == 8


def test_personal_feed_has_starred_and_booked_sessions_with_links_where_allowed(
    attendee, soon_event, workshop, drop_in
):
    register(attendee, soon_event)
    cancelled = session_at(soon_event, minutes_from_now=600, title="Called off", status="cancelled")
    services.star_add(user=attendee, session=drop_in)
    services.star_add(user=attendee, session=workshop)  # starred, not booked: no link
    services.star_add(user=attendee, session=cancelled)
    client = client_for(attendee)
    client.post(reverse("attendance:calendar_link"))
    token = CalendarLink.objects.get(user=attendee).token

    response = Client().get(reverse("attendance:feed", kwargs={"token": token}))

    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(v["summary"]): v for v in calendar.walk("VEVENT")}
    assert sorted(events) == ["Called off", "Drop-in", "Workshop"]
    # Convene's join address (it checks the window), never the raw link.
    join_address = f"http://127.0.0.1:8000/sessions/{drop_in.pk}/join/"
    assert str(events["Drop-in"]["location"]) == join_address
    assert JOIN not in response.content.decode()
    assert "/join/" not in str(events["Workshop"]["description"])
    assert str(events["Called off"]["status"]) == "CANCELLED"
    assert response["Cache-Control"] == "private, no-store"


def test_resetting_the_calendar_link_revokes_the_old_one(attendee):
    client = client_for(attendee)
    client.post(reverse("attendance:calendar_link"))
    old = CalendarLink.objects.get().token

    client.post(reverse("attendance:calendar_link"), {"reset": "yes"})

    new = CalendarLink.objects.get().token
    assert new != old
    assert Client().get(reverse("attendance:feed", kwargs={"token": old})).status_code == 404
    assert Client().get(reverse("attendance:feed", kwargs={"token": new})).status_code == 200
    assert new in client.get(AGENDA).content.decode()
