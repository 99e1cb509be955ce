"""Attendance's groups for the organiser console's messages (console.extensions.
RECIPIENT_GROUPS, registered from attendance/hooks.py): everyone registered for
the event, the people of chosen sessions (with a place or waiting), and the
waiting lists of chosen sessions. Only confirmed registrations count.

Attendance fills what only it knows: the person's name now, whether they agreed
to optional emails (`email_consent`, the same choice as reminders: the
unsubscribe link turns all of them off), their unsubscribe link, and for the
people of chosen sessions `{join_link}`: Convene's join address while the
session's join window is open and the person holds a place (rules.may_join,
decision 0014), otherwise a sentence saying when the link comes.
"""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from convene.attendance import rules, selectors
from convene.attendance.links import join_address
from convene.attendance.models import Booking, Registration
from convene.attendance.tokens import unsubscribe_token
from convene.console.extensions import Recipient, RecipientGroup
from convene.core.links import absolute_url
from convene.events.models import Event, Session

WHY = "you are registered for {event}"
SESSION_PLACEHOLDERS = {
    "session": "the titles of the chosen sessions the person is in",
    "session_link": "the address of each of those sessions' pages",
}
JOIN_PLACEHOLDER = {
    "join_link": (
        "the join address, for people with a place while the session's join window is "
        f"open ({settings.JOIN_WINDOW_MINUTES} minutes before it starts until it ends); "
        "otherwise a sentence saying when the link comes"
    ),
}


def _recipient(registration: Registration, values: dict[str, str] | None = None) -> Recipient:
    token = unsubscribe_token(registration)
    unsubscribe = reverse("attendance:unsubscribe", kwargs={"token": token})
    return Recipient(
        email=registration.email,
        name=registration.display_name,
        user_id=registration.user_id,
        values=values or {},
        accepts_optional=registration.email_consent,
        unsubscribe_url=absolute_url(unsubscribe),
    )


def _session_url(session: Session) -> str:
    return absolute_url(session.get_absolute_url())


def join_link(
    registration: Registration,
    session: Session,
    booking: Booking | None,
    at: datetime,
    *,
    titled: bool = False,
) -> str:
    """The join address when the person may join now (after the session's title, when
    `titled`: one line of several); otherwise what to expect, as a sentence."""
    title = session.title
    if session.is_cancelled:
        return f"{title} has been cancelled."
    if booking is not None and booking.state == Booking.State.WAITING:
        return f"You are on the waiting list for {title}: if a place comes free, we will email you."
    if rules.may_join(registration, session, booking, at):
        return f"{title}: {join_address(session)}" if titled else join_address(session)
    if at >= session.end:
        return f"{title} has ended."
    return (
        f"The join link for {title} will be on its page from {settings.JOIN_WINDOW_MINUTES} "
        f"minutes before it starts: {_session_url(session)}"
    )


def _session_values(
    registration: Registration, places: list[tuple[Session, Booking | None]], *, links: bool
) -> dict[str, str]:
    sessions = [session for session, _ in places]
    names = [s.title for s in sessions]
    several = len(sessions) > 1
    values = {
        "session": f"{', '.join(names[:-1])} and {names[-1]}" if several else names[0],
        "session_link": "\n".join(f"{s.title}: {_session_url(s)}" for s in sessions)
        if several
        else _session_url(sessions[0]),
    }
    if links:
        at = timezone.now()
        values["join_link"] = "\n".join(
            join_link(registration, s, booking, at, titled=several) for s, booking in places
        )
    return values


def everyone_registered(
    *, event: Event, sessions: Sequence[Session] = (), email: str | None = None
) -> list[Recipient]:
    return [_recipient(r) for r in selectors.registrations_to_message(event=event, email=email)]


def people_of_sessions(
    *, event: Event, sessions: Sequence[Session], email: str | None = None
) -> list[Recipient]:
    return [
        _recipient(registration, _session_values(registration, places, links=True))
        for registration, places in selectors.people_of_sessions(
            event=event, sessions=sessions, email=email
        )
    ]


def waiting_lists(
    *, event: Event, sessions: Sequence[Session], email: str | None = None
) -> list[Recipient]:
    return [
        _recipient(registration, _session_values(registration, places, links=False))
        for registration, places in selectors.people_of_sessions(
            event=event, sessions=sessions, waiting_only=True, email=email
        )
    ]


GROUPS = [
    RecipientGroup(
        key="registrants",
        label="Everyone registered for the event",
        recipients=everyone_registered,
        can_opt_out=True,
        why=WHY,
    ),
    RecipientGroup(
        key="session_registrants",
        label="People registered for chosen sessions (with a place or waiting)",
        recipients=people_of_sessions,
        takes_sessions=True,
        can_opt_out=True,
        placeholders={**SESSION_PLACEHOLDERS, **JOIN_PLACEHOLDER},
        why=WHY,
    ),
    RecipientGroup(
        key="waiting_list",
        label="Waiting lists of chosen sessions",
        recipients=waiting_lists,
        takes_sessions=True,
        can_opt_out=True,
        placeholders=SESSION_PLACEHOLDERS,
        why="you are on a waiting list at {event}",
    ),
]
