"""Closed registration (the event has ended) says so on the event page, the
session pages and the registration page, and offers no way to register."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from convene.attendance.models import Registration
from convene.events.demo import demo_load
from convene.events.models import Session
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

CLOSED = "This event has ended: registration is closed."
FORM = '<form method="post" novalidate>'


@pytest.fixture
def ended(db):
    return EventFactory(
        slug="ended", title="Ended event", start_date=date(2020, 1, 1), end_date=date(2020, 1, 2)
    )


def _register_url(event) -> str:
    return reverse("attendance:register", kwargs={"event": event.slug})


@pytest.mark.parametrize("persona", ["anonymous", "attendee"])
def test_the_past_demo_event_says_registration_is_closed_and_has_no_register_button(
    as_persona, persona
):
    demo_load()
    client = as_persona(persona)

    html = client.get("/events/big-conversation-2022/").content.decode()

    assert CLOSED in html
    assert "Register for this event" not in html
    assert "/events/big-conversation-2022/register/" not in html


@pytest.mark.parametrize("persona", ["anonymous", "attendee"])
def test_session_page_of_an_ended_event_says_registration_is_closed(as_persona, ended, persona):
    session = SessionFactory(event=ended, slug="talk", title="Talk")
    client = as_persona(persona)

    html = client.get(session.get_absolute_url()).content.decode()

    assert "This session has ended." in html
    assert CLOSED in html
    assert _register_url(ended) not in html


@pytest.mark.parametrize("persona", ["anonymous", "attendee"])
def test_registration_page_of_an_ended_event_shows_the_closed_message_not_the_form(
    as_persona, ended, persona
):
    client = as_persona(persona)

    response = client.get(_register_url(ended))

    html = response.content.decode()
    assert response.status_code == 200
    assert CLOSED in html
    assert 'role="region" aria-labelledby="registration-closed-title"' in html
    assert FORM not in html
    assert 'name="email"' not in html


def test_a_registration_sent_to_an_ended_event_is_refused_with_a_focused_message(ended):
    response = Client().post(
        _register_url(ended), {"email": "sam@example.org", "name": "Sam", "privacy": "on"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Register for Ended event" in html
    assert 'role="alert" aria-labelledby="registration-closed-title"' in html
    assert CLOSED in html
    assert FORM not in html
    assert not Registration.objects.exists()


def test_the_registration_page_of_an_open_event_still_shows_the_form(client):
    demo_load()
    upcoming = Session.objects.filter(event__slug="spread-and-adoption-conversation").first()

    html = client.get(_register_url(upcoming.event)).content.decode()

    assert FORM in html
    assert CLOSED not in html
