"""The hook points of events (events/extensions.py) and public pages without join links."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from convene.events import extensions
from tests.conftest import client_for
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
JOIN = "https://teams.example.org/meet/secret"


class _Greeter(extensions.PageExtension):
    name = "greeter"

    def event_actions(self, request, event):
        return f"<p>Event action for {event.slug}</p>"

    def session_join(self, request, session):
        return f"<p>Join panel for {session.slug}</p>"

    def session_sections(self, request, session):
        return f"<h2>Section for {session.slug}</h2>"

    def programme_state(self, request, event):
        return request.user.pk if request.user.is_authenticated else None

    def programme_session(self, request, session, state):
        return f"<p>Extra for {session.slug}, state {state}</p>"


@pytest.fixture
def greeter():
    extension = _Greeter()
    with extensions.PAGES.added(extension):
        yield extension


def test_registered_extension_renders_on_event_session_and_programme(client, session, greeter):
    event_html = client.get(session.event.get_absolute_url()).content.decode()
    session_html = client.get(session.get_absolute_url()).content.decode()
    programme_html = client.get(
        reverse("events:programme", kwargs={"event": session.event.slug})
    ).content.decode()

    assert "<p>Event action for big-conversation</p>" in event_html
    assert "<p>Join panel for spread</p>" in session_html
    assert "<h2>Section for spread</h2>" in session_html
    assert "<p>Extra for spread, state None</p>" in programme_html


def test_registering_the_same_extension_twice_keeps_one(greeter):
    extensions.PAGES.register(_Greeter())

    assert [type(e) for e in extensions.PAGES.all()].count(_Greeter) == 1


def test_programme_fragment_cache_is_per_visitor_state(session, greeter, attendee, outsider):
    url = reverse("events:programme", kwargs={"event": session.event.slug})

    first = client_for(attendee).get(url).content.decode()
    second = client_for(outsider).get(url).content.decode()

    assert f"state {attendee.pk}" in first
    assert f"state {outsider.pk}" in second
    assert f"state {attendee.pk}" not in second


def test_without_a_join_panel_the_session_page_says_details_come_to_registered_people(client):
    session = SessionFactory(join_url=JOIN, join_provider="Microsoft Teams")
    with extensions.PAGES.replaced([]):
        html = client.get(session.get_absolute_url()).content.decode()

    assert "Joining details will be shared with registered people" in html
    assert JOIN not in html


@pytest.mark.parametrize("persona", [None, "organiser", "attendee"])
def test_public_calendar_files_never_contain_the_join_link(request, persona, session):
    session.join_url = JOIN
    session.save()
    client = (
        client_for(request.getfixturevalue(persona))
        if persona
        else request.getfixturevalue("client")
    )
    urls = [
        reverse("events:event_calendar", kwargs={"event": session.event.slug}),
        reverse(
            "events:session_calendar",
            kwargs={"event": session.event.slug, "session": session.slug},
        ),
    ]

    bodies = [client.get(url).content for url in urls]

    for body in bodies:
        [vevent] = Calendar.from_ical(body).walk("VEVENT")
        assert JOIN not in body.decode()
        assert str(vevent["url"]) == f"http://127.0.0.1:8000{session.get_absolute_url()}"


def test_organiser_session_form_sets_a_capacity(organiser, session):
    client = client_for(organiser)
    url = reverse("events:orga_session", kwargs={"event": session.event.slug, "pk": session.pk})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}

    response = client.post(url, data | {"capacity": "25"})

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.capacity == 25
