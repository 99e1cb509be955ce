"""Registered people change their reminder choice later: on the event page and
in their profile. Only the registration's own person may."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from convene.attendance import reminders, services
from convene.attendance.models import Registration
from convene.core.models import OutgoingEmail
from tests.attendance.conftest import register, session_at
from tests.conftest import client_for
from tests.factories import EventFactory
from tests.personas import LOGIN, outcome

pytestmark = pytest.mark.django_db


def _choice_url(registration):
    return reverse("attendance:emails", kwargs={"registration": registration.pk})


def _field(registration) -> str:
    return f"registration-{registration.pk}-email_consent"


def _checkbox(html: str, registration) -> str:
    match = re.search(rf'<input[^>]*name="{_field(registration)}"[^>]*>', html)
    assert match, "no email choice checkbox on the page"
    return match.group(0)


@pytest.fixture
def booked_tomorrow(soon_event, attendee, mail):
    """Starts in 30 hours; attendee registered without reminders and booked it."""
    session = session_at(soon_event, minutes_from_now=30 * 60, capacity=5, title="Spread")
    registration = register(attendee, soon_event, email_consent=False)
    services.booking_create(registration=registration, session=session)
    mail.messages.clear()
    return session


def _reminders_due(session):
    reminders.reminders_schedule(now=session.start - timedelta(hours=23))
    return sorted(OutgoingEmail.objects.filter(kind="reminder").values_list("recipient", flat=True))


def test_registered_person_turns_reminders_on_from_the_event_page(booked_tomorrow, attendee, mail):
    event = booked_tomorrow.event
    registration = Registration.objects.get(user=attendee)
    client = client_for(attendee)
    page = client.get(event.get_absolute_url()).content.decode()

    response = client.post(
        _choice_url(registration), {_field(registration): "on", "next": event.get_absolute_url()}
    )

    assert 'class="nhsuk-checkboxes__input"' in _checkbox(page, registration)
    assert "checked" not in _checkbox(page, registration)
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    registration.refresh_from_db()
    assert registration.email_consent is True
    assert _reminders_due(booked_tomorrow) == ["attendee@example.org"]
    assert [(m.to[0], m.subject) for m in mail.messages] == [
        ("attendee@example.org", "Starting soon: Spread")
    ]
    after = client.get(event.get_absolute_url()).content.decode()
    assert "checked" in _checkbox(after, registration)


def test_registered_person_turns_reminders_off_in_their_profile(soon_event, attendee, mail):
    session = session_at(soon_event, minutes_from_now=30 * 60, title="Spread")
    registration = register(attendee, soon_event, email_consent=True)
    services.star_add(user=attendee, session=session)
    client = client_for(attendee)
    profile = client.get(reverse("accounts:profile")).content.decode()

    response = client.post(_choice_url(registration), {"next": reverse("accounts:profile")})

    assert "Spread Conversation" in profile
    assert "checked" in _checkbox(profile, registration)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    registration.refresh_from_db()
    assert registration.email_consent is False
    assert _reminders_due(session) == []


def test_another_person_cannot_change_someone_elses_choice(booked_tomorrow, attendee, outsider):
    registration = Registration.objects.get(user=attendee)
    register(outsider, booked_tomorrow.event)  # registered for the same event, even

    as_outsider = client_for(outsider).post(_choice_url(registration), {_field(registration): "on"})
    shown = client_for(outsider).get(_choice_url(registration))
    anonymous = Client().post(_choice_url(registration), {_field(registration): "on"})

    assert (as_outsider.status_code, shown.status_code) == (404, 404)
    assert outcome(anonymous) == LOGIN
    registration.refresh_from_db()
    assert registration.email_consent is False


def test_choice_needs_the_csrf_token(booked_tomorrow, attendee):
    registration = Registration.objects.get(user=attendee)
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)

    response = client.post(_choice_url(registration), {_field(registration): "on"})

    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.email_consent is False


def test_a_cancelled_registration_re_renders_the_form_with_the_reason(booked_tomorrow, attendee):
    registration = Registration.objects.get(user=attendee)
    services.registration_cancel(registration=registration)

    response = client_for(attendee).post(_choice_url(registration), {_field(registration): "on"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "This registration is cancelled" in html
    assert _field(registration) in html
    registration.refresh_from_db()
    assert registration.email_consent is False


def test_the_form_page_works_on_its_own_without_javascript(booked_tomorrow, attendee):
    registration = Registration.objects.get(user=attendee)

    response = client_for(attendee).get(_choice_url(registration))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="{_choice_url(registration)}"' in html
    assert "checked" not in _checkbox(html, registration)


def test_registration_cannot_be_changed_by_service_when_cancelled(booked_tomorrow, attendee):
    registration = Registration.objects.get(user=attendee)
    services.registration_cancel(registration=registration)

    with pytest.raises(ValidationError):
        services.registration_update_preferences(registration=registration, email_consent=True)

    registration.refresh_from_db()
    assert registration.email_consent is False


@pytest.mark.parametrize("count", [1, 3])
def test_profile_lists_registrations_in_a_fixed_number_of_queries(
    attendee, django_assert_num_queries, count
):
    for n in range(count):
        register(attendee, EventFactory(slug=f"event-{n}", title=f"Event {n}"))
    client = client_for(attendee)
    client.get(reverse("accounts:profile"))  # the session row, warmed

    with django_assert_num_queries(3):  # session, user, registrations with events
        html = client.get(reverse("accounts:profile")).content.decode()

    assert [f"Event {n}" in html for n in range(count)] == [True] * count
