"""Reads for the public event site: each returns ready-to-render data in a fixed
number of queries, whatever the size of the programme."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
        event.sessions.select_related("track")
        .prefetch_related(Prefetch("hosts", queryset=Host.objects.select_related("user")))
        .order_by("start", "track__position", "title")
    )


@dataclass
class ProgrammeDay:
    day: date
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Programme:
    days: list[ProgrammeDay]
    now: list[Session]
    next: list[Session]
    kinds: list[tuple[str, str]]
    # Identifies the rendered programme: the same key, the same HTML.
    fragment_key: str = ""


def programme_for_event(
    *, event: Event, kind: str = "", at: datetime | None = None, zone: str = ""
) -> Programme:
    """Sessions grouped by day in the event's zone, with 'happening now' and 'next' marked.

    `now` and `next` ignore the kind filter, so they always tell the truth about
    the event; breaks and cancelled sessions are never 'now' or 'next'. With
    `zone` (a visitor's choice), days are those of that zone.
    """
    at = at or timezone.now()
    # From the cache while the programme is unchanged (see events/cache.py).
    sessions = cached(event, "sessions", lambda: list(_sessions_with_hosts(event)))
    live = [s for s in sessions if not s.is_cancelled and s.kind != Session.Kind.BREAK]
    now = [s for s in live if s.start <= at < s.end]
    upcoming_starts = [s.start for s in live if s.start > at]
    next_start = min(upcoming_starts) if upcoming_starts else None
    upcoming = [s for s in live if s.start == next_start]
    now_ids, next_ids = {s.pk for s in now}, {s.pk for s in upcoming}
    display_zone = ZoneInfo(zone) if zone else event.tz

    days: list[ProgrammeDay] = []
    for session in sessions:
        session.is_now = session.pk in now_ids
        session.is_next = session.pk in next_ids
        if kind and session.kind != kind:
            continue
        day = timezone.localtime(session.start, display_zone).date()
        if not days or days[-1].day != day:
            days.append(ProgrammeDay(day=day))
        days[-1].sessions.append(session)

    present = {s.kind for s in sessions}
    kinds = [(value, label) for value, label in Session.Kind.choices if value in present]
    fragment_key = ":".join(
        [
            kind or "all",
            zone or event.time_zone,
            ",".join(map(str, sorted(now_ids))),
            ",".join(map(str, sorted(next_ids))),
        ]
    )
    return Programme(days=days, now=now, next=upcoming, kinds=kinds, fragment_key=fragment_key)


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
