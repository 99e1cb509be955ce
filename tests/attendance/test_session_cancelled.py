"""An organiser cancels a session: everyone booked or waiting is told, once,
with a calendar file that takes the session out of their calendar."""

import icalendar
import pytest
from django.urls import reverse

from convene.attendance.models import Booking
from convene.attendance.services import booking_create
from convene.core import outbox
from convene.core.models import OutgoingEmail
from convene.events import services as event_services
from tests.attendance.conftest import register
from tests.conftest import client_for
from tests.factories import EventRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(soon_event):
    """The organiser of the event the workshop is in."""
    user = UserFactory(email="organiser@example.org", name="Olu Organiser")
    EventRoleFactory(event=soon_event, user=user, role="organiser")
    return user


@pytest.fixture
def full_workshop(workshop, attendee, outsider, mail):
    """Two places: attendee (no reminders wanted) and Bea booked, Cy waiting;
    outsider registered for the event but booked nothing."""
    booked = [
        register(attendee, workshop.event, email_consent=False),
        register(UserFactory(email="bea@example.org", name="Bea"), workshop.event),
    ]
    waiting = register(UserFactory(email="cy@example.org", name="Cy"), workshop.event)
    register(outsider, workshop.event, email_consent=True)
    for registration in [*booked, waiting]:
        booking_create(registration=registration, session=workshop)
    mail.messages.clear()
    return workshop


def _calendar_event(payload: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(payload)
    [vevent] = calendar.walk("VEVENT")
    return calendar, vevent


def _cancel(organiser, session, data=None, **kwargs):
    """The organiser's Cancel button (data={"reinstate": "yes"}: Reinstate)."""
    url = reverse(
        "events:orga_session_cancel", kwargs={"event": session.event.slug, "pk": session.pk}
    )
    return client_for(organiser).post(url, data or {}, **kwargs)


def test_cancelling_a_session_emails_everyone_booked_or_waiting_a_calendar_cancellation(
    full_workshop, organiser, mail
):
    url = reverse(
        "events:session_calendar",
        kwargs={"event": full_workshop.event.slug, "session": full_workshop.slug},
    )
    _, original = _calendar_event(client_for(organiser).get(url).content)

    response = _cancel(organiser, full_workshop)

    assert response.status_code == 302
    assert sorted((m.to[0], m.subject) for m in mail.messages) == [
        ("attendee@example.org", "Cancelled: Workshop"),
        ("bea@example.org", "Cancelled: Workshop"),
        ("cy@example.org", "Cancelled: Workshop"),
    ]
    for message in mail.messages:
        assert "has been cancelled and will not take place" in message.body
        assert "List-Unsubscribe" not in message.message  # about their booking, not marketing
        [attachment] = list(message.message.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
        assert attachment.get_param("method") == "CANCEL"
        calendar, vevent = _calendar_event(attachment.get_content().encode())
        assert str(calendar["method"]) == "CANCEL"
        assert str(vevent["status"]) == "CANCELLED"
        assert str(vevent["uid"]) == str(original["uid"]) == f"{full_workshop.uid}@convene"
        assert vevent["sequence"] > original["sequence"]
    assert set(
        OutgoingEmail.objects.filter(kind="cancellation").values_list("state", flat=True)
    ) == {"sent"}


def test_bookings_stay_and_the_waiting_list_is_not_promoted(full_workshop, organiser, attendee):
    _cancel(organiser, full_workshop)
    full_workshop.refresh_from_db()

    event_services.session_update(session=full_workshop, capacity=3, by=None)  # a free place

    assert sorted(full_workshop.bookings.values_list("registration__email", "state")) == [
        ("attendee@example.org", Booking.State.BOOKED),
        ("bea@example.org", Booking.State.BOOKED),
        ("cy@example.org", Booking.State.WAITING),
    ]
    agenda = client_for(attendee).get(reverse("attendance:agenda")).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Cancelled</strong>' in agenda


def test_cancelling_again_or_re_running_the_sender_sends_nothing_more(
    full_workshop, organiser, mail
):
    _cancel(organiser, full_workshop)
    sent = len(mail.messages)

    again = _cancel(organiser, full_workshop, follow=True)
    full_workshop.refresh_from_db()
    full_workshop.title = "Workshop (cancelled)"  # an edit after cancelling is no new cancellation
    full_workshop.save()
    for row in OutgoingEmail.objects.filter(kind="cancellation"):
        outbox.email_send(email_id=row.pk)

    assert "This session is already cancelled." in again.content.decode()
    assert (sent, len(mail.messages)) == (3, 3)
    assert OutgoingEmail.objects.filter(kind="cancellation").count() == 3


def test_reinstated_then_cancelled_again_is_a_new_cancellation(full_workshop, organiser, mail):
    _cancel(organiser, full_workshop)
    _cancel(organiser, full_workshop, {"reinstate": "yes"})

    _cancel(organiser, full_workshop)

    assert sorted(m.to[0] for m in mail.messages) == sorted(
        ["attendee@example.org", "bea@example.org", "cy@example.org"] * 2
    )


def test_a_cancellation_reinstated_before_it_was_sent_is_not_sent(
    full_workshop, organiser, mail, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # not at once
    event_services.session_cancel(session=full_workshop, by=None)
    event_services.session_reinstate(session=full_workshop, by=None)

    states = {
        outbox.email_send(email_id=pk)
        for pk in OutgoingEmail.objects.filter(kind="cancellation").values_list("pk", flat=True)
    }

    assert mail.messages == []
    assert states == {"failed"}
    assert set(
        OutgoingEmail.objects.filter(kind="cancellation").values_list("last_error", flat=True)
    ) == {"No longer needed."}


def test_a_drop_in_session_or_a_session_nobody_booked_emails_nobody(
    drop_in, workshop, attendee, organiser, mail
):
    register(attendee, drop_in.event, email_consent=True)
    mail.messages.clear()

    _cancel(organiser, drop_in)
    _cancel(organiser, workshop)

    assert mail.messages == []
    assert not OutgoingEmail.objects.filter(kind="cancellation").exists()
