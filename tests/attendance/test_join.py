"""The join link: only for registered people, only from the window until the end."""

import pytest
from django.test import Client
from django.urls import reverse

from convene.attendance import services
from convene.attendance.models import Attendance, Booking, Registration
from tests.attendance.conftest import JOIN, register, session_at
from tests.conftest import client_for
from tests.personas import LOGIN, outcome, sign_in_url

pytestmark = pytest.mark.django_db
JOIN_PATH = "/sessions/{}/join/"


def _html(client, session) -> str:
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _joinable(html: str, session) -> bool:
    return JOIN_PATH.format(session.pk) in html


@pytest.mark.parametrize(
    ("minutes_from_now", "expected"),
    [
        (2 * 24 * 60, "The join link appears here from"),  # days ahead
        (16, "The join link appears here from"),  # a minute before the window
        (14, "Join now"),  # inside the window
        (-30, "Join now"),  # running
        (-61, "This session has ended."),  # over
    ],
)
def test_registered_person_sees_the_link_only_from_the_window_until_the_end(
    attendee, soon_event, minutes_from_now, expected
):
    session = session_at(soon_event, minutes_from_now=minutes_from_now)
    register(attendee, soon_event)

    html = _html(client_for(attendee), session)

    assert expected in html
    assert _joinable(html, session) is (expected == "Join now")
    assert JOIN not in html  # the page links through our join view, never the raw URL


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "unconfirmed", "cancelled"])
def test_people_not_registered_never_get_the_link_even_in_the_window(persona, outsider, soon_event):
    session = session_at(soon_event, minutes_from_now=5)
    client = Client() if persona == "anonymous" else client_for(outsider)
    if persona == "unconfirmed":
        services.registration_request(event=soon_event, email=outsider.email, name="Oz")
    if persona == "cancelled":
        services.registration_cancel(registration=register(outsider, soon_event))

    html = _html(client, session)

    assert not _joinable(html, session)
    assert JOIN not in html
    assert "The join link is for registered people" in html


def test_session_with_places_needs_a_booking_and_waiting_is_not_enough(
    attendee, outsider, soon_event
):
    session = session_at(soon_event, minutes_from_now=5, capacity=1)
    booked, waiting = register(attendee, soon_event), register(outsider, soon_event)
    services.booking_create(registration=booked, session=session)
    services.booking_create(registration=waiting, session=session)

    booked_html = _html(client_for(attendee), session)
    waiting_html = _html(client_for(outsider), session)

    assert _joinable(booked_html, session)
    assert not _joinable(waiting_html, session)
    assert "You are number 1 on the waiting list" in waiting_html


def test_drop_in_session_needs_only_the_event_registration(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5)
    register(attendee, soon_event)

    assert _joinable(_html(client_for(attendee), session), session)


def test_cancelled_session_shows_no_link_to_registered_people(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5, status="cancelled")
    register(attendee, soon_event)

    html = _html(client_for(attendee), session)

    assert not _joinable(html, session)
    assert "This session will not take place." in html


def test_join_window_follows_the_setting(settings, attendee, soon_event):
    settings.JOIN_WINDOW_MINUTES = 60
    session = session_at(soon_event, minutes_from_now=50)
    register(attendee, soon_event)

    assert _joinable(_html(client_for(attendee), session), session)


def _join_url(session) -> str:
    return reverse("attendance:join", kwargs={"session": session.pk})


def test_join_page_shows_the_button_and_records_nothing(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5, title="Spreading ideas")
    register(attendee, soon_event)

    response = client_for(attendee).get(_join_url(session))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<form method="post" action="{_join_url(session)}">' in html
    assert "Join now<span" in html
    assert "Join “Spreading ideas”" in html
    assert JOIN not in html
    assert not Attendance.objects.exists()


def test_join_button_records_attendance_once_and_redirects_to_the_link(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5)
    register(attendee, soon_event)
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)
    page = client.get(_join_url(session))
    token = page.context["csrf_token"]

    first = client.post(_join_url(session), {"csrfmiddlewaretoken": token})
    again = client.post(_join_url(session), {"csrfmiddlewaretoken": token})

    assert [(r.status_code, r["Location"]) for r in (first, again)] == [(302, JOIN)] * 2
    [attendance] = Attendance.objects.all()
    assert (attendance.user, attendance.session, attendance.source) == (
        attendee,
        session,
        "join_link",
    )


def test_join_post_from_another_site_is_refused_and_records_nothing(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5)
    register(attendee, soon_event)
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)

    response = client.post(_join_url(session))

    assert response.status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("page", ["session", "agenda"])
def test_join_now_on_the_session_page_and_agenda_is_a_post_button(attendee, soon_event, page):
    session = session_at(soon_event, minutes_from_now=5)
    register(attendee, soon_event)
    services.star_add(user=attendee, session=session)
    url = session.get_absolute_url() if page == "session" else reverse("attendance:agenda")

    html = client_for(attendee).get(url).content.decode()

    assert f'<form method="post" action="{_join_url(session)}">' in html
    assert f'href="{_join_url(session)}"' not in html


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("case", ["before_window", "not_registered"])
def test_join_view_refuses_outside_the_rule(case, method, attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=60 if case == "before_window" else 5)
    if case == "before_window":
        register(attendee, soon_event)

    response = getattr(client_for(attendee), method)(_join_url(session))

    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert not Attendance.objects.exists()


def test_join_view_sends_anonymous_visitors_to_sign_in(soon_event):
    session = session_at(soon_event, minutes_from_now=5)

    response = Client().get(_join_url(session))

    assert outcome(response) == LOGIN
    assert response["Location"] == sign_in_url(_join_url(session))


def test_attendance_record_join_keeps_the_first_time(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5)
    first = services.attendance_record_join(session=session, user=attendee)

    again = services.attendance_record_join(session=session, user=attendee)

    assert again.pk == first.pk
    assert Attendance.objects.count() == 1


def test_public_programme_and_calendar_never_contain_the_link(attendee, soon_event):
    session = session_at(soon_event, minutes_from_now=5)
    register(attendee, soon_event)
    client = client_for(attendee)

    pages = [
        client.get(reverse("events:programme", kwargs={"event": soon_event.slug})),
        client.get(reverse("events:event_calendar", kwargs={"event": soon_event.slug})),
        client.get(
            reverse(
                "events:session_calendar",
                kwargs={"event": soon_event.slug, "session": session.slug},
            )
        ),
    ]

    assert all(JOIN not in page.content.decode() for page in pages)
    assert Registration.objects.get().state == "confirmed"
    assert Booking.objects.count() == 0
