"""Who may see and do what with events and sessions, and the role facts every
app's rules are made of.

Role facts (the person's roles in an event, and their host roles in a session)
are looked up here only, once per person and event or session: the answers are
kept on the user object, which lives for one request (or one WebSocket
connection), so a page that checks fifty messages asks the database once.
`live` and `contributions` compose their predicates from these.

Small predicates composed with `rules`; every view names one of the
permissions added at the bottom.
"""

from collections.abc import Iterable

import rules

from convene.accounts.selectors import owns_email_address
from convene.events.models import Event, EventRole, Host, HostInvitation, Session, TeamInvitation

# Host roles that moderate the session's chat room and its board.
MODERATING_ROLES = frozenset({Host.Role.HOST, Host.Role.CO_HOST, Host.Role.MODERATOR})


def _memo(user, kind: str) -> dict:
    return user.__dict__.setdefault("_convene_roles", {}).setdefault(kind, {})


def event_roles(user, event: Event) -> frozenset[str]:
    """The person's roles in this event (organiser, host, reviewer, judge)."""
    if not user.is_authenticated:
        return frozenset()
    memo = _memo(user, "event")
    if event.pk not in memo:
        memo[event.pk] = frozenset(
            EventRole.objects.filter(event=event, user=user).values_list("role", flat=True)
        )
    return memo[event.pk]


def session_host_roles(user, session_id: int | None) -> frozenset[str]:
    """Every host role the person holds in this session (someone may be listed as
    speaker and as moderator: both count)."""
    if not user.is_authenticated or session_id is None:
        return frozenset()
    memo = _memo(user, "session")
    if session_id not in memo:
        memo[session_id] = frozenset(
            Host.objects.filter(session_id=session_id, user=user).values_list("role", flat=True)
        )
    return memo[session_id]


def remember_session_host_roles(user, session_id: int, roles: Iterable[str]) -> None:
    """Store host roles read elsewhere in one query for many people (the live room's
    directory), so the predicates below need none."""
    _memo(user, "session")[session_id] = frozenset(roles)


def moderated_session_ids(user, event: Event) -> frozenset[int] | None:
    """Sessions of `event` this person moderates; None means all of them
    (organisers, superusers). For pages that mix sessions (the event's board)."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser or EventRole.Role.ORGANISER in event_roles(user, event):
        return None
    return frozenset(
        Host.objects.filter(session__event=event, user=user, role__in=MODERATING_ROLES)
        .values_list("session_id", flat=True)
        .distinct()
    )


@rules.predicate
def is_published_event(user, event: Event) -> bool:
    return event.is_published


@rules.predicate
def is_event_organiser(user, event: Event) -> bool:
    return EventRole.Role.ORGANISER in event_roles(user, event)


@rules.predicate
def is_event_reviewer(user, event: Event) -> bool:
    return EventRole.Role.REVIEWER in event_roles(user, event)


@rules.predicate
def is_event_judge(user, event: Event) -> bool:
    return EventRole.Role.JUDGE in event_roles(user, event)


@rules.predicate
def has_any_event_role(user, event: Event) -> bool:
    return bool(event_roles(user, event))


@rules.predicate
def is_programme_published(user, event: Event) -> bool:
    return event.programme_published


@rules.predicate
def session_programme_visible(user, session: Session) -> bool:
    return can_view_programme.test(user, session.event)


@rules.predicate
def is_session_organiser(user, session: Session) -> bool:
    return is_event_organiser.test(user, session.event)


@rules.predicate
def hosts_session(user, session: Session) -> bool:
    """Listed among the session's hosts, in any role."""
    return bool(session_host_roles(user, session.pk))


@rules.predicate
def moderates_session(user, session: Session) -> bool:
    """A host, co-host or moderator of the session (in any of their rows)."""
    return bool(session_host_roles(user, session.pk) & MODERATING_ROLES)


@rules.predicate
def is_session_host(user, session: Session) -> bool:
    """One of the session's hosts with an account, or a host of the whole event."""
    if not user.is_authenticated:
        return False
    if EventRole.Role.HOST in event_roles(user, session.event):
        return True
    return any(host.user_id == user.pk for host in session.hosts.all())


@rules.predicate
def owns_invited_address(user, invitation: HostInvitation | TeamInvitation) -> bool:
    """The invitation was sent to a mailbox of this person (verified on their account)."""
    return owns_email_address(user, invitation.email)


@rules.predicate
def may_create_events(user) -> bool:
    """A superuser let this person create events (accounts.User.can_create_events)."""
    return bool(user.is_authenticated and user.is_active and user.can_create_events)


can_view_event = is_published_event | has_any_event_role | rules.is_superuser
can_view_programme = can_view_event & (
    is_programme_published | has_any_event_role | rules.is_superuser
)

rules.add_perm("events.view_event_list", rules.always_allow)
rules.add_perm("events.view_event", can_view_event)
rules.add_perm("events.view_programme", can_view_programme)
rules.add_perm("events.view_session", session_programme_visible)
rules.add_perm("events.change_event", is_event_organiser | rules.is_superuser)
# Creating an event (and copying one, or importing a file into a new one): superusers,
# and the people a superuser allowed to (docs/decisions/0025). The events offered for
# copying are those the person organises (events.views.setup.copy_sources).
rules.add_perm("events.create_event", may_create_events | rules.is_superuser)
# Whether the speakers agreed to be recorded is for the people running the session.
rules.add_perm(
    "events.view_recording_consent", is_session_organiser | is_session_host | rules.is_superuser
)
# Emailed invitations are for their address's owner only: not even a superuser
# accepts one on someone else's behalf.
rules.add_perm("events.accept_team_invitation", owns_invited_address)
