"""Who may read, write in and moderate a room, and who manages its records.

Predicates take (user, room), with `room.session.event` loaded. Answers are
cached on the user object for the request (or the WebSocket connection).

- read: anyone who can see the session, if the room (or its event) is open to
  readers; otherwise people registered for the session, its hosts and the
  event's organisers;
- post: registered people, hosts and organisers (muting and a closed chat are
  states checked when posting, not permissions);
- moderate (hide, mute, slow mode, close, prompts, questions): the session's
  hosts, co-hosts and moderators, the event's organisers and superusers;
- manage (settings, statistics, transcripts): the event's organisers.
"""

from dataclasses import dataclass

import rules

from convene.attendance import selectors as attendance_selectors
from convene.events.models import EventRole, Host
from convene.events.rules import (
    MODERATING_ROLES,
    can_view_programme,
    is_event_organiser,
    remember_session_host_roles,
    session_host_roles,
)
from convene.live.models import Badge, ReadAccess, Room


def _cache(user, room: Room) -> dict:
    return user.__dict__.setdefault("_convene_live", {}).setdefault(room.pk, {})


def host_roles(user, room: Room) -> frozenset[str]:
    """Every host role the person holds in the room's session (events.rules)."""
    return session_host_roles(user, room.session_id)


def event_read_access(event) -> str:
    """The event's default (its LiveSettings, or registered people only)."""
    live_settings = getattr(event, "live_settings", None)  # None when the row is missing
    return live_settings.read_access if live_settings else ReadAccess.REGISTERED


def effective_read_access(room: Room) -> str:
    return room.read_access or event_read_access(room.session.event)


@rules.predicate
def can_see_session(user, room: Room) -> bool:
    return can_view_programme.test(user, room.session.event)


@rules.predicate
def is_open_to_readers(user, room: Room) -> bool:
    return effective_read_access(room) == ReadAccess.ANYONE


@rules.predicate
def is_room_organiser(user, room: Room) -> bool:
    return is_event_organiser.test(user, room.session.event)


@rules.predicate
def is_room_moderator(user, room: Room) -> bool:
    return bool(host_roles(user, room) & MODERATING_ROLES)


@rules.predicate
def is_room_host(user, room: Room) -> bool:
    return bool(host_roles(user, room))


@rules.predicate
def is_registered_for_room(user, room: Room) -> bool:
    """A confirmed registration, and a booked place where the session has places."""
    if not user.is_authenticated:
        return False
    cache = _cache(user, room)
    if "registered" not in cache:
        if room.session.capacity is None:  # a drop-in: the event's registration is enough
            registration = attendance_selectors.registration_for(
                user=user, event=room.session.event
            )
            cache["registered"] = registration is not None and registration.is_confirmed
        else:  # a place must be booked
            state = attendance_selectors.join_state(user=user, session=room.session)
            cache["registered"] = state.holds_place
    return cache["registered"]


can_moderate = is_room_moderator | is_room_organiser | rules.is_superuser
can_post = (
    rules.is_authenticated
    & rules.is_active
    & (is_registered_for_room | is_room_host | is_room_organiser | rules.is_superuser)
)
can_read = can_see_session & (is_open_to_readers | can_post)

rules.add_perm("live.view_room", can_read)
rules.add_perm("live.post_in_room", can_see_session & can_post)
rules.add_perm("live.moderate_room", can_see_session & can_moderate)
rules.add_perm("live.manage_room", is_room_organiser | rules.is_superuser)


@dataclass(frozen=True)
class Facts:
    """The permissions above for one person and room, each fact looked up once."""

    can_read: bool
    can_post: bool
    can_moderate: bool
    can_manage: bool


@dataclass(frozen=True)
class Directory:
    """Who is who in one room, read in three queries and kept briefly per process
    (selectors.room_directory), so thousands entering need no query each."""

    registered: frozenset[int] | None  # a drop-in session's registered people; None: ask
    hosts: dict[int, frozenset[str]]  # user id -> host roles in the session
    roles: dict[int, frozenset[str]]  # user id -> roles in the event
    muted: frozenset[int]


def load_directory(room: Room) -> Directory:
    from convene.live.models import Participant

    registered = None
    if room.session.capacity is None:
        registered = frozenset(
            attendance_selectors.session_recipients(session=room.session)
            .filter(user__isnull=False)
            .values_list("user_id", flat=True)
        )
    hosts: dict[int, set[str]] = {}
    for user_id, role in Host.objects.filter(
        session_id=room.session_id, user__isnull=False
    ).values_list("user_id", "role"):
        hosts.setdefault(user_id, set()).add(role)
    roles: dict[int, set[str]] = {}
    for user_id, role in EventRole.objects.filter(event_id=room.session.event_id).values_list(
        "user_id", "role"
    ):
        roles.setdefault(user_id, set()).add(role)
    muted = frozenset(
        Participant.objects.filter(room=room, muted_at__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    return Directory(
        registered=registered,
        hosts={k: frozenset(v) for k, v in hosts.items()},
        roles={k: frozenset(v) for k, v in roles.items()},
        muted=muted,
    )


def facts(user, room: Room, directory: Directory | None = None) -> Facts:
    """The same answers as the `live.*` permissions (tests/live/test_permissions.py
    checks they agree), for the room's entrance where thousands arrive at once:
    with a `directory`, a registered attendee needs no query at all."""
    superuser = user.is_superuser
    if directory is None or not user.is_authenticated:
        visible = can_see_session.test(user, room)
        organiser = user.is_authenticated and is_room_organiser.test(user, room)
        host = is_room_host.test(user, room)
        moderating = is_room_moderator.test(user, room)
    else:
        event = room.session.event
        roles = directory.roles.get(user.pk, frozenset())
        visible = superuser or (event.is_published and event.programme_published) or bool(roles)
        organiser = EventRole.Role.ORGANISER in roles
        held = directory.hosts.get(user.pk, frozenset())
        remember_session_host_roles(user, room.session_id, held)
        host = bool(held)
        moderating = bool(held & MODERATING_ROLES)
    moderator = organiser or superuser or moderating
    registered = (
        directory is not None
        and directory.registered is not None
        and user.pk in directory.registered
    ) or (user.is_authenticated and is_registered_for_room.test(user, room))
    post = (
        user.is_authenticated and user.is_active and (superuser or organiser or host or registered)
    )
    return Facts(
        can_read=visible and (is_open_to_readers.test(user, room) or post),
        can_post=visible and post,
        can_moderate=visible and moderator,
        can_manage=organiser or superuser,
    )


def badge_for(user, room: Room) -> str:
    """What the room shows beside this person's name (a `Badge` value or ""); of
    several host roles, the one that says most about what they do here."""
    roles = host_roles(user, room)
    if roles & {Host.Role.HOST, Host.Role.CO_HOST}:
        return Badge.HOST
    if Host.Role.MODERATOR in roles:
        return Badge.MODERATOR
    if Host.Role.LIVED_EXPERIENCE_PARTNER in roles or getattr(
        user, "lived_experience_partner", False
    ):
        return Badge.LIVED_EXPERIENCE_PARTNER
    if Host.Role.SPEAKER in roles:
        return Badge.SPEAKER
    if is_room_organiser.test(user, room):
        return Badge.ORGANISER
    return ""
