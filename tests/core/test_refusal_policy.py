"""The one refusal policy (docs/decisions/0018-one-refusal-policy.md), app by app.

The same situation gets the same answer and the same template everywhere:

- the thing's existence is private (a draft event): 404, 404.html, for anyone
  without a role, signed in or not;
- the thing is public, the visitor is anonymous: a sign-in redirect back here;
- the thing is public, the person is signed in without the right: 403, 403.html.

Views: the events organiser area, the attendance organiser pages, the live
room's management and the event's chat settings, contribution moderation, and
the console's dashboard.
The personas and what a sign-in redirect is (`outcome`): tests/personas.py.
"""

import pytest
from django.test import Client
from django.urls import reverse

from convene.events.models import Event
from tests.personas import LOGIN, client_for, outcome, sign_in_url

pytestmark = pytest.mark.django_db


def _event(name):
    return lambda session: reverse(name, kwargs={"event": session.event.slug})


def _session(name):
    return lambda session: reverse(
        name, kwargs={"event": session.event.slug, "session": session.slug}
    )


VIEWS = {
    "events orga": _event("events:orga_grid"),
    "events orga sessions": _event("events:orga_sessions"),
    "events settings": _event("events:orga_settings"),
    "attendance orga": _event("attendance:orga_registrations"),
    "attendance numbers": _event("attendance:orga_numbers"),
    "live room management": _session("live:manage"),
    "live transcript": _session("live:transcript_csv"),
    "live event settings": _event("live:event_settings"),
    "contributions moderation": _session("contributions:session_hidden"),
    "contributions questions": _session("contributions:session_questions"),
    "contributions event moderation": _event("contributions:event_hidden"),
    "console dashboard": _event("console:dashboard"),
}


def _answer(response) -> tuple[object, str]:
    """(`outcome`: the status or LOGIN, the refusal template rendered)."""
    names = {t.name for t in response.templates}
    template = next((n for n in ("403.html", "404.html") if n in names), "")
    return outcome(response), template


@pytest.fixture
def draft(session):
    Event.objects.filter(pk=session.event_id).update(status=Event.Status.DRAFT)
    session.event.refresh_from_db()
    return session


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("persona", ["anonymous", "outsider", "attendee"])
def test_a_private_thing_answers_404_to_people_without_a_role(as_persona, draft, view, persona):
    response = as_persona(persona).get(VIEWS[view](draft))

    assert _answer(response) == (404, "404.html")


@pytest.mark.parametrize("view", VIEWS)
def test_a_public_thing_sends_anonymous_visitors_to_sign_in(session, view):
    url = VIEWS[view](session)

    response = Client().get(url)

    assert _answer(response) == (LOGIN, "")
    assert response["Location"] == sign_in_url(url)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("persona", ["outsider", "attendee", "judge"])
def test_a_public_thing_answers_403_to_signed_in_people_without_the_right(
    as_persona, session, view, persona
):
    response = as_persona(persona).get(VIEWS[view](session))

    assert _answer(response) == (403, "403.html")


@pytest.mark.parametrize("view", VIEWS)
def test_the_organiser_gets_through_everywhere(session, organiser, view):
    response = client_for(organiser).get(VIEWS[view](session))

    assert response.status_code == 200


@pytest.mark.parametrize("view", VIEWS)
def test_a_superuser_gets_through_everywhere(superuser, session, view):
    response = client_for(superuser).get(VIEWS[view](session))

    assert response.status_code == 200


def test_the_live_rooms_own_refusal_is_a_403_page_too(session, outsider):
    """A room for registered people tells signed-in people how to register; it is
    a 403 that extends 403.html. Anonymous visitors are sent to sign in."""
    url = _session("live:room")(session)

    refused = client_for(outsider).get(url)
    anonymous = Client().get(url)

    assert _answer(refused) == (403, "403.html")
    assert "Register on the session page" in refused.content.decode()
    assert _answer(anonymous) == (LOGIN, "")
    assert anonymous["Location"] == sign_in_url(url)
