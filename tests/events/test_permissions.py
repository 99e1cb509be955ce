"""Permission matrix for the public event pages: who may see a published and a draft event."""

import pytest
from django.test import Client

from convene.events.models import Event
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAGES = ["event", "programme", "people", "session"]


def _url(page: str, session) -> str:
    event = session.event
    return {
        "event": f"/events/{event.slug}/",
        "programme": f"/events/{event.slug}/programme/",
        "people": f"/events/{event.slug}/people/",
        "session": f"/events/{event.slug}/sessions/{session.slug}/",
    }[page]


@pytest.fixture
def personas(organiser, host, judge, attendee, outsider):
    return {
        "anonymous": Client(),
        "organiser": client_for(organiser),
        "host": client_for(host),
        "judge": client_for(judge),
        "attendee": client_for(attendee),
        "outsider": client_for(outsider),
    }


@pytest.mark.parametrize("page", PAGES)
def test_published_event_pages_are_open_to_everyone(personas, session, page):
    statuses = {name: c.get(_url(page, session)).status_code for name, c in personas.items()}

    assert statuses == dict.fromkeys(personas, 200)


@pytest.mark.parametrize("page", PAGES)
def test_draft_event_pages_are_refused_to_people_without_a_role(personas, session, page):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)

    statuses = {name: c.get(_url(page, session)).status_code for name, c in personas.items()}

    assert statuses == {
        "anonymous": 404,
        "organiser": 200,
        "host": 200,
        "judge": 200,
        "attendee": 404,
        "outsider": 404,
    }


def test_superuser_sees_drafts(session, django_user_model):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)
    admin = django_user_model.objects.create_superuser("root@example.org", "pw-long-enough-1")

    assert client_for(admin).get(_url("programme", session)).status_code == 200


def test_admin_refuses_non_staff_organiser(organiser):
    response = client_for(organiser).get("/admin/events/event/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_lets_superuser_search_sessions(session, django_user_model):
    admin = django_user_model.objects.create_superuser("root@example.org", "pw-long-enough-1")

    response = client_for(admin).get("/admin/events/session/", {"q": "Spreading"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [session]


def test_unpublished_programme_is_hidden_from_people_without_a_role(personas, session):
    Event.objects.filter(pk=session.event_id).update(programme_published=False)

    session_statuses = {n: c.get(_url("session", session)).status_code for n, c in personas.items()}
    programmes = {
        n: c.get(_url("programme", session)).context["programme"] for n, c in personas.items()
    }

    assert session_statuses == {
        "anonymous": 404,
        "organiser": 200,
        "host": 200,
        "judge": 200,
        "attendee": 404,
        "outsider": 404,
    }
    assert {n for n, p in programmes.items() if p is None} == {"anonymous", "attendee", "outsider"}
    assert personas["anonymous"].get(_url("people", session)).context["people"] is None
    assert (
        b"programme has not been published yet"
        in personas["anonymous"].get(_url("programme", session)).content
    )


def test_only_organisers_see_the_organise_link(personas, session):
    pages = {n: c.get(_url("programme", session)).content.decode() for n, c in personas.items()}

    assert {n for n, html in pages.items() if "Organise this event" in html} == {"organiser"}
