"""Reminders, recording notices, organiser messages and unsubscribing, over real SMTP.

Exactly once (core/outbox.py): each person gets each email once,
however often the scheduler runs and whatever happens to a worker.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from convene.attendance import reminders, services, tokens
from convene.attendance.models import Registration
from convene.core import outbox
from convene.core.models import OutgoingEmail
from tests.attendance.conftest import JOIN, register, session_at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_and_starred(soon_event, attendee, outsider, mail):
    """Session starts in 30 hours; attendee booked it, outsider starred it; both
    agreed to reminders. A third person registered without consent."""
    session = session_at(soon_event, minutes_from_now=30 * 60, capacity=5, title="Spread")
    booked = register(attendee, soon_event, email_consent=True)
    services.booking_create(registration=booked, session=session)
    register(outsider, soon_event, email_consent=True)
    services.star_add(user=outsider, session=session)
    quiet = register(UserFactory(email="quiet@example.org"), soon_event, email_consent=False)
    services.booking_create(registration=quiet, session=session)
    mail.messages.clear()
    return session


def _reminders(mail):
    return sorted((m.to[0], m.subject) for m in mail.messages if "Starting soon" in m.subject)


def test_reminders_go_24_hours_and_15_minutes_before_once_each(booked_and_starred, mail):
    session = booked_and_starred
    day_before = session.start - timedelta(hours=23, minutes=59)
    quarter_before = session.start - timedelta(minutes=14)

    for _ in range(3):  # the scheduler runs every minute; repeats add nothing
        reminders.reminders_schedule(now=session.start - timedelta(hours=25))
        reminders.reminders_schedule(now=day_before)
        reminders.reminders_schedule(now=quarter_before)

    expected = [
        ("attendee@example.org", "Starting soon: Spread"),
        ("outsider@example.org", "Starting soon: Spread"),
    ]
    assert _reminders(mail) == sorted(expected * 2)
    by_person = {m.to[0]: m for m in mail.messages}
    join = f"http://127.0.0.1:8000/sessions/{session.pk}/join/"  # Convene's, not the raw link
    assert join in by_person["attendee@example.org"].body  # booked: the join address
    assert join not in by_person["outsider@example.org"].body  # starred, no place
    assert all(JOIN not in m.body for m in mail.messages)
    assert (
        "has limited places and you have not booked one" in by_person["outsider@example.org"].body
    )


def test_reminders_carry_one_click_unsubscribe_that_works(booked_and_starred, mail):
    reminders.reminders_schedule(now=booked_and_starred.start - timedelta(hours=23))
    message = next(m for m in mail.messages if m.to == ["attendee@example.org"])
    header = message.message["List-Unsubscribe"]
    url = header.strip("<>")

    # RFC 8058: the mail provider POSTs this body, without cookies or CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://127.0.0.1:8000"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message.get_body(preferencelist=("html",)) is not None
    assert response.status_code == 200
    assert not Registration.objects.get(email="attendee@example.org").email_consent
    mail.messages.clear()
    reminders.reminders_schedule(now=booked_and_starred.start - timedelta(minutes=10))
    assert _reminders(mail) == [("outsider@example.org", "Starting soon: Spread")]


def test_unsubscribe_page_asks_before_acting_and_refuses_bad_tokens(attendee, soon_event):
    registration = register(attendee, soon_event, email_consent=True)
    url = reverse(
        "attendance:unsubscribe", kwargs={"token": tokens.unsubscribe_token(registration)}
    )

    Client().get(url)
    bad = Client().post(reverse("attendance:unsubscribe", kwargs={"token": "forged"}))

    registration.refresh_from_db()
    assert registration.email_consent is True
    assert bad.status_code == 400


def test_recording_available_goes_once_to_people_who_wanted_the_session(booked_and_starred, mail):
    first = services.recording_available_notify(session=booked_and_starred)
    second = services.recording_available_notify(session=booked_and_starred)

    assert (first, second) == (2, 0)
    assert sorted(m.to[0] for m in mail.messages) == [
        "attendee@example.org",
        "outsider@example.org",
    ]
    assert {m.subject for m in mail.messages} == {"Recording available: Spread"}
    assert all(m.message["List-Unsubscribe"] for m in mail.messages)


def test_emails_no_longer_wanted_are_not_sent(booked_and_starred, mail):
    reminders.reminders_schedule(now=booked_and_starred.start - timedelta(hours=25))
    booked_and_starred.status = "cancelled"
    booked_and_starred.save()

    reminders.reminders_schedule(now=booked_and_starred.start - timedelta(hours=23))

    assert _reminders(mail) == []


# --- Exactly once across worker crashes ---------------------------------------------


@pytest.fixture
def database_queue(settings):
    """The real database queue (django-tasks-db), as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker(worker_id: str) -> None:
    """The db_worker's own loop, in batch mode: every ready task, then return."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def three_recorded(database_queue, soon_event, mail):
    session = session_at(soon_event, minutes_from_now=10, title="Spread")
    for n in range(3):
        registration = register(
            UserFactory(email=f"p{n}@example.org"), soon_event, email_consent=True
        )
        services.star_add(user=registration.user, session=session)
    OutgoingEmail.objects.all().delete()
    _run_worker("clear-confirmations")
    mail.messages.clear()
    reminders.reminders_schedule()
    return session


def test_crash_after_claiming_is_retried_and_sent_once(three_recorded, mail):
    # A worker claims every reminder, then dies before sending (nothing ran after).
    ids = list(OutgoingEmail.objects.values_list("pk", flat=True))
    assert all(outbox.email_claim(email_id=pk, worker="dead") for pk in ids)

    _run_worker("w1")  # the queued tasks: the rows are leased to the dead worker
    assert mail.messages == []
    later = timezone.now() + outbox.LEASE + timedelta(seconds=1)
    assert outbox.emails_recover(now=later) == {"requeued": 3, "uncertain": 0}
    OutgoingEmail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    _run_worker("w2")
    outbox.emails_recover(now=later + outbox.LEASE)
    _run_worker("w3")

    assert sorted(m.to[0] for m in mail.messages) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert set(OutgoingEmail.objects.values_list("state", "attempts")) == {("sent", 2)}


def test_crash_after_sending_is_never_sent_again(three_recorded, mail):
    from django.core.mail import mailers

    # A worker claims one row, marks it sending, hands it to the server, and dies
    # before recording "sent".
    row = OutgoingEmail.objects.first()
    outbox.email_claim(email_id=row.pk, worker="dying")
    OutgoingEmail.objects.filter(pk=row.pk).update(state="sending")
    mailers.default.send_messages([outbox.message_for(OutgoingEmail.objects.get(pk=row.pk))])

    later = timezone.now() + outbox.LEASE + timedelta(seconds=1)
    recovered = outbox.emails_recover(now=later)
    _run_worker("w1")
    _run_worker("w2")

    assert recovered["uncertain"] == 1
    assert sorted(m.to[0] for m in mail.messages) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert OutgoingEmail.objects.get(pk=row.pk).state == "uncertain"


def test_refused_by_the_server_goes_back_to_pending(three_recorded, mail, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }

    _run_worker("w1")

    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"pending"}
    assert mail.messages == []
