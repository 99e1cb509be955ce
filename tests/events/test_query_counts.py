"""List pages run a fixed number of queries whatever their length (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EventFactory, HostFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _programme_with(n: int):
    event = EventFactory()
    for i in range(n):
        track = TrackFactory(event=event)
        session = SessionFactory(event=event, track=track)
        HostFactory(session=session, guest_name=f"Guest {i}")
        HostFactory(session=session, guest_name=f"Other {i}")
    return event


@pytest.mark.parametrize(
    ("page", "expected"),
    [("event", 3), ("programme", 3), ("people", 2)],
)
def test_event_pages_query_count_does_not_grow(client, page, expected):
    small, large = _programme_with(1), _programme_with(3)
    name = {"event": "events:event", "programme": "events:programme", "people": "events:people"}[
        page
    ]

    counts = [_queries(client, reverse(name, kwargs={"event": e.slug})) for e in (small, large)]

    assert counts == [expected, expected]


def test_session_page_query_count_does_not_grow_with_hosts(client):
    one, three = SessionFactory(), SessionFactory()
    HostFactory(session=one)
    for _ in range(3):
        HostFactory(session=three)

    counts = [_queries(client, s.get_absolute_url()) for s in (one, three)]

    # event, session, hosts; + contributions' answered questions (extension section)
    assert counts == [4, 4]


def test_home_query_count_does_not_grow(client):
    EventFactory()
    first = _queries(client, reverse("events:home"))
    EventFactory()
    EventFactory()

    assert _queries(client, reverse("events:home")) == first == 1


def _large_event(sessions: int = 300, days: int = 3, tracks: int = 6):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from convene.events.models import Host, Session, Track

    event = EventFactory(slug="large")
    track_rows = [
        Track.objects.create(event=event, name=f"Track {t}", position=t) for t in range(tracks)
    ]
    per_day = sessions // days
    start_of = datetime(2030, 5, 11, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    rows = []
    for i in range(sessions):
        day, slot = divmod(i, per_day)
        start = start_of + timedelta(days=day, minutes=20 * (slot // tracks))
        rows.append(
            Session(
                event=event,
                title=f"Session {i}",
                slug=f"s-{i}",
                start=start,
                end=start + timedelta(minutes=20),
                track=track_rows[i % tracks],
            )
        )
    Session.objects.bulk_create(rows)
    Host.objects.bulk_create(
        Host(session=s, guest_name=f"Host {s.pk}-{h}")
        for s in event.sessions.all()
        for h in range(2)
    )
    return event


def test_large_programme_renders_in_fixed_queries_then_from_cache(client):
    event = _large_event()
    url = reverse("events:programme", kwargs={"event": event.slug})

    first = _queries(client, url)
    second = _queries(client, url)

    assert first == 3  # event, sessions (+tracks), hosts
    assert second == 1  # event only: sessions and the rendered days come from the cache
    assert client.get(url).content.count(b"convene-programme__session") == 300


def test_a_warm_programme_page_does_not_need_the_session_list(client):
    """Warm, the page is its cached HTML plus 'now' and 'next' from small timing
    rows: with the cached session list gone, it still runs the event query only."""
    from django.core.cache import cache

    from convene.events.cache import programme_key

    event = _large_event()
    url = reverse("events:programme", kwargs={"event": event.slug})
    client.get(url)
    event.refresh_from_db()
    assert cache.delete(programme_key(event, "sessions"))

    assert _queries(client, url) == 1
    assert client.get(url).content.count(b"convene-programme__session") == 300


def test_programme_cache_is_invalidated_by_a_change(client, session):
    url = reverse("events:programme", kwargs={"event": session.event.slug})
    assert b"Spreading improvement" in client.get(url).content

    session.title = "Spreading improvement, renamed"
    session.save()

    assert b"Spreading improvement, renamed" in client.get(url).content


def test_programme_cache_is_invalidated_by_a_host_change(client, session):
    url = reverse("events:programme", kwargs={"event": session.event.slug})
    client.get(url)

    HostFactory(session=session, guest_name="Carol Munt")

    assert b"Carol Munt" in client.get(url).content
