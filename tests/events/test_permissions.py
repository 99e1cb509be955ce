"""Permission matrix for the public event pages: who may see a published and a draft event
(the personas and `matrix`: tests/personas.py)."""

import pytest

from convene.events.models import Event
from tests.personas import DRAFT_PERSONAS, PERSONAS, client_for, matrix, outcome

pytestmark = pytest.mark.django_db

PAGES = ["event", "programme", "people", "session"]
# A draft, or a programme not yet published, is for people with a role in the event.
WITH_A_ROLE = {"organiser": 200, "host": 200, "moderator": 200, "judge": 200, "superuser": 200}


def _url(page: str, session) -> str:
    event = session.event
    return {
        "event": f"/events/{event.slug}/",
        "programme": f"/events/{event.slug}/programme/",
        "people": f"/events/{event.slug}/people/",
        "session": f"/events/{event.slug}/sessions/{session.slug}/",
    }[page]


@pytest.fixture
def personas(as_persona, organiser, host, moderator, speaker, judge, attendee, outsider, superuser):
    """A client for every persona, each person made before any page is asked for."""
    return {persona: as_persona(persona) for persona in PERSONAS}


@pytest.mark.parametrize("page", PAGES)
def test_published_event_pages_are_open_to_everyone(personas, session, page):
    statuses = {name: outcome(c.get(_url(page, session))) for name, c in personas.items()}

    assert statuses == dict(matrix({}, refused=200))


@pytest.mark.parametrize("page", PAGES)
def test_draft_event_pages_are_refused_to_people_without_a_role(personas, session, page):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)

    statuses = {name: outcome(personas[name].get(_url(page, session))) for name in DRAFT_PERSONAS}

    assert statuses == dict(matrix(WITH_A_ROLE, refused=404, personas=DRAFT_PERSONAS))


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

    session_statuses = {
        n: outcome(personas[n].get(_url("session", session))) for n in DRAFT_PERSONAS
    }
    programmes = {
        n: personas[n].get(_url("programme", session)).context["programme"] for n in DRAFT_PERSONAS
    }

    assert session_statuses == dict(matrix(WITH_A_ROLE, refused=404, personas=DRAFT_PERSONAS))
    assert {n for n, p in programmes.items() if p is None} == {"anonymous", "attendee", "outsider"}
    assert personas["anonymous"].get(_url("people", session)).context["people"] is None
    assert (
        b"programme has not been published yet"
        in personas["anonymous"].get(_url("programme", session)).content
    )


def test_only_organisers_see_the_organise_link(personas, session):
    pages = {n: c.get(_url("programme", session)).content.decode() for n, c in personas.items()}

    # A superuser may organise every event.
    assert {n for n, html in pages.items() if "Organise this event" in html} == {
        "organiser",
        "superuser",
    }
