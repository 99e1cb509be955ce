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

    assert counts == [3, 3]


def test_home_query_count_does_not_grow(client):
    EventFactory()
    first = _queries(client, reverse("events:home"))
    EventFactory()
    EventFactory()

    assert _queries(client, reverse("events:home")) == first == 1
