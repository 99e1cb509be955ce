"""Every view's rule, persona by persona (the permission matrix).

Personas: the organiser of the event; the session's host, moderator and
speaker; the attendee who shared `tip` and `question`; an outsider; a judge of
the event (a role, but not in this session); a superuser; anonymous visitors
(tests/personas.py: `PERSONAS`, `matrix`, `outcome`; the fixtures in tests/conftest.py).
Refusals: 404 where the page's existence is private (drafts), a sign-in
redirect for anonymous visitors, 403 for signed-in people without the right.
"""

import pytest
from django.urls import reverse

from convene.contributions import services
from convene.contributions.models import Contribution, Vote
from convene.events.models import Event, Session
from tests.factories import HostFactory, SessionFactory, UserFactory
from tests.personas import (
    DRAFT_PERSONAS,
    LOGIN,
    PERSONAS,
    SIGNED_IN,
    client_for,
    matrix,
    outcome,
)

pytestmark = pytest.mark.django_db


def _session_url(name: str, session) -> str:
    return reverse(
        f"contributions:{name}", kwargs={"event": session.event.slug, "session": session.slug}
    )


def _event_url(name: str, event) -> str:
    return reverse(f"contributions:{name}", kwargs={"event": event.slug})


# --- Reading ------------------------------------------------------------------------

READ_VIEWS = [
    "session_board", "session_votes", "session_csv", "session_markdown",
]  # fmt: skip
EVENT_READ_VIEWS = ["event_board", "event_votes", "event_csv", "event_markdown"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", READ_VIEWS)
def test_anyone_reads_a_published_sessions_board_and_downloads(
    as_persona, session, organiser, host, moderator, speaker, judge, persona, view
):
    assert as_persona(persona).get(_session_url(view, session)).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", EVENT_READ_VIEWS)
def test_anyone_reads_a_published_events_board(as_persona, event, organiser, judge, persona, view):
    assert as_persona(persona).get(_event_url(view, event)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {"organiser": 200, "host": 200, "moderator": 200, "judge": 200, "superuser": 200},
        refused=404,
        personas=DRAFT_PERSONAS,
    ),
)
@pytest.mark.parametrize("view", [*READ_VIEWS, "session_questions"])
def test_a_draft_events_boards_are_404_to_people_without_a_role(
    as_persona, event, session, organiser, host, judge, persona, expected, view
):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    response = as_persona(persona).get(_session_url(view, session))

    # The judge sees the draft, but is no host: the questions queue stays closed.
    if view == "session_questions" and persona == "judge":
        expected = 403
    assert outcome(response) == expected


def test_an_unpublished_programme_hides_session_boards_from_the_public(client, event, session):
    Event.objects.filter(pk=event.pk).update(programme_published=False)

    assert client.get(_session_url("session_board", session)).status_code == 404
    assert client.get(_event_url("event_board", event)).status_code == 404


def test_breaks_have_no_board(client, event):
    coffee = SessionFactory(event=event, slug="coffee", kind=Session.Kind.BREAK)

    assert client.get(_session_url("session_board", coffee)).status_code == 404


def test_read_views_refuse_writes(client, session):
    for view in ["session_votes", "session_csv", "session_markdown", "session_hidden"]:
        assert client.post(_session_url(view, session)).status_code == 405


# --- Adding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix({"anonymous": LOGIN}, refused=302),
)
def test_every_signed_in_person_may_share_on_a_board(
    as_persona, session, organiser, host, moderator, speaker, judge, persona, expected
):
    response = as_persona(persona).post(
        _session_url("session_board", session), {"kind": "tip", "text": "Hello"}
    )

    assert outcome(response) == expected
    assert Contribution.objects.count() == (0 if persona == "anonymous" else 1)


def test_a_deactivated_account_may_not_share(session, outsider):
    client = client_for(outsider)
    outsider.is_active = False
    outsider.save()

    response = client.post(_session_url("session_board", session), {"kind": "tip", "text": "x"})

    assert outcome(response) in {LOGIN, 403}
    assert not Contribution.objects.exists()


# --- One contribution ------------------------------------------------------------------


def _url(name: str, contribution) -> str:
    return reverse(f"contributions:{name}", kwargs={"pk": contribution.pk})


ALL_SIGNED_IN = dict.fromkeys(SIGNED_IN, 302) | {"anonymous": LOGIN}


