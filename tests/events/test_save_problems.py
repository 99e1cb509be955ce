"""Right after saving a session, the page the organiser lands on names the
schedule problems the session is part of, with links to fix them."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from convene.events.models import Event, Session
from tests.conftest import client_for
from tests.factories import HostFactory, RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db

CALLOUT = re.compile(r'<div class="nhsuk-warning-callout" id="session-problems">(.*?)</div>', re.S)


@pytest.fixture
def social(event):
    """No join links needed (a social-media event), so only clashes can be problems."""
    event.format = Event.Format.SOCIAL
    event.save()
    return event


@pytest.fixture
def plenary(social):
    room = RoomFactory(event=social, name="Main stage")
    session = SessionFactory(
        event=social,
        title="Opening plenary",
        room=room,
        start=datetime.fromisoformat("2030-05-11T10:00+01:00"),
        end=datetime.fromisoformat("2030-05-11T11:00+01:00"),
    )
    HostFactory(session=session, guest_name="Diane Ketley")
    return session


@pytest.fixture
def clinic(plenary):
    session = SessionFactory(
        event=plenary.event,
        title="Top tips clinic",
        room=plenary.room,
        start=datetime.fromisoformat("2030-05-11T14:00+01:00"),
        end=datetime.fromisoformat("2030-05-11T15:00+01:00"),
    )
    HostFactory(session=session, guest_name="Diane Ketley")
    return session


def _save(client, session, start: str, end: str):
    return client.post(
        reverse("events:orga_session", kwargs={"event": session.event.slug, "pk": session.pk}),
        {
            "title": session.title,
            "kind": session.kind,
            "day": "2030-05-11",
            "start_time": start,
            "end_time": end,
            "room": session.room_id,
        },
        follow=True,
    )


def _callout(response) -> tuple[list[str], list[str]]:
    """The problems the page names, and the links of the callout."""
    html = response.content.decode()
    match = CALLOUT.search(html)
    if match is None:
        return [], []
    body = match.group(1)
    problems = re.findall(r'<span class="convene-problem">(.*?)</span>', body)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', body)
    return problems, links


def test_saving_a_session_into_a_clash_names_the_clashes_after_the_redirect(
    organiser, plenary, clinic
):
    response = _save(client_for(organiser), clinic, "10:30", "11:30")

    problems, links = _callout(response)
    assert response.redirect_chain[-1][1] == 302
    assert "Session saved." in response.content.decode()
    assert problems == [
        "Diane Ketley hosts “Opening plenary” and “Top tips clinic” at the same time.",
        "“Opening plenary” and “Top tips clinic” overlap in Main stage.",
    ]
    edit_plenary = reverse(
        "events:orga_session", kwargs={"event": plenary.event.slug, "pk": plenary.pk}
    )
    assert links == [
        ("#hosts", "Change the hosts"),
        (edit_plenary, "Edit “Opening plenary”"),
        ("#id_day", "Change the day, time or room"),
        (edit_plenary, "Edit “Opening plenary”"),
        (reverse("events:orga_problems", kwargs={"event": plenary.event.slug}),
         "See all schedule problems"),
    ]  # fmt: skip


def test_a_clean_save_shows_no_problems(organiser, plenary, clinic):
    response = _save(client_for(organiser), clinic, "14:30", "15:30")

    assert "Session saved." in response.content.decode()
    assert _callout(response) == ([], [])
    assert Session.objects.get(pk=clinic.pk).start == datetime.fromisoformat(
        "2030-05-11T14:30+01:00"
    )


def test_adding_a_session_names_its_problems(organiser, plenary):
    response = client_for(organiser).post(
        reverse("events:orga_session_create", kwargs={"event": plenary.event.slug}),
        {
            "title": "Drop-in",
            "kind": "workshop",
            "day": "2030-05-13",
            "start_time": "10:30",
            "end_time": "11:00",
            "room": plenary.room_id,
        },
        follow=True,
    )

    problems, _links = _callout(response)
    assert "“Drop-in” added to the programme." in response.content.decode()
    assert problems == [
        "“Drop-in” is outside the event&#x27;s days (11 May to 12 May 2030).",
        "“Drop-in” has no host.",
    ]


def test_an_online_session_without_a_join_link_says_so(organiser, event):
    session = SessionFactory(event=event, title="Huddle")
    HostFactory(session=session)

    html = client_for(organiser).get(
        reverse("events:orga_session", kwargs={"event": event.slug, "pk": session.pk})
    )

    problems, links = _callout(html)
    assert problems == ["“Huddle” is online but has no join link."]
    assert links[0] == ("#id_join_url", "Add a join link")
