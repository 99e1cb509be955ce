"""Every change to registrations, bookings, stars, attendance and calendar links.

Each function is one state change: keyword-only, atomic, side effects listed
in order. Emails are never sent here: a service records an outgoing email
(core/outbox.py; attendance's builders are in emails.py) in the same
transaction, and a task sends it after commit, exactly once.

Capacity: `booking_create` and `booking_cancel` lock the session row
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction
already holds the database's write lock), then count the booked places, so two
people never take the last place at once.
"""

from datetime import datetime, timedelta
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from convene.accounts import services as accounts_services
from convene.accounts.models import User
from convene.attendance.emails import Kind, payload
from convene.attendance.models import (
    Attendance,
    Booking,
    CalendarLink,
    Registration,
    Star,
    new_calendar_token,
)
from convene.core import audit, outbox
from convene.core.models import OutgoingEmail
from convene.events.models import Event, Session

REGISTRATION_FIELDS = (
    "name",
    "organisation",
    "job_role",
    "heard_from",
    "access_needs",
    "email_consent",
)

ALREADY_REGISTERED = "You are already registered for this event."


def _stamp(moment: datetime) -> str:
    """Microseconds: a second registration in the same second is still a new email."""
    return str(int(moment.timestamp() * 1_000_000))


def _check_event_open(event: Event) -> None:
    if event.end_date < timezone.localdate(timezone=event.tz):
        raise ValidationError("This event has ended: registration is closed.")


def _confirmation_email(registration: Registration) -> None:
    confirmed_at = cast(datetime, registration.confirmed_at)  # both callers have just set it
    outbox.email_record(
        kind=Kind.CONFIRMATION,
        recipient=registration.email,
        purpose=f"confirmation:{registration.pk}:{_stamp(confirmed_at)}",
        payload=payload(registration),
    )


@transaction.atomic
def registration_create(*, event: Event, user: User, **details: object) -> Registration:
    """Register a signed-in person (one click): confirmed at once.

    Side effects: 1. a registration row (or the person's cancelled one comes
    back, with the new details: never a second row); 2. a confirmation email
    with the calendar file is recorded and sent after commit.
    Refused (ValidationError, nothing changes) when already registered or the
    event has ended.
    """
    _check_event_open(event)
    registration = (
        Registration.objects.select_for_update().filter(event=event, user=user).first()
        or Registration.objects.select_for_update().filter(event=event, email=user.email).first()
    )
    if registration is not None and registration.is_confirmed:
        raise ValidationError(ALREADY_REGISTERED)
    if registration is None:
        registration = Registration(event=event)
    registration.user = user
    registration.email = user.email
    registration.name = str(details.get("name") or user.name or user.email)
    for field in REGISTRATION_FIELDS[1:]:
        if field in details:
            setattr(registration, field, details[field])
    registration.state = Registration.State.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.cancelled_at = None
    registration.full_clean()
    registration.save()
    _confirmation_email(registration)
    return registration


# Confirmation emails one address can be sent an hour by people who are not signed in.
VERIFY_EMAILS_PER_HOUR = 3


@transaction.atomic
def registration_request(*, event: Event, email: str, **details: object) -> Registration:
    """Register someone who is not signed in: nothing counts until they confirm.

    Side effects: 1. the registration row is made or updated (state
    unconfirmed, the details given) unless already confirmed, which stays
    exactly as it was; 2. an email is recorded and sent after commit: the
    confirmation link, or, when already registered, a note saying so (the page
    says the same either way, so it does not reveal who registered), unless the
    address has had VERIFY_EMAILS_PER_HOUR of these in the last hour, from any
    event: then none, so the form cannot flood someone's inbox (the page is
    the same again).
    """
    _check_event_open(event)
    email = email.strip().lower()
    registration = Registration.objects.select_for_update().filter(
        event=event, email=email
    ).first() or Registration(event=event, email=email)
    if not registration.is_confirmed:
        for field in REGISTRATION_FIELDS:
            if field in details:
                setattr(registration, field, details[field])
        registration.state = Registration.State.UNCONFIRMED
        registration.cancelled_at = None
        registration.full_clean()
    recent = OutgoingEmail.objects.filter(
        recipient=email,
        kind=Kind.VERIFY,
        created_at__gte=timezone.now() - timedelta(hours=1),
    )
    # Past the limit no email goes, and the last link sent stays the one that works.
    may_email = recent.count() < VERIFY_EMAILS_PER_HOUR
    if may_email:
        registration.confirmation_requests += 1
    registration.save()
    if may_email:
        outbox.email_record(
            kind=Kind.VERIFY,
            recipient=email,
            purpose=f"verify:{registration.pk}:{registration.confirmation_requests}",
            payload=payload(registration),
        )
    return registration


