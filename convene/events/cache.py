"""Caching of the programme and its exports, invalidated by a version number.

`Event.programme_version` rises on every change to a session, host or track
(signals in events/signals.py, which also see Django admin edits and imports
run by workers); the event row's own `updated_at` covers event edits. Both are
in every key, so a change makes old entries unreachable at once, in every
process, with any cache backend. Nothing is ever deleted by hand.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import F

from convene.events.models import Event

TIMEOUT = 60 * 60 * 24


def programme_key(event: Event, variant: str) -> str:
    stamp = int(event.updated_at.timestamp() * 1_000_000)
    return f"programme:{event.pk}:{event.programme_version}:{stamp}:{variant}"


def cached[T](event: Event, variant: str, build: Callable[[], T]) -> T:
    return cache.get_or_set(programme_key(event, variant), build, TIMEOUT)


def programme_changed(event_id: int) -> None:
    """Make every cached copy of this event's programme stale."""
    Event.objects.filter(pk=event_id).update(programme_version=F("programme_version") + 1)
