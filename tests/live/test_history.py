"""Earlier messages: a page at a time, on their own page and inside the room page."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.live import selectors, services
from tests.personas import LOGIN, client_for, outcome

pytestmark = pytest.mark.django_db

PART = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _pages_of_three(settings):
    settings.LIVE_HISTORY = 3


def history_url(session, **query):
    url = reverse("live:history", kwargs={"event": session.event.slug, "session": session.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def fill(room, count: int, *, hide: tuple[int, ...] = (), by=None) -> list:
    messages = [
        services.message_import(
            room=room, author_name="Ann", badge="", text=f"Message {n}", client_id=f"hist-{n:05d}"
        )
        for n in range(1, count + 1)
    ]
    for n in hide:
        services.message_hide(message=messages[n - 1], by=by)
    return messages


def texts(page) -> list[str]:
    return [m.text for m in page.messages]


@pytest.fixture
def room(session):
    return services.room_ensure(session=session)


def test_pages_walk_back_to_the_start_and_forward_again(room, registered):
    fill(room, 8)

    latest = selectors.history_page(room=room, user=registered)
    before = selectors.history_page(room=room, user=registered, before=latest.earlier_than)
    first = selectors.history_page(room=room, user=registered, before=before.earlier_than)
    forward = selectors.history_page(room=room, user=registered, after=first.later_than)

    assert (texts(latest), latest.has_earlier, latest.has_later) == (
        ["Message 6", "Message 7", "Message 8"],
        True,
        False,
    )
    assert (texts(before), before.has_earlier, before.has_later) == (
        ["Message 3", "Message 4", "Message 5"],
        True,
        True,
    )
    assert (texts(first), first.earlier_than, first.has_later) == (
        ["Message 1", "Message 2"],
        None,
        True,
    )
    assert texts(forward) == ["Message 3", "Message 4", "Message 5"]


def test_hidden_messages_never_appear_and_leave_no_hole(room, registered, host):
    fill(room, 6, hide=(2, 5), by=host)

    latest = selectors.history_page(room=room, user=registered)
    rest = selectors.history_page(room=room, user=registered, before=latest.earlier_than)

    assert texts(latest) == ["Message 3", "Message 4", "Message 6"]
    assert (texts(rest), rest.has_earlier) == (["Message 1"], False)


def test_the_history_page_works_without_javascript(session, room, registered):
    fill(room, 5)
    client = client_for(registered)

    latest = client.get(history_url(session)).content.decode()
    earlier = client.get(history_url(session, before=3)).content.decode()

    assert "Message 5" in latest
    assert "Message 2" not in latest
    assert f'href="{history_url(session, before=3)}"' in latest
    assert "Later messages" not in latest
    assert "Message 1" in earlier
    assert "Message 3" not in earlier
    assert "Earlier messages</span>" not in earlier
    assert f'href="{history_url(session, after=2)}"' in earlier
    assert "data-command" not in latest  # read only: actions need the room page


def test_the_room_asks_for_items_only_with_their_actions(session, room, registered):
    fill(room, 5)

    response = client_for(registered).get(history_url(session, before=4), **PART)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert re.findall(r'data-seq="(\d+)"', html) == ["1", "2", "3"]
    assert 'data-earlier-than=""' in html  # the start of the chat
    assert 'data-command="react"' in html
    assert "HX-Request" in response["Vary"]


def test_the_room_page_links_to_earlier_messages_when_there_are_some(session, room, registered):
    fill(room, 5)

    html = client_for(registered).get(room.get_absolute_url()).content.decode()

    assert f'href="{history_url(session, before=3)}" data-earlier' in html


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "", "9" * 40, "²", "١٢"])
def test_nonsense_numbers_give_the_latest_page(session, room, registered, value):
    fill(room, 4)

    response = client_for(registered).get(history_url(session) + f"?before={value}")

    assert response.status_code == 200
    assert "Message 4" in response.content.decode()


def test_history_follows_the_rooms_read_rule(session, room, registered, outsider):
    fill(room, 2)

    refused = client_for(outsider).get(history_url(session))
    refused_part = Client().get(history_url(session), **PART)
    assert (outcome(refused), outcome(refused_part)) == (403, LOGIN)  # anonymous: sign in
    assert "for people registered for the session" in refused.content.decode()
    assert "Message 2" not in refused.content.decode() + refused_part.content.decode()
    services.room_settings_update(room=room, read_access="anyone")
    assert "Message 2" in Client().get(history_url(session)).content.decode()


def test_history_of_a_session_nobody_may_see_is_not_found(session, room, registered):
    session.event.programme_published = False
    session.event.save()

    assert client_for(registered).get(history_url(session)).status_code == 404


def test_history_refuses_writes(session, room, registered):
    assert client_for(registered).post(history_url(session)).status_code == 405


@pytest.mark.parametrize("count", [1, 3])
def test_history_query_count_does_not_grow(session, room, registered, count):
    fill(room, count)
    client = client_for(registered)
    client.get(history_url(session))  # warm the session and the room's caches

    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(history_url(session)).status_code == 200
    with CaptureQueriesContext(connection) as part_queries:
        assert client.get(history_url(session), **PART).status_code == 200

    assert (len(page_queries), len(part_queries)) == (9, 12)


def test_example_messages_are_labelled_on_the_history_page(session, room, registered):
    services.message_import(
        room=room,
        author_name="Tom (example)",
        badge="",
        text="Invented",
        client_id="example-0001",
        is_example_data=True,
    )

    html = client_for(registered).get(history_url(session)).content.decode()

    assert "Example data: these messages are invented" in html
