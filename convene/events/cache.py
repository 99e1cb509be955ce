"""Caching of the programme and its exports, invalidated by a version number.

`Event.programme_version` rises on every change to a session, host or track
(signals in events/signals.py, which also see Django admin edits and imports
run by workers); the event row's own `updated_at` covers event edits. Both are
in every key, so a change makes old entries unreachable at once, in every
process, with any cache backend. Nothing is ever deleted by hand.

The same changes bump the event's stamps (core.stamps), which whole public
answers are checked against (core.public_cache): "programme" in the event's
scope, and "events" in the site's (the home page lists every event).
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db.models import F

from convene.core import stamps
from convene.core.public_cache import Freshness
from convene.events.models import Event

TIMEOUT = 60 * 60 * 24


def programme_key(event: Event, variant: str) -> str:
    stamp = int(event.updated_at.timestamp() * 1_000_000)
    return f"programme:{event.pk}:{event.programme_version}:{stamp}:{variant}"


def cached[T](event: Event, variant: str, build: Callable[[], T]) -> T:
    return cache.get_or_set(programme_key(event, variant), build, TIMEOUT)


def programme_changed(event_id: int) -> None:
    """Make every cached copy of this event's programme stale.

    Side effects: the event's programme_version rises; its "programme" stamp and
    the site's "events" stamp change (in the caller's transaction).
    """
    Event.objects.filter(pk=event_id).update(programme_version=F("programme_version") + 1)
    slug = Event.objects.filter(pk=event_id).values_list("slug", flat=True).first()
    if slug is not None:
        event_stamped(slug)


def event_stamped(*slugs: str) -> None:
    """The stamps of these events' pages, and of the site's list of events, change."""
    for slug in slugs:
        stamps.bump(stamps.event_scope(slug), "programme")
    stamps.bump(stamps.SITE, "events")


# One definition, in core: every app's public pages use the same scopes.
event_scopes = stamps.event_scopes
site_scopes = stamps.site_scopes


def programme_stamp(event: Event | str) -> stamps.StampKey:
    slug = event if isinstance(event, str) else event.slug
    return (stamps.event_scope(slug), "programme")


def end_of_event(event: Event) -> datetime | None:
    """Midnight after the event's last day, in its zone: it has ended from then on
    (None for an old row dated at the end of the calendar: it never ends)."""
    try:
        return datetime.combine(event.end_date + timedelta(days=1), time(0), tzinfo=event.tz)
    except OverflowError:
        return None


def event_freshness(event: Event, *, at: datetime) -> Freshness:
    """An event's page: its programme, and whether it has ended (which changes once)."""
    ends = end_of_event(event)
    return Freshness(
        stamps=(programme_stamp(event),), until=ends if ends is not None and at < ends else None
    )
