"""Booking sessions with places: waiting list, promotion, refusals, concurrency."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from convene.attendance import services
from convene.attendance.models import Booking
from convene.core.models import OutgoingEmail
from tests.attendance.conftest import register
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _book_url(session):
    return reverse("attendance:book", kwargs={"session": session.pk})


def test_booking_takes_places_then_the_waiting_list(workshop):
    people = [register(UserFactory(), workshop.event) for _ in range(3)]

    bookings = [services.booking_create(registration=r, session=workshop) for r in people]

    assert [b.state for b in bookings] == ["booked", "booked", "waiting"]


def test_cancelling_a_place_promotes_the_next_person_and_emails_them(
    attendee, outsider, workshop, mail
):
    workshop.capacity = 1
    workshop.save()
    first = register(outsider, workshop.event)
    waiting = register(attendee, workshop.event)
    held = services.booking_create(registration=first, session=workshop)
    services.booking_create(registration=waiting, session=workshop)
    mail.messages.clear()

    response = client_for(outsider).post(
        reverse("attendance:cancel_booking", kwargs={"session": workshop.pk})
    )

    held.refresh_from_db()
    assert response.status_code == 302
    assert held.state == "cancelled"
    assert Booking.objects.get(registration=waiting).state == "booked"
    [message] = mail.messages
    assert message.to == ["attendee@example.org"]
    assert message.subject == "You have a place: Workshop"
    # Convene's join address (it opens in the join window), not the raw link.
    assert f"http://127.0.0.1:8000/sessions/{workshop.pk}/join/" in message.body
    assert "https://teams.example.org/meet/convene-1" not in message.body
    [attachment] = list(message.message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"


def test_raising_the_capacity_promotes_people_waiting(attendee, outsider, workshop, mail):
    workshop.capacity = 0
    workshop.save()
    services.booking_create(registration=register(attendee, workshop.event), session=workshop)
    mail.messages.clear()

    workshop.capacity = 1
    workshop.save()

    assert Booking.objects.get().state == "booked"
    assert [m.subject for m in mail.messages] == ["You have a place: Workshop"]


def test_booking_a_cancelled_session_is_refused_and_changes_nothing(attendee, workshop):
    workshop.status = "cancelled"
    workshop.save()
    register(attendee, workshop.event)

    response = client_for(attendee).post(_book_url(workshop), follow=True)

    assert "This session has been cancelled: it cannot be booked." in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("not_registered", "Register for the event before you book a session."),
        ("twice", "You already have a place in this session."),
        ("drop_in", "This is a drop-in session: you do not need to book it."),
    ],
)
def test_bad_bookings_get_a_clear_message(attendee, workshop, drop_in, setup, message):
    session = drop_in if setup == "drop_in" else workshop
    if setup != "not_registered":
        register(attendee, workshop.event)
    if setup == "twice":
        client_for(attendee).post(_book_url(session))
    before = list(Booking.objects.values())

    response = client_for(attendee).post(_book_url(session), follow=True)

    assert message in response.content.decode()
    assert list(Booking.objects.values()) == before


def test_booking_again_after_cancelling_reuses_the_row_at_the_back_of_the_queue(attendee, workshop):
    registration = register(attendee, workshop.event)
    booking = services.booking_create(registration=registration, session=workshop)
    services.booking_cancel(booking=booking)

    again = services.booking_create(registration=registration, session=workshop)

    assert again.pk == booking.pk
    assert again.state == "booked"
    assert Booking.objects.count() == 1


def test_cancelling_the_registration_cancels_bookings_and_frees_places(
    attendee, outsider, workshop
):
    workshop.capacity = 1
    workshop.save()
    first = register(attendee, workshop.event)
    services.booking_create(registration=first, session=workshop)
    services.booking_create(registration=register(outsider, workshop.event), session=workshop)

    services.registration_cancel(registration=first)

    states = dict(Booking.objects.values_list("registration__user__email", "state"))
    assert states == {"attendee@example.org": "cancelled", "outsider@example.org": "booked"}


def test_cancelling_twice_is_refused(attendee, workshop):
    booking = services.booking_create(
        registration=register(attendee, workshop.event), session=workshop
    )
    services.booking_cancel(booking=booking)

    with pytest.raises(ValidationError, match="already cancelled"):
        services.booking_cancel(booking=booking)


@pytest.mark.django_db(transaction=True)
def test_concurrent_booking_never_exceeds_the_capacity(workshop):
    """Twelve people press "Book" at the same moment for 3 places, each in its own
    thread and database connection (FOR UPDATE on PostgreSQL, IMMEDIATE on SQLite)."""
    workshop.capacity = 3
    workshop.save()
    registrations = [register(UserFactory(), workshop.event) for _ in range(12)]
    start = threading.Barrier(len(registrations))
    errors: list[BaseException] = []

    def book(registration):
        try:
            start.wait()
            services.booking_create(registration=registration, session=workshop)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(r,)) for r in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    states = list(Booking.objects.values_list("state", flat=True))
    assert errors == []
    assert sorted(states) == ["booked"] * 3 + ["waiting"] * 9
    assert OutgoingEmail.objects.filter(kind="promotion").count() == 0