@transaction.atomic
def registration_confirm(*, registration: Registration) -> tuple[Registration, User, bool]:
    """Confirm an emailed registration; returns (registration, person, confirmed
    now): False when it was confirmed already (the link was used before).

    Side effects: 1. the address counts as verified, on the account that owns
    it now (accounts.services.email_address_prove: an account is made when none
    exists, with no password; an unconfirmed sign-up with the address is taken
    over by the person confirming, who owns the mailbox); 2. the registration
    becomes confirmed and belongs to that account (if the account already had a
    registration for the event, that one is kept and this duplicate removed);
    3. a confirmation email with the calendar file. Confirming twice changes
    nothing more.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state == Registration.State.CANCELLED:
        raise ValidationError("This registration was cancelled. Register again.")
    user = accounts_services.email_address_prove(email=registration.email, name=registration.name)
    if registration.is_confirmed:
        return registration, user, False
    other = (
        Registration.objects.filter(event=registration.event, user=user)
        .exclude(pk=registration.pk)
        .first()
    )
    if other is not None:
        registration.delete()
        registration = other
        if registration.is_confirmed:
            return registration, user, False
    registration.user = user
    registration.state = Registration.State.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.cancelled_at = None
    registration.save()
    _confirmation_email(registration)
    return registration, user, True


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration for an event, at any time.

    Side effects: 1. every booking and waiting-list place is cancelled
    (booking_cancel: freed places go to the next person waiting, who is
    emailed); 2. the registration is marked cancelled (the row stays, so
    registering again later brings it back rather than adding another).
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state == Registration.State.CANCELLED:
        raise ValidationError("This registration is already cancelled.")
    for booking in registration.bookings.exclude(state=Booking.State.CANCELLED):
        booking_cancel(booking=booking)
    registration.state = Registration.State.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["state", "cancelled_at"])
    return registration


@transaction.atomic
def registration_unsubscribe(*, registration: Registration) -> Registration:
    """Stop reminders, recording notices and organisers' optional messages (the console's)
    for this registration (one-click unsubscribe).

    Side effect: email_consent becomes false. Emails about the registration
    itself (confirmations, places from the waiting list, organisers' essential
    messages) still come.
    """
    Registration.objects.filter(pk=registration.pk).update(email_consent=False)
    registration.email_consent = False
    return registration


@transaction.atomic
def registration_update_preferences(
    *, registration: Registration, email_consent: bool
) -> Registration:
    """A registered person changes their email choices for the event (event page, profile).

    Side effects: 1. email_consent is stored. Turned on, the next reminder run
    (reminders.reminders_schedule) includes the person for the sessions they
    booked or starred; turned off, reminders and recording notices already
    recorded are not sent (emails.build_message reads the choice when sending).
    Emails about the registration itself come either way. Refused
    (ValidationError, nothing changes) when the registration is cancelled.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state == Registration.State.CANCELLED:
        raise ValidationError(
            "This registration is cancelled. Register again to get emails about the event."
        )
    registration.email_consent = email_consent
    registration.save(update_fields=["email_consent"])
    return registration


def _locked_session(session: Session) -> Session:
    # FOR UPDATE on PostgreSQL; SQLite ignores it, its IMMEDIATE transaction
    # already serialises writers.
    return Session.objects.select_for_update().get(pk=session.pk)


