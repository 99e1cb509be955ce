"""Who may register, book, star, join and see what.

Organiser pages use the events app's `events.change_event`; the rest are here.
`may_join` is the one rule for the join link: on pages, in emails and in the
personal calendar feed.
"""

from datetime import datetime, timedelta

import rules
from django.conf import settings
from django.utils import timezone

from convene.events.models import Session
from convene.events.rules import can_view_programme, session_programme_visible


def join_window_opens(session: Session) -> datetime:
    try:
        return session.start - timedelta(minutes=settings.JOIN_WINDOW_MINUTES)
    except OverflowError:  # a session at the start of year 1, stored before decision 0012
        return session.start


def in_join_window(session: Session, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return join_window_opens(session) <= at < session.end


def holds_place(registration, session: Session, booking=None) -> bool:
    """A confirmed registration, and a booked place where the session has a capacity."""
    if registration is None or not registration.is_confirmed:
        return False
    if session.capacity is None:
        return True
    return booking is not None and booking.state == booking.State.BOOKED


def may_join(registration, session: Session, booking=None, at: datetime | None = None) -> bool:
    """The join link is for this person now: a place, a link, not cancelled, in the window."""
    return (
        bool(session.join_url)
        and not session.is_cancelled
        and holds_place(registration, session, booking)
        and in_join_window(session, at)
    )


def registration_closed(event) -> str:
    """Why registration for `event` is closed, or "" while it is open: what the
    event page, the session pages and the registration page say instead of
    offering to register. (services._check_event_open refuses the same.)"""
    if event.end_date < timezone.localdate(timezone=event.tz):
        return "This event has ended: registration is closed."
    return ""


@rules.predicate
def can_register_for_event(user, event) -> bool:
    return can_view_programme.test(user, event)


rules.add_perm("attendance.register", can_register_for_event)
rules.add_perm("attendance.book_session", rules.is_authenticated & session_programme_visible)
rules.add_perm("attendance.star_session", rules.is_authenticated & session_programme_visible)
rules.add_perm("attendance.view_agenda", rules.is_authenticated)
rules.add_perm("attendance.manage_own_registration", rules.is_authenticated)


@rules.predicate
def is_own_registration(user, registration) -> bool:
    return registration is not None and registration.user_id == user.pk


# The email choices of one registration: only its own person (anyone else gets a 404).
rules.add_perm("attendance.change_registration", rules.is_authenticated & is_own_registration)