@pytest.mark.parametrize(("persona", "expected"), matrix(ALL_SIGNED_IN))
def test_every_signed_in_person_may_vote(
    as_persona, tip, organiser, host, moderator, speaker, judge, persona, expected
):
    response = as_persona(persona).post(_url("vote", tip), {"on": "1"})

    assert outcome(response) == expected
    assert Vote.objects.count() == (0 if persona == "anonymous" else 1)


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix({"attendee": 200, "anonymous": LOGIN}, refused=403),
)
@pytest.mark.parametrize("view", ["edit", "delete"])
def test_only_the_author_edits_and_deletes(
    as_persona, tip, organiser, host, moderator, speaker, judge, persona, expected, view
):
    client = as_persona(persona)

    page = client.get(_url(view, tip))
    post = client.post(_url(view, tip), {"kind": "tip", "text": "Changed"})

    assert outcome(page) == expected
    assert outcome(post) == (302 if expected == 200 else expected)
    changed = not Contribution.objects.filter(text="Start small and share what you learn.").exists()
    assert changed == (expected == 200)


MODERATORS = {"organiser": 302, "host": 302, "moderator": 302, "superuser": 302}


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(MODERATORS | {"anonymous": LOGIN}, refused=403),
)
def test_only_moderators_hide_and_restore(
    as_persona, tip, organiser, host, moderator, speaker, judge, persona, expected
):
    client = as_persona(persona)

    hidden = client.post(_url("hide", tip))
    was_hidden = Contribution.objects.get().status == Contribution.Status.HIDDEN
    if not was_hidden:  # so that restore is tried on a hidden one either way
        services.contribution_hide(contribution=tip, by=UserFactory())
    restored = client.post(_url("restore", tip))

    assert (outcome(hidden), outcome(restored)) == (expected, expected)
    assert was_hidden == (expected == 302)
    assert (Contribution.objects.get().status == Contribution.Status.VISIBLE) == (expected == 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {"organiser": 200, "host": 200, "moderator": 200, "superuser": 200, "anonymous": LOGIN},
        refused=403,
    ),
)
def test_only_moderators_see_what_is_hidden(
    as_persona, session, organiser, host, moderator, speaker, judge, persona, expected
):
    assert outcome(as_persona(persona).get(_session_url("session_hidden", session))) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix({"organiser": 200, "superuser": 200, "anonymous": LOGIN}, refused=403),
)
@pytest.mark.parametrize("view", ["event_hidden", "event_questions"])
def test_only_organisers_moderate_the_events_own_board(
    as_persona, event, organiser, host, moderator, speaker, judge, persona, expected, view
):
    assert outcome(as_persona(persona).get(_event_url(view, event))) == expected


HOSTS = {"organiser": 200, "host": 200, "moderator": 200, "speaker": 200, "superuser": 200}


@pytest.mark.parametrize(("persona", "expected"), matrix(HOSTS | {"anonymous": LOGIN}, refused=403))
def test_the_sessions_hosts_and_organisers_see_the_questions_queue(
    as_persona, session, organiser, host, moderator, speaker, judge, persona, expected
):
    assert outcome(as_persona(persona).get(_session_url("session_questions", session))) == expected


@pytest.mark.parametrize(("persona", "expected"), matrix(HOSTS | {"anonymous": LOGIN}, refused=403))
def test_the_sessions_hosts_and_organisers_answer(
    as_persona, question, organiser, host, moderator, speaker, judge, persona, expected
):
    client = as_persona(persona)

    page = client.get(_url("answer", question))
    post = client.post(_url("answer", question), {"answer": "Yes.", "action": "publish"})

    question.refresh_from_db()
    assert outcome(page) == expected
    assert outcome(post) == (302 if expected == 200 else expected)
    assert question.is_answered == (expected == 200)


def test_hosts_of_another_session_may_not_answer_or_hide(question, event):
    other_host = UserFactory()
    HostFactory(session=SessionFactory(event=event, slug="other"), user=other_host, guest_name="")
    client = client_for(other_host)

    assert client.get(_url("answer", question)).status_code == 403
    assert client.post(_url("hide", question)).status_code == 403


def test_contributions_of_a_draft_event_are_404_to_outsiders(outsider, tip):
    Event.objects.filter(pk=tip.event_id).update(status=Event.Status.DRAFT)
    client = client_for(outsider)

    for view in ["vote", "edit", "delete", "hide", "restore", "answer"]:
        assert client.post(_url(view, tip)).status_code == 404, view


def test_writes_are_post_only(attendee, tip):
    client = client_for(attendee)

    for view in ["vote", "hide", "restore"]:
        assert client.get(_url(view, tip)).status_code == 405, view


def test_unknown_contribution_is_404(client):
    assert client.post(reverse("contributions:vote", kwargs={"pk": 999})).status_code == 404
