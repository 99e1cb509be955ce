"""Reads for the public event site: each returns ready-to-render data in a fixed
number of queries, whatever the size of the programme."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from convene.accounts.models import User
from convene.core.timeutil import in_zone
from convene.events import tokens
from convene.events.cache import cached
from convene.events.models import Event, EventRole, Host, Session, TeamInvitation


def visible_events(user) -> QuerySet[Event]:
    """Published events, plus drafts the user has a role in (or all, for superusers)."""
    events = Event.objects.all()
    if getattr(user, "is_superuser", False):
        return events
    visible = Q(status=Event.Status.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(roles__user=user)
    return events.filter(visible).distinct()


@dataclass
class EventLists:
    upcoming: Sequence[Event]
    past: Sequence[Event]


def events_for_home(*, user, today: date | None = None) -> EventLists:
    today = today or timezone.localdate()
    events = list(
        visible_events(user).annotate(
            session_count=Count("sessions", filter=Q(sessions__status=Session.Status.SCHEDULED))
        )
    )
    upcoming = sorted((e for e in events if e.end_date >= today), key=lambda e: e.start_date)
    past = [e for e in events if e.end_date < today]  # already newest first
    return EventLists(upcoming=upcoming, past=past)


def event_by_slug(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def _sessions_with_hosts(event: Event) -> QuerySet[Session]:
    return (
        event.sessions.select_related("room", "track")
        .prefetch_related(Prefetch("hosts", queryset=Host.objects.select_related("user")))
        .order_by("start", "room__position", "track__position", "title")
    )


@dataclass
class ProgrammeDay:
    day: date
    sessions: list[Session] = field(default_factory=list)


@dataclass(frozen=True)
class SessionTiming:
    """What 'now', 'next', the kind filter and the days need of a session."""

    pk: int
    start: datetime
    end: datetime
    kind: str
    can_be_now: bool  # breaks and cancelled sessions are never 'now' or 'next'


def _timings(event: Event) -> tuple[SessionTiming, ...]:
    return tuple(
        SessionTiming(
            pk=s.pk,
            start=s.start,
            end=s.end,
            kind=s.kind,
            can_be_now=not s.is_cancelled and s.kind != Session.Kind.BREAK,
        )
        for s in _cached_sessions(event)
    )


def _cached_sessions(event: Event) -> list[Session]:
    return cached(event, "sessions", lambda: list(_sessions_with_hosts(event)))


class Programme:
    """An event's programme at one moment, for one kind filter and time zone.

    `kinds`, `fragment_key` and the 'now' / 'next' ids come from small cached
    timing rows. `days`, `now` and `next` (sessions with tracks and hosts) come
    from the cached session list, loaded only when used: the programme page
    renders `days` only when its cached HTML is missing (events/cache.py), so a
    warm request never unpickles hundreds of sessions.
    """

    def __init__(self, *, event: Event, kind: str, zone: str, at: datetime) -> None:
        self.event, self.kind = event, kind
        self.display_zone = ZoneInfo(zone) if zone else event.tz
        timings = cached(event, "timings", lambda: _timings(event))
        live = [t for t in timings if t.can_be_now]
        now = {t.pk for t in live if t.start <= at < t.end}
        next_start = min((t.start for t in live if t.start > at), default=None)
        self.now_ids = now
        self.next_ids = {t.pk for t in live if t.start == next_start} if next_start else set()
        # The next moment 'now' or 'next' may change (a session starts or ends).
        self.changes_at = min(
            (moment for t in timings for moment in (t.start, t.end) if moment > at), default=None
        )
        present = {t.kind for t in timings}
        self.kinds = [(value, label) for value, label in Session.Kind.choices if value in present]
        # Identifies the rendered programme: the same key, the same HTML.
        self.fragment_key = ":".join(
            [
                kind or "all",
                zone or event.time_zone,
                ",".join(map(str, sorted(self.now_ids))),
                ",".join(map(str, sorted(self.next_ids))),
            ]
        )

    @cached_property
    def _sessions(self) -> list[Session]:
        sessions = _cached_sessions(self.event)
        for session in sessions:
            session.is_now = session.pk in self.now_ids
            session.is_next = session.pk in self.next_ids
        return sessions

    @cached_property
    def days(self) -> list[ProgrammeDay]:
        days: list[ProgrammeDay] = []
        for session in self._sessions:
            if self.kind and session.kind != self.kind:
                continue
            day = in_zone(session.start, self.display_zone).date()
            if not days or days[-1].day != day:
                days.append(ProgrammeDay(day=day))
            days[-1].sessions.append(session)
        return days

    @cached_property
    def now(self) -> list[Session]:
        return [s for s in self._sessions if s.pk in self.now_ids]

    @cached_property
    def next(self) -> list[Session]:
        return [s for s in self._sessions if s.pk in self.next_ids]


def programme_for_event(
    *, event: Event, kind: str = "", at: datetime | None = None, zone: str = ""
) -> Programme:
    """Sessions grouped by day in the event's zone, with 'happening now' and 'next' marked.

    `now` and `next` ignore the kind filter, so they always tell the truth about
    the event; breaks and cancelled sessions are never 'now' or 'next'. With
    `zone` (a visitor's choice), days are those of that zone.
    """
    return Programme(event=event, kind=kind, zone=zone, at=at or timezone.now())


def sessions_for_calendar(*, event: Event) -> QuerySet[Session]:
    return _sessions_with_hosts(event)


def session_by_slug(*, event: Event, slug: str) -> Session:
    return get_object_or_404(_sessions_with_hosts(event), slug=slug)


@dataclass
class Person:
    """One host of an event, with every session they host there."""

    name: str
    organisation: str
    bio: str
    social_handle: str
    roles: list[str]
    sessions: list[Session]


def people_for_event(*, event: Event) -> list[Person]:
    hosts = (
        Host.objects.filter(session__event=event)
        .select_related("user", "session__event")
        .order_by("session__start", "position", "id")
    )
    people: dict[object, Person] = {}
    for host in hosts:
        key = ("user", host.user_id) if host.user_id else ("guest", host.guest_name.casefold())
        person = people.get(key)
        if person is None:
            person = people[key] = Person(
                name=host.display_name,
                organisation=host.display_organisation,
                bio=host.bio,
                social_handle=host.social_handle,
                roles=[],
                sessions=[],
            )
        person.bio = person.bio or host.bio
        person.social_handle = person.social_handle or host.social_handle
        role = host.get_role_display()
        if role not in person.roles:
            person.roles.append(role)
        if host.session not in person.sessions:
            person.sessions.append(host.session)
    return sorted(people.values(), key=lambda p: p.name.casefold())


# --- The event's team ---------------------------------------------------------------


@dataclass
class TeamMember:
    """One person of the team page: their roles in the event (in `EventRole.Role`
    order) and their Host rows in its sessions (a host role is given with the first,
    but each stays until removed from its session)."""

    user: User
    roles: list[str] = field(default_factory=list)
    hosting: list[Host] = field(default_factory=list)

    @property
    def held(self) -> list[tuple[str, str]]:
        return [(role, EventRole.Role(role).label) for role in self.roles]

    @property
    def addable(self) -> list[tuple[str, str]]:
        return [
            (value, label) for value, label in EventRole.Role.choices if value not in self.roles
        ]


@dataclass
class Team:
    members: list[TeamMember]
    #: Invitations not accepted or revoked, oldest first; expired ones included
    #: (`is_expired`), since re-sending them is the way to renew them.
    invitations: list[TeamInvitation]


def team_for_event(*, event: Event) -> Team:
    """Everyone with a role in the event, or listed with their account as a host of one
    of its sessions, one entry each by name; and its open invitations. Three queries."""
    order = {value: i for i, value in enumerate(EventRole.Role.values)}
    members: dict[int, TeamMember] = {}
    for event_role in EventRole.objects.filter(event=event).select_related("user"):
        member = members.setdefault(event_role.user_id, TeamMember(user=event_role.user))
        member.roles.append(event_role.role)
    hosts = (
        Host.objects.filter(session__event=event, user__isnull=False)
        .select_related("user", "session")
        .order_by("session__start", "session__title", "position", "id")
    )
    for host in hosts:
        if host.user is not None:  # always, as filtered; says so to the type checker
            members.setdefault(host.user.pk, TeamMember(user=host.user)).hosting.append(host)
    for member in members.values():
        member.roles.sort(key=lambda role: order.get(role, len(order)))
    invitations = list(
        TeamInvitation.objects.filter(
            event=event, accepted_at__isnull=True, revoked_at__isnull=True
        ).select_related("invited_by")
    )
    return Team(
        members=sorted(
            members.values(), key=lambda m: ((m.user.name or m.user.email).casefold(), m.user.pk)
        ),
        invitations=invitations,
    )


def team_member(*, event: Event, user_id: int) -> User | None:
    """The person, if they are on the event's team page (a role, or a host of a session)."""
    on_team = Q(event_roles__event=event) | Q(hosting__session__event=event)
    return User.objects.filter(on_team, pk=user_id).distinct().first()


def team_invitation(*, event: Event, pk: int) -> TeamInvitation:
    """One of the event's invitations (404 for another event's)."""
    return get_object_or_404(TeamInvitation.objects.select_related("event"), pk=pk, event=event)


def team_invitation_by_token(token: str) -> TeamInvitation:
    """The invitation a link names, or 404: an unknown id and a bad signature answer
    alike, so a guessed link learns nothing."""
    pk = tokens.team_invitation_id(token)
    invitation = (
        TeamInvitation.objects.select_related("event", "accepted_by").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if invitation is None or not tokens.team_invitation_token_valid(
        token, pk=invitation.pk, key=invitation.key
    ):
        raise Http404
    return invitation
