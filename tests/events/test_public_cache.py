"""Whole public answers (core.response_cache): never stale.

Each test fills the cache through the site's real ASGI application (tests/asgi.py),
checks the next request is a hit, changes something the page shows the way the
site or the admin would, and checks the very next request shows it. Run on
SQLite (no Redis) and on PostgreSQL with Redis: the stamps live in the database
either way, so every process sees a change at once.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.accounts.services import user_erase, user_update_profile
from convene.events import services
from convene.events.models import Host, Session
from tests.asgi import get, site
from tests.factories import HostFactory, SessionFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = ZoneInfo("Europe/London")


def hits() -> int:
    return site()[1].hits


def cached_twice(path: str, **kwargs) -> str:
    """GET twice; the second answer must come from the response cache, unchanged."""
    first = get(path, **kwargs)
    assert first.status == 200, first.text[:500]
    before = hits()
    second = get(path, **kwargs)
    assert hits() == before + 1, f"{path} was not served from the cache"
    assert second.body == first.body
    return second.text


@pytest.fixture
def track(event):
    return TrackFactory(event=event, name="Spread and adoption")


@pytest.fixture
def talk(event, track):
    return SessionFactory(event=event, slug="spread", title="Spreading improvement", track=track)


def programme_url(event) -> str:
    return reverse("events:programme", kwargs={"event": event.slug})


def session_url(session) -> str:
    return reverse("events:session", kwargs={"event": session.event.slug, "session": session.slug})


PUBLIC_PAGES = [
    "events:programme",
    "events:event",
    "events:people",
    "events:event_calendar",
    "events:schedule_json",
    "events:schedule_xml",
]


@pytest.mark.parametrize("name", [*PUBLIC_PAGES, "events:session", "events:session_calendar"])
def test_a_sessions_new_title_is_on_the_very_next_answer(talk, name):
    kwargs = {"event": talk.event.slug}
    if name in {"events:session", "events:session_calendar"}:
        kwargs["session"] = talk.slug
    if name == "events:people":
        HostFactory(session=talk, guest_name="Ada Host")
    path = reverse(name, kwargs=kwargs)
    assert "Spreading improvement" in cached_twice(path)

    services.session_update(session=talk, title="Spreading improvement again", by=None)

    assert "Spreading improvement again" in get(path).text


def test_a_new_host_and_a_hosts_new_name_show_at_once(talk):
    person = UserFactory(name="Hana Host")
    path = session_url(talk)
    assert "Hana Host" not in cached_twice(path)

    services.host_add(session=talk, role=Host.Role.HOST, user=person, by=None)
    assert "Hana Host" in get(path).text
    people = reverse("events:people", kwargs={"event": talk.event.slug})
    assert "Hana Host" in cached_twice(people)

    # The name comes from the person's account: their profile, not the host row.
    user_update_profile(user=person, name="Hana Renamed")
    assert "Hana Renamed" in get(path).text
    assert "Hana Renamed" in get(people).text


def test_a_renamed_track_shows_at_once(talk, track):
    path = session_url(talk)
    assert "Spread and adoption" in cached_twice(path)

    services.track_rename(track=track, name="Adoption at scale", by=None)

    assert "Adoption at scale" in get(path).text


def test_unpublishing_the_programme_is_seen_at_once(talk):
    event = talk.event
    programme, session = programme_url(event), session_url(talk)
    assert "Spreading improvement" in cached_twice(programme)
    cached_twice(session)
    ics = reverse("events:event_calendar", kwargs={"event": event.slug})
    cached_twice(ics)

    services.programme_unpublish(event=event, by=None)

    assert "The programme has not been published yet" in get(programme).text
    assert get(session).status == 404
    assert get(ics).status == 404


def test_an_event_edited_in_the_admin_and_a_changed_slug_leave_no_old_page(talk):
    event = talk.event
    old_path = reverse("events:event", kwargs={"event": event.slug})
    assert event.title in cached_twice(old_path)
    home = cached_twice("/")
    assert event.title in home

    event.title = "The Bigger Conversation"
    event.save()  # as the admin does
    assert "The Bigger Conversation" in get(old_path).text
    assert "The Bigger Conversation" in get("/").text

    cached_twice(old_path)
    event.slug = "bigger-conversation"
    event.save()
    assert get(old_path).status == 404


def test_a_cancelled_session_is_marked_at_once(talk):
    path = session_url(talk)
    assert "This session has been cancelled" not in cached_twice(path)

    services.session_cancel(session=talk, by=None)

    assert "This session has been cancelled" in get(path).text


def at(monkeypatch, moment: datetime) -> None:
    """The server's clock (timezone.now, which every view and the cache read) is `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_clock_passing_a_sessions_start_and_end_is_seen_at_once(monkeypatch, talk):
    """'Next' becomes 'Happening now' when the session starts, and its page says it has
    ended when it ends, with no change in the database."""
    start = talk.start
    programme, session = programme_url(talk.event), session_url(talk)
    event_page = reverse("events:event", kwargs={"event": talk.event.slug})

    at(monkeypatch, start - timedelta(minutes=10))
    html = cached_twice(programme)
    assert "Next</strong>" in html
    assert "Happening now" not in html
    assert "Happening now" not in cached_twice(event_page)
    assert "This session has ended" not in cached_twice(session)

    at(monkeypatch, start + timedelta(seconds=1))
    assert "Happening now" in get(programme).text
    assert "Happening now" in get(event_page).text

    at(monkeypatch, talk.end)
    assert "This session has ended" in get(session).text
    assert "Happening now" not in get(programme).text


def test_the_event_ending_closes_registration_on_its_pages_at_once(monkeypatch, talk):
    event = talk.event
    path = reverse("events:event", kwargs={"event": event.slug})
    last_day = datetime.combine(event.end_date, datetime.min.time(), LONDON)
    at(monkeypatch, last_day + timedelta(hours=23, minutes=59))
    assert "registration is closed" not in cached_twice(path)

    at(monkeypatch, last_day + timedelta(days=1))

    assert "registration is closed" in get(path).text


def test_a_filtered_programme_and_a_chosen_zone_are_answers_of_their_own(event):
    SessionFactory(event=event, title="A workshop", kind=Session.Kind.WORKSHOP)
    SessionFactory(event=event, title="A plenary", kind=Session.Kind.PLENARY)
    path = programme_url(event)
    everything = cached_twice(path)
    workshops = cached_twice(f"{path}?kind=workshop")
    in_tokyo = cached_twice(f"{path}?tz=Asia/Tokyo")

    assert "A plenary" in everything
    assert "A plenary" not in workshops
    assert "A workshop" in workshops
    assert "Times are in Asia/Tokyo time" in in_tokyo


def test_an_erased_hosts_name_leaves_the_cached_pages_at_once(talk):
    person = UserFactory(name="Hana Host")
    services.host_add(session=talk, role=Host.Role.HOST, user=person, by=None)
    path = session_url(talk)
    people = reverse("events:people", kwargs={"event": talk.event.slug})
    assert "Hana Host" in cached_twice(path)
    assert "Hana Host" in cached_twice(people)

    user_erase(user=person)

    assert "Hana Host" not in get(path).text
    assert "Hana Host" not in get(people).text
