"""Reads for the public event site: each returns ready-to-render data in a fixed
number of queries, whatever the size of the programme."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from convene.core.timeutil import in_zone
from convene.events.cache import cached
from convene.events.models import Event, Host, Session


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
    upcoming: list[Event]
    past: list[Event]


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
