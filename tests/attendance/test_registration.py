"""Registering for an event: one click when signed in, a confirmed email otherwise."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from convene.accounts.models import User
from convene.attendance.models import Registration
from convene.core.models import OutgoingEmail
from tests.attendance.conftest import JOIN, register
from tests.conftest import client_for
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _register_url(event):
    return reverse("attendance:register", kwargs={"event": event.slug})


def test_signed_in_person_registers_in_one_click_and_gets_an_ics(attendee, drop_in, mail):
    event = drop_in.event

    response = client_for(attendee).post(_register_url(event), {"next": event.get_absolute_url()})

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert (registration.user, registration.email, registration.state) == (
        attendee,
        "attendee@example.org",
        Registration.State.CONFIRMED,
    )
    assert registration.name == "Ade Attendee"
    [message] = mail.messages
    assert message.to == ["attendee@example.org"]
    assert message.subject == "You are registered for Spread Conversation"
    assert "List-Unsubscribe" not in message.message  # transactional
    [attachment] = list(message.message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Drop-in"
    assert str(vevent["location"]) == f"http://127.0.0.1:8000/sessions/{drop_in.pk}/join/"
    assert JOIN not in attachment.get_content()  # not weeks ahead
    assert vevent["dtstart"].dt == drop_in.start
    assert message.message.get_body(preferencelist=("html",)) is not None


def test_second_registration_is_refused_with_a_message_and_changes_nothing(attendee, drop_in, mail):
    client = client_for(attendee)
    client.post(_register_url(drop_in.event))
    before = list(Registration.objects.values())

    response = client.post(_register_url(drop_in.event), follow=True)

    assert "You are already registered for this event." in response.content.decode()
    assert list(Registration.objects.values()) == before
    assert len(mail.messages) == 1


def test_malformed_email_is_refused_clearly_and_nothing_is_stored(drop_in, mail):
    response = Client().post(_register_url(drop_in.event), {"name": "Ann", "email": "ann@@example"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the correct format, like name@example.org" in html
    assert not Registration.objects.exists()
    assert mail.messages == []


def test_anonymous_registration_counts_only_after_the_emailed_link(drop_in, mail):
    client = Client()

    response = client.post(
        _register_url(drop_in.event),
        {
            "name": "Ann Other",
            "email": "Ann@Example.org",
            "organisation": "NHS Horizons",
            "job_role": "Improvement lead",
            "heard_from": "colleague",
            "access_needs": "Captions",
            "email_consent": "on",
        },
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.state == Registration.State.UNCONFIRMED
    assert (registration.email, registration.access_needs) == ("ann@example.org", "Captions")
    assert not User.objects.filter(email="ann@example.org").exists()
    [message] = mail.messages
    assert message.subject == "Confirm your registration for Spread Conversation"
    [link] = [url for url in message.links if "/register/confirm/" in url]
    path = link.removeprefix("http://127.0.0.1:8000")
    # Opening the link asks; only the button confirms (mail scanners open links).
    assert client.get(path).status_code == 200
    assert Registration.objects.get().state == Registration.State.UNCONFIRMED

    response = client.post(path)

    registration.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:agenda")
    assert registration.state == Registration.State.CONFIRMED
    assert registration.user == User.objects.get(email="ann@example.org")
    assert client.get(reverse("attendance:agenda")).status_code == 200  # signed in
    assert [m.subject for m in mail.messages] == [
        "Confirm your registration for Spread Conversation",
        "You are registered for Spread Conversation",
    ]


def test_a_tampered_confirmation_link_is_refused(drop_in):
    response = Client().post(reverse("attendance:confirm", kwargs={"token": "not-a-token"}))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_anonymous_second_registration_of_a_registered_address_changes_nothing(
    attendee, drop_in, mail
):
    register(attendee, drop_in.event, email_consent=True)
    before = Registration.objects.values("state", "name", "email_consent").get()

    response = Client().post(
        _register_url(drop_in.event), {"name": "Someone Else", "email": "attendee@example.org"}
    )

    assert response.status_code == 302  # the same answer as for anyone: no leak
    assert Registration.objects.values("state", "name", "email_consent").get() == before
    assert mail.messages[-1].subject == "You are already registered for Spread Conversation"


def test_cancel_then_register_again_reuses_the_one_row(attendee, drop_in, mail):
    client = client_for(attendee)
    client.post(_register_url(drop_in.event))

    client.post(reverse("attendance:cancel", kwargs={"event": drop_in.event.slug}))
    cancelled = Registration.objects.get()
    client.post(_register_url(drop_in.event))

    registration = Registration.objects.get()
    assert cancelled.state == Registration.State.CANCELLED
    assert registration.pk == cancelled.pk
    assert registration.state == Registration.State.CONFIRMED
    # Each registration gets its own confirmation (a new purpose key).
    assert OutgoingEmail.objects.filter(kind="confirmation").count() == 2


def test_registration_for_an_event_that_has_ended_is_refused(attendee):
    event = EventFactory(start_date="2020-01-01", end_date="2020-01-02")

    response = client_for(attendee).post(_register_url(event), follow=True)

    assert "This event has ended: registration is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_of_a_draft_event_answers_404(attendee):
    event = EventFactory(status="draft")

    responses = [
        client_for(attendee).post(_register_url(event)),
        Client().get(_register_url(event)),
    ]

    assert [r.status_code for r in responses] == [404, 404]


def test_registration_form_asks_for_details_and_consent(client, drop_in):
    html = client.get(_register_url(drop_in.event)).content.decode()

    for label in [
        "Full name",
        "Email address",
        "Organisation",
        "Role",
        "How did you hear about the event",
        "Access needs",
        "Email me reminders before sessions and when recordings are available",
    ]:
        assert label in html
