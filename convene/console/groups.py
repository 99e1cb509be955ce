"""The groups the console fills itself, from the events app's roles and hosts (which
every feature app may read): hosts of every session or of chosen ones, reviewers,
judges and the whole team. Registered in RECIPIENT_GROUPS from console/hooks.py;
registrants and waiting lists are attendance's (attendance/recipients.py).

People with a role cannot turn messages off (`can_opt_out` is False): a message
to them is about their part in the event. Hosts without an account (guests
named in the programme) have no address and are not in any group.
"""

from collections.abc import Sequence

from convene.accounts.models import User
from convene.console import selectors
from convene.console.extensions import Recipient, RecipientGroup
from convene.core.links import absolute_url
from convene.events.models import Event, EventRole, Session

SESSION_PLACEHOLDERS = {
    "session": "the titles of the sessions they host",
    "session_link": "the address of each of those sessions' pages",
}


def titles(sessions: Sequence[Session]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = [s.title for s in sessions]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def session_links(sessions: Sequence[Session]) -> str:
    """One session's address; several, one a line with their titles."""
    if len(sessions) == 1:
        return absolute_url(sessions[0].get_absolute_url())
    return "\n".join(f"{s.title}: {absolute_url(s.get_absolute_url())}" for s in sessions)


def _person(user: User, values: dict[str, str] | None = None) -> Recipient:
    return Recipient(email=user.email, name=user.name, user_id=user.pk, values=values or {})


def _hosts(
    *, event: Event, sessions: Sequence[Session] | None, email: str | None
) -> list[Recipient]:
    hosting = selectors.session_hosts(event=event, sessions=sessions, email=email)
    recipients = [
        _person(user, {"session": titles(hosted), "session_link": session_links(hosted)})
        for user, hosted in hosting
    ]
    if sessions is None:  # every host: also those with the event's host role and no session yet
        recipients += [
            _person(user, {"session": "", "session_link": ""})
            for user in selectors.role_holders(
                event=event, roles=[EventRole.Role.HOST], email=email
            )
        ]
    return recipients


def every_host(
    *, event: Event, sessions: Sequence[Session] = (), email: str | None = None
) -> list[Recipient]:
    return _hosts(event=event, sessions=None, email=email)


def hosts_of_sessions(
    *, event: Event, sessions: Sequence[Session] = (), email: str | None = None
) -> list[Recipient]:
    return _hosts(event=event, sessions=sessions, email=email)


def _role(*roles: str):
    def recipients(
        *, event: Event, sessions: Sequence[Session] = (), email: str | None = None
    ) -> list[Recipient]:
        return [
            _person(user)
            for user in selectors.role_holders(event=event, roles=roles or None, email=email)
        ]

    return recipients


GROUPS = [
    RecipientGroup(
        key="hosts",
        label="Hosts of every session",
        recipients=every_host,
        placeholders=SESSION_PLACEHOLDERS,
        why="you host at {event}",
    ),
    RecipientGroup(
        key="session_hosts",
        label="Hosts of chosen sessions",
        recipients=hosts_of_sessions,
        takes_sessions=True,
        placeholders=SESSION_PLACEHOLDERS,
        why="you host at {event}",
    ),
    RecipientGroup(
        key="reviewers",
        label="Reviewers",
        recipients=_role(EventRole.Role.REVIEWER),
        why="you review for {event}",
    ),
    RecipientGroup(
        key="judges",
        label="Judges",
        recipients=_role(EventRole.Role.JUDGE),
        why="you judge for {event}",
    ),
    RecipientGroup(
        key="team",
        label="The whole team (everyone with a role in the event)",
        recipients=_role(),
        why="you are in the team of {event}",
    ),
]
