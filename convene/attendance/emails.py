"""The content of each attendance email, built from current data when it is sent.

Attendance's message builders for the one outgoing-email pipeline (core/outbox.py),
registered per kind in attendance/hooks.py. A row's payload holds the ids:
`registration`, and `session` where the kind needs it.
`build_message` returns None when the email is no longer wanted (the person
cancelled, unsubscribed, the session was cancelled ...). Reminders and
recording notices are not transactional: they carry List-Unsubscribe and
List-Unsubscribe-Post (RFC 8058 one-click) headers.
"""

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from convene.attendance import rules as attendance_rules
from convene.attendance import selectors
from convene.attendance.links import join_address
from convene.attendance.models import Booking, Registration, Star
from convene.attendance.tokens import confirmation_token, unsubscribe_token
from convene.core.links import absolute_url
from convene.core.models import OutgoingEmail
from convene.core.outbox import Message
from convene.events.calendars import calendar_for_sessions
from convene.events.models import Session


class Kind(models.TextChoices):
    """Attendance's kinds of email (OutgoingEmail.kind)."""

    VERIFY = "verify", "Confirm your email address"
    CONFIRMATION = "confirmation", "Registration confirmed"
    PROMOTION = "promotion", "Place from the waiting list"
    REMINDER = "reminder", "Reminder"
    RECORDING = "recording", "Recording available"
    CANCELLATION = "cancellation", "Session cancelled"


UNSUBSCRIBABLE = {Kind.REMINDER, Kind.RECORDING}


def payload(registration: Registration, session: Session | None = None) -> dict[str, int]:
    """The ids a row of attendance's needs (the builder loads them when sending)."""
    ids = {"registration": registration.pk}
    if session is not None:
        ids["session"] = session.pk
    return ids


def _ics(sessions, name: str, *, links: bool, method: str = "PUBLISH") -> bytes:
    # Convene's join address, never the raw link: the file is read weeks ahead.
    join_links = {s.pk: join_address(s) for s in sessions} if links else {}
    return calendar_for_sessions(sessions, name=name, method=method, join_links=join_links)


def build_message(delivery: OutgoingEmail) -> Message | None:
    ids = delivery.payload
    registration = (
        Registration.objects.select_related("event").filter(pk=ids.get("registration")).first()
    )
    session = (
        Session.objects.select_related("event").filter(pk=ids["session"]).first()
        if "session" in ids
        else None
    )
    if registration is None or ("session" in ids and session is None):
        return None  # deleted meanwhile (an erased account, a removed session)
    event = registration.event
    context = {
        "kind": delivery.kind,
        "registration": registration,
        "event": event,
        "session": session,
        "site_name": settings.SITE_NAME,
        "agenda_url": absolute_url(reverse("attendance:agenda")),
        "event_url": absolute_url(event.get_absolute_url()),
        "session_url": absolute_url(session.get_absolute_url()) if session else "",
        "join_url": "",
    }
    attachments: list[tuple[str, bytes]] = []
    if delivery.kind == Kind.VERIFY:
        if registration.state == Registration.State.CANCELLED:
            return None
        token = confirmation_token(registration)
        context["confirm_url"] = absolute_url(
            reverse("attendance:confirm", kwargs={"token": token})
        )
        subject = (
            f"You are already registered for {event.title}"
            if registration.is_confirmed
            else f"Confirm your registration for {event.title}"
        )
    elif delivery.kind == Kind.CONFIRMATION:
        if not registration.is_confirmed:
            return None
        joinable = selectors.joinable_sessions(registration=registration)
        if joinable:
            attachments.append((f"{event.slug}.ics", _ics(joinable, event.title, links=True)))
        else:
            sessions = event.sessions.select_related("event", "room").prefetch_related(
                "hosts__user"
            )
            attachments.append((f"{event.slug}.ics", _ics(sessions, event.title, links=False)))
        subject = f"You are registered for {event.title}"
    elif delivery.kind == Kind.PROMOTION:
        booking = Booking.objects.filter(registration=registration, session=session).first()
        if (
            not registration.is_confirmed
            or booking is None
            or booking.state != Booking.State.BOOKED
        ):
            return None
        context["join_url"] = (
            join_address(session) if session.join_url and not session.is_cancelled else ""
        )
        attachments.append(
            (f"{event.slug}-{session.slug}.ics", _ics([session], session.title, links=True))
        )
        subject = f"You have a place: {session.title}"
    elif delivery.kind == Kind.REMINDER:
        if not (registration.is_confirmed and registration.email_consent) or session.is_cancelled:
            return None
        booking = Booking.objects.filter(registration=registration, session=session).first()
        starred = Star.objects.filter(user_id=registration.user_id, session=session).exists()
        holds = attendance_rules.holds_place(registration, session, booking)
        if not (starred or (booking and booking.state == Booking.State.BOOKED)):
            return None
        context["join_url"] = join_address(session) if holds and session.join_url else ""
        context["needs_booking"] = not holds
        subject = f"Starting soon: {session.title}"
    elif delivery.kind == Kind.RECORDING:
        if not (registration.is_confirmed and registration.email_consent):
            return None
        subject = f"Recording available: {session.title}"
    elif delivery.kind == Kind.CANCELLATION:
        # About their booking, so whatever email_consent says; not once reinstated.
        booking = Booking.objects.filter(registration=registration, session=session).first()
        if not session.is_cancelled or booking is None or booking.state == Booking.State.CANCELLED:
            return None
        context["was_waiting"] = booking.state == Booking.State.WAITING
        # Same UID, higher SEQUENCE, METHOD:CANCEL: calendars remove the session.
        ics = _ics([session], session.title, links=False, method="CANCEL")
        attachments.append((f"{event.slug}-{session.slug}.ics", ics))
        subject = f"Cancelled: {session.title}"
    else:  # pragma: no cover - every kind is handled above
        return None

    headers = {}
    if delivery.kind in UNSUBSCRIBABLE:
        unsubscribe = absolute_url(
            reverse("attendance:unsubscribe", kwargs={"token": unsubscribe_token(registration)})
        )
        context["unsubscribe_url"] = unsubscribe
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    method = "CANCEL" if delivery.kind == Kind.CANCELLATION else "PUBLISH"
    return Message(
        subject=subject,
        text=render_to_string("attendance/email/message.txt", context),
        html=render_to_string("attendance/email/message.html", context),
        headers=headers,
        attachments=[
            (filename, content, f"text/calendar; charset=utf-8; method={method}")
            for filename, content in attachments
        ],
    )
