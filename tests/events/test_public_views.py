"""The public event site: home, event, programme, session and people pages."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.events.models import Event, Host, Session
from tests.conftest import client_for
from tests.factories import EventFactory, HostFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _programme_titles(response) -> list[str]:
    return [s.title for day in response.context["programme"].days for s in day.sessions]


def test_home_splits_upcoming_and_past_events(client):
    today = timezone.localdate()
    past = EventFactory(title="Past", start_date=date(2022, 5, 11), end_date=date(2022, 5, 12))
    soon = EventFactory(
        title="Soon", start_date=today + timedelta(days=3), end_date=today + timedelta(days=3)
    )
    later = EventFactory(
        title="Later", start_date=today + timedelta(days=30), end_date=today + timedelta(days=31)
    )
    EventFactory(title="Hidden draft", status=Event.Status.DRAFT, start_date=today, end_date=today)

    response = client.get(reverse("events:home"))

    assert response.context["upcoming"] == [soon, later]
    assert response.context["past"] == [past]
    assert b"Hidden draft" not in response.content


def test_home_shows_drafts_only_to_people_with_a_role(event, organiser, outsider):
    event.status = Event.Status.DRAFT
    event.save()

    seen_by_organiser = client_for(organiser).get(reverse("events:home")).context["upcoming"]
    seen_by_outsider = client_for(outsider).get(reverse("events:home")).context["upcoming"]

    assert seen_by_organiser == [event]
    assert seen_by_outsider == []


def test_event_page_shows_details_and_renders_markdown(client, event):
    event.description = "We **improve** together.\n\n- one\n- two"
    event.hashtags = "ImprovingTogether, #SolvingTogether"
    event.save()

    response = client.get(event.get_absolute_url())

    html = response.content.decode()
    assert "<strong>improve</strong>" in html
    assert "<li>one</li>" in html
    assert "#ImprovingTogether #SolvingTogether" in html


def test_markdown_with_script_renders_inert(client, event):
    event.description = (
        'Hello <script>alert("x")</script> [click](javascript:alert(1)) '
        '<img src=x onerror="alert(2)"> <a href="https://example.org" onclick="evil()">ok</a>'
    )
    event.save()

    html = client.get(event.get_absolute_url()).content.decode()

    body = html.split('id="maincontent"', 1)[1]
    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert "onclick" not in body
    assert "<img" not in body
    assert 'href="https://example.org"' in body


def test_unknown_event_is_a_404_page(client):
    response = client.get("/events/no-such-event/")

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_unknown_session_is_a_404_page(client, event):
    response = client.get(f"/events/{event.slug}/sessions/no-such-session/")

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_session_of_another_event_is_a_404(client, session):
    other = EventFactory()

    response = client.get(f"/events/{other.slug}/sessions/{session.slug}/")

    assert response.status_code == 404


def test_programme_groups_sessions_by_day_in_the_event_zone(client, event):
    # 23:30 London on 11 May is 22:30 UTC: it belongs to the 11th, not the 12th.
    late = SessionFactory(
        event=event,
        title="Late",
        start=datetime(2030, 5, 11, 23, 30, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 0, 30, tzinfo=LONDON),
    )
    early = SessionFactory(
        event=event,
        title="Early",
        start=datetime(2030, 5, 12, 0, 45, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 1, 30, tzinfo=LONDON),
    )

    days = (
        client.get(reverse("events:programme", kwargs={"event": event.slug}))
        .context["programme"]
        .days
    )

    assert [(d.day, d.sessions) for d in days] == [
        (date(2030, 5, 11), [late]),
        (date(2030, 5, 12), [early]),
    ]


def test_programme_shows_times_in_event_zone_with_utc_datetime(client, event):
    SessionFactory(
        event=event,
        title="Scale and spread",
        start=datetime(2030, 6, 28, 10, 20, tzinfo=LONDON),
        end=datetime(2030, 6, 28, 10, 55, tzinfo=LONDON),
    )

    html = client.get(reverse("events:programme", kwargs={"event": event.slug})).content.decode()

    assert '<time datetime="2030-06-28T09:20:00Z" data-local-time>10:20</time>' in html
    assert '<time datetime="2030-06-28T09:55:00Z" data-local-time>10:55</time>' in html


def test_programme_across_a_clock_change_shows_local_wall_times(client):
    event = EventFactory(start_date=date(2030, 3, 30), end_date=date(2030, 3, 31))
    # The clocks go forward at 01:00 UTC on 31 March 2030.
    SessionFactory(
        event=event,
        title="Before",
        start=datetime(2030, 3, 31, 0, 30, tzinfo=ZoneInfo("UTC")),
        end=datetime(2030, 3, 31, 0, 50, tzinfo=ZoneInfo("UTC")),
    )
    SessionFactory(
        event=event,
        title="After",
        start=datetime(2030, 3, 31, 1, 30, tzinfo=ZoneInfo("UTC")),
        end=datetime(2030, 3, 31, 1, 50, tzinfo=ZoneInfo("UTC")),
    )

    html = client.get(reverse("events:programme", kwargs={"event": event.slug})).content.decode()

    assert '<time datetime="2030-03-31T00:30:00Z" data-local-time>00:30</time>' in html
    assert '<time datetime="2030-03-31T01:30:00Z" data-local-time>02:30</time>' in html


def test_programme_filter_by_kind(client, event):
    SessionFactory(event=event, title="Talk", kind=Session.Kind.PLENARY)
    SessionFactory(event=event, title="Chat", kind=Session.Kind.TWEET_CHAT)

    response = client.get(
        reverse("events:programme", kwargs={"event": event.slug}), {"kind": "tweet_chat"}
    )

    assert _programme_titles(response) == ["Chat"]
    assert [value for value, _ in response.context["programme"].kinds] == ["plenary", "tweet_chat"]


def test_programme_filter_with_unknown_kind_shows_error_and_everything(client, event):
    SessionFactory(event=event, title="Talk", kind=Session.Kind.PLENARY)

    response = client.get(
        reverse("events:programme", kwargs={"event": event.slug}), {"kind": "rave"}
    )

    assert response.status_code == 200
    assert _programme_titles(response) == ["Talk"]
    assert b"Choose a type from the list" in response.content


def test_programme_marks_happening_now_and_next_using_the_server_clock(client):
    today = timezone.localdate()
    event = EventFactory(start_date=today, end_date=today)
    now = timezone.now()
    current = SessionFactory(
        event=event,
        title="Current",
        start=now - timedelta(minutes=10),
        end=now + timedelta(minutes=20),
    )
    SessionFactory(
        event=event,
        title="Coffee",
        kind=Session.Kind.BREAK,
        start=now + timedelta(minutes=20),
        end=now + timedelta(minutes=30),
    )
    following = SessionFactory(
        event=event,
        title="Following",
        start=now + timedelta(minutes=30),
        end=now + timedelta(minutes=60),
    )
    SessionFactory(
        event=event,
        title="Later",
        start=now + timedelta(minutes=90),
        end=now + timedelta(minutes=120),
    )

    response = client.get(reverse("events:programme", kwargs={"event": event.slug}))

    programme = response.context["programme"]
    assert programme.now == [current]
    assert programme.next == [following]
    html = response.content.decode()
    assert html.count("Happening now") == 1
    assert html.count(">Next<") == 1


def test_cancelled_session_stays_visible_marked_cancelled_and_is_never_next(client, event):
    SessionFactory(event=event, title="Called off", status=Session.Status.CANCELLED)

    response = client.get(reverse("events:programme", kwargs={"event": event.slug}))

    assert _programme_titles(response) == ["Called off"]
    assert response.context["programme"].next == []
    assert b"Cancelled" in response.content


def test_session_page_shows_hosts_time_joining_and_hashtags(client, event):
    track = TrackFactory(event=event, name="Open Conversations A")
    session = SessionFactory(
        event=event,
        title="Spread",
        track=track,
        hashtags="#NHSSpread",
        start=datetime(2030, 5, 12, 11, 30, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 12, 30, tzinfo=LONDON),
        join_url="https://teams.example.org/meet/1",
        join_provider="Microsoft Teams",
    )
    HostFactory(session=session, guest_name="Diane Ketley", role=Host.Role.HOST, position=0)
    HostFactory(
        session=session,
        guest_name="Carol Munt",
        role=Host.Role.LIVED_EXPERIENCE_PARTNER,
        social_handle="@muntma",
        position=1,
    )

    html = client.get(session.get_absolute_url()).content.decode()

    assert "Diane Ketley" in html
    assert "Carol Munt" in html
    assert "Lived-experience partner" in html
    assert "@muntma" in html
    assert "Open Conversations A" in html
    assert "#NHSSpread" in html
    assert "Microsoft Teams" in html
    assert "https://teams.example.org/meet/1" not in html  # only for registered people
    assert '<time datetime="2030-05-12T10:30:00Z" data-local-time>11:30</time>' in html


def test_cancelled_session_page_says_so_and_hides_the_join_link(client, event):
    session = SessionFactory(
        event=event, status=Session.Status.CANCELLED, join_url="https://teams.example.org/x"
    )

    html = client.get(session.get_absolute_url()).content.decode()

    assert "This session has been cancelled" in html
    assert "https://teams.example.org/x" not in html


def test_people_page_lists_each_host_once_with_all_their_sessions(client, event):
    first = SessionFactory(event=event, title="First")
    second = SessionFactory(
        event=event,
        title="Second",
        start=first.start + timedelta(hours=2),
        end=first.end + timedelta(hours=2),
    )
    HostFactory(
        session=first, guest_name="Joe Sladen", organisation="Wessex AHSN", role=Host.Role.CO_HOST
    )
    HostFactory(session=second, guest_name="Joe Sladen", role=Host.Role.SPEAKER)
    HostFactory(session=second, guest_name="Carol Munt", role=Host.Role.LIVED_EXPERIENCE_PARTNER)

    people = client.get(reverse("events:people", kwargs={"event": event.slug})).context["people"]

    assert [(p.name, p.roles, p.organisation, p.sessions) for p in people] == [
        ("Carol Munt", ["Lived-experience partner"], "", [second]),
        ("Joe Sladen", ["Co-host", "Speaker"], "Wessex AHSN", [first, second]),
    ]


def test_event_pages_label_example_data(client, event):
    event.is_example_data = True
    event.save()

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Example data" in html


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_pages_refuse_writes(client, session, method):
    response = getattr(client, method)(session.get_absolute_url())

    assert response.status_code == 405


def test_visitor_can_switch_the_programme_to_their_time_zone(client, event):
    SessionFactory(
        event=event,
        title="Late in London",
        start=datetime(2030, 5, 11, 23, 30, tzinfo=LONDON),
        end=datetime(2030, 5, 12, 0, 15, tzinfo=LONDON),
    )
    url = reverse("events:programme", kwargs={"event": event.slug})

    response = client.get(url, {"tz": "Asia/Kolkata"})

    html = response.content.decode()
    # 23:30 BST is 04:00 the next day in India, and is grouped on that day.
    assert '<time datetime="2030-05-11T22:30:00Z" data-local-time>04:00</time>' in html
    assert [d.day for d in response.context["programme"].days] == [date(2030, 5, 12)]
    assert "Times are in Asia/Kolkata time, as you chose." in html


def test_a_browser_alias_of_a_zone_shows_the_canonical_zone(client, event):
    # Browsers may report the old name (Asia/Calcutta); the list only has Asia/Kolkata.
    response = client.get(
        reverse("events:programme", kwargs={"event": event.slug}), {"tz": "Asia/Calcutta"}
    )

    html = response.content.decode()
    assert response.context["zone"] == "Asia/Kolkata"
    assert "Times are in Asia/Kolkata time, as you chose." in html
    assert '<option value="Asia/Kolkata" selected>Kolkata</option>' in html
    assert 'value="Asia/Calcutta"' not in html


def test_unknown_time_zone_keeps_the_event_zone_and_the_kind_filter(client, event):
    SessionFactory(event=event, title="Talk", kind=Session.Kind.PLENARY)
    SessionFactory(event=event, title="Chat", kind=Session.Kind.TWEET_CHAT)

    response = client.get(
        reverse("events:programme", kwargs={"event": event.slug}),
        {"tz": "Mars/Olympus_Mons", "kind": "plenary"},
    )

    assert _programme_titles(response) == ["Talk"]
    assert response.context["zone"] == "Europe/London"
    assert b"Choose a time zone from the list" in response.content


def test_event_page_says_recordings_come_after_an_event_that_has_not_ended(client, event):
    event.resources_intro = "Recordings and slides: a digital goody bag."
    event.save()

    html = client.get(event.get_absolute_url()).content.decode()

    assert "They are published here after the event, which ends on 12 May 2030." in html
    assert "None are published yet" not in html


def test_event_page_says_no_recordings_are_published_yet_after_the_event(client, event):
    event.start_date, event.end_date = date(2022, 5, 11), date(2022, 5, 12)
    event.resources_intro = "Recordings and slides: a digital goody bag."
    event.save()

    html = client.get(event.get_absolute_url()).content.decode()

    assert "None are published yet. The organisers add them here after the event." in html