def _booked(session: Session) -> int:
    return Booking.objects.filter(session=session, state=Booking.State.BOOKED).count()


@transaction.atomic
def booking_create(*, registration: Registration, session: Session) -> Booking:
    """Book a place in a session with a capacity, or join its waiting list when full.

    Side effects: 1. the session row is locked; 2. the booking row is made (or
    the person's cancelled one reused, queued now): booked while places are
    left, otherwise waiting. Refused (ValidationError, nothing changes) when the
    registration is not confirmed, the session is cancelled, over, a drop-in,
    of another event, or already booked or queued for.
    """
    session = _locked_session(session)
    if registration.event_id != session.event_id:
        raise ValidationError("This session belongs to another event.")
    if not registration.is_confirmed:
        raise ValidationError("Register for the event before you book a session.")
    if session.is_cancelled:
        raise ValidationError("This session has been cancelled: it cannot be booked.")
    if session.end <= timezone.now():
        raise ValidationError("This session has ended.")
    if session.capacity is None:
        raise ValidationError("This is a drop-in session: you do not need to book it.")
    booking = Booking.objects.filter(session=session, registration=registration).first()
    if booking is not None and booking.state == Booking.State.BOOKED:
        raise ValidationError("You already have a place in this session.")
    if booking is not None and booking.state == Booking.State.WAITING:
        raise ValidationError("You are already on the waiting list for this session.")
    state = Booking.State.BOOKED if _booked(session) < session.capacity else Booking.State.WAITING
    booking = booking or Booking(session=session, registration=registration)
    booking.state = state
    booking.queued_at = timezone.now()
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking) -> Booking:
    """Give up a place or leave the waiting list, at any time.

    Side effects: 1. the session row is locked; 2. the booking is marked
    cancelled; 3. when it held a place, the next people waiting get the free
    places (bookings_promote), each emailed.
    """
    session = _locked_session(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.state == Booking.State.CANCELLED:
        raise ValidationError("This booking is already cancelled.")
    held_place = booking.state == Booking.State.BOOKED
    booking.state = Booking.State.CANCELLED
    booking.save(update_fields=["state", "updated_at"])
    if held_place:
        bookings_promote(session=session)
    return booking


@transaction.atomic
def bookings_promote(*, session: Session) -> list[Booking]:
    """Give free places to the people waiting longest (also when capacity rises).

    Side effects: 1. the session row is locked; 2. as many waiting bookings as
    there are free places become booked, oldest first; 3. each person gets a
    "you have a place" email (recorded now, sent after commit). Nothing for a
    cancelled or finished session.
    """
    session = _locked_session(session)
    if session.capacity is None or session.is_cancelled or session.end <= timezone.now():
        return []
    free = session.capacity - _booked(session)
    if free <= 0:
        return []
    promoted = list(
        Booking.objects.filter(session=session, state=Booking.State.WAITING)
        .select_related("registration")
        .order_by("queued_at", "id")[:free]
    )
    for booking in promoted:
        booking.state = Booking.State.BOOKED
        booking.save(update_fields=["state", "updated_at"])
        outbox.email_record(
            kind=Kind.PROMOTION,
            recipient=booking.registration.email,
            purpose=f"promotion:{booking.pk}:{_stamp(booking.queued_at)}",
            payload=payload(booking.registration, session),
        )
    return promoted


@transaction.atomic
def session_cancelled_notify(*, session: Session) -> int:
    """Tell everyone booked or waiting that a session is cancelled (the events app
    cancels it; attendance/signals.py calls this in the same transaction).

    The bookings themselves stay as they are: the agenda and the calendar feed
    show the session cancelled, nobody is promoted from the waiting list
    (bookings_promote skips cancelled sessions), and if the session is
    reinstated the places count again. Side effect: one email per person
    booked or waiting, whatever their email_consent (it is about their booking,
    not a reminder), with a calendar file that removes the session
    (METHOD:CANCEL); recorded now, sent after commit. The purpose holds the
    booking and the session's SEQUENCE at this cancellation: calling this again
    adds nothing, and cancelling again after a reinstatement tells people
    again. Returns how many emails were newly recorded.
    """
    bookings = Booking.objects.filter(
        session=session,
        state__in=[Booking.State.BOOKED, Booking.State.WAITING],
        registration__state=Registration.State.CONFIRMED,
    ).select_related("registration")
    return outbox.emails_record(
        kind=Kind.CANCELLATION,
        emails=[
            {
                "recipient": booking.registration.email,
                "purpose": f"cancelled:{booking.pk}:{session.sequence}",
                "payload": payload(booking.registration, session),
            }
            for booking in bookings
        ],
    )


@transaction.atomic
def star_add(*, user: User, session: Session) -> Star:
    """Star a session (it joins the person's agenda and feed). Starring twice is harmless."""
    star, _ = Star.objects.get_or_create(user=user, session=session)
    return star


@transaction.atomic
def star_remove(*, user: User, session: Session) -> None:
    Star.objects.filter(user=user, session=session).delete()


@transaction.atomic
def calendar_link_get_or_create(*, user: User) -> CalendarLink:
    link, _ = CalendarLink.objects.get_or_create(user=user)
    return link


@transaction.atomic
def calendar_link_reset(*, user: User) -> CalendarLink:
    """Replace the secret of the personal calendar URL: the old URL stops working at once."""
    link, created = CalendarLink.objects.select_for_update().get_or_create(user=user)
    if not created:
        link.token = new_calendar_token()
        link.created_at = timezone.now()
        link.save(update_fields=["token", "created_at"])
    return link


@transaction.atomic
def attendance_record_join(
    *, session: Session, user: User, source: str = Attendance.Source.LIVE_ROOM
) -> Attendance:
    """Record that a person joined a session (the live room calls this; so does the
    join link). Recording again keeps the first time."""
    attendance, _ = Attendance.objects.get_or_create(
        session=session, user=user, defaults={"source": source, "joined_at": timezone.now()}
    )
    return attendance


@transaction.atomic
def attendance_mark(
    *, session: Session, registration: Registration, attended: bool, by: User | None
) -> None:
    """An organiser marks (or unmarks) that a registered person attended a session.
    Side effects: the attendance record is made or deleted; the audit log records it
    (on the session, without naming the person: the log outlives registrations)."""
    if registration.event_id != session.event_id or registration.user_id is None:
        raise ValidationError("This person is not registered for this event.")
    if attended:
        user = cast(User, registration.user)  # user_id is checked above
        attendance_record_join(session=session, user=user, source=Attendance.Source.ORGANISER)
    else:
        Attendance.objects.filter(session=session, user_id=registration.user_id).delete()
    audit.audit_record(
        actor=by,
        action="attendance.marked" if attended else "attendance.unmarked",
        obj=session,
        event_id=session.event_id,
    )


@transaction.atomic
def recording_available_notify(*, session: Session) -> int:
    """Tell people a session's recording is available (the media app calls this).

    Recipients: confirmed registrations for the event that agreed to emails
    and booked, queued for, starred or joined the session. Side effects: one
    email per person recorded (purpose `recording:<session>`: calling this
    again sends nobody a second one) and sent after commit. Returns how many
    people were newly queued.
    """
    from django.db.models import Q

    registrations = Registration.objects.filter(
        event_id=session.event_id, state=Registration.State.CONFIRMED, email_consent=True
    ).filter(
        Q(
            bookings__session=session,
            bookings__state__in=[Booking.State.BOOKED, Booking.State.WAITING],
        )
        | Q(user__stars__session=session)
        | Q(user__attendances__session=session)
    )
    return outbox.emails_record(
        kind=Kind.RECORDING,
        emails=[
            {
                "recipient": r.email,
                "purpose": f"recording:{session.pk}",
                "payload": payload(r, session),
            }
            for r in registrations.distinct()
        ],
    )
