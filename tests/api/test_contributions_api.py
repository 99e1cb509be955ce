"""The API: the boards as JSON, sharing and voting, every refusal a problem+json."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from convene.contributions import services
from convene.contributions.models import Contribution, Vote
from convene.events.models import Event
from tests.contributions.conftest import Kind, principle, share
from tests.factories import SessionFactory, UserFactory
from tests.personas import DRAFT_PERSONAS, client_for, matrix, outcome

pytestmark = pytest.mark.django_db

EVENT = "/api/events/big-conversation/contributions"
SESSION = "/api/events/big-conversation/sessions/spread/contributions"


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"], body["type"]) == (status, code, "about:blank")
    assert body["title"]
    assert body["detail"]
    return body


def _signed_in(user) -> Client:
    """A client that enforces CSRF, with its token, like a browser page would."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("api:openapi-view"))  # the docs page sets the CSRF cookie
    return client


def _post(client: Client, url: str, data: dict):
    token = client.cookies["csrftoken"].value
    return client.post(
        url, json.dumps(data), content_type="application/json", headers={"X-CSRFToken": token}
    )


# --- Reading --------------------------------------------------------------------------


def test_a_sessions_board_as_json(client, attendee, host, session, tip, question):
    services.question_answer_publish(question=question, by=host, answer="Like **this**.")
    services.contribution_vote_toggle(contribution=tip, user=UserFactory())

    body = client.get(SESSION).json()

    assert (body["count"], body["limit"], body["offset"]) == (2, 50, 0)
    first, second = body["items"]
    assert {k: first[k] for k in ("id", "kind", "text", "author", "principles", "votes")} == {
        "id": tip.pk,
        "kind": "tip",
        "text": "Start small and share what you learn.",
        "author": "Ade Attendee",
        "principles": ["networks"],
        "votes": 1,
    }
    assert (second["kind"], second["answer"]) == ("question", "Like **this**.")
    assert second["answered_at"] is not None
    assert first["url"].endswith(f"/sessions/spread/top-tips/#contribution-{tip.pk}")


def test_filters_and_pages(client, attendee, session):
    for n in range(5):
        share(attendee, session, f"Tip {n}", principles=[principle("learning")] if n % 2 else [])
    share(attendee, session, "Question?", kind=Kind.QUESTION)

    learning = client.get(f"{SESSION}?principle=learning&sort=newest").json()
    questions = client.get(f"{EVENT}?kind=question").json()
    page = client.get(f"{EVENT}?limit=2&offset=4&sort=newest").json()

    assert [i["text"] for i in learning["items"]] == ["Tip 3", "Tip 1"]
    assert [i["text"] for i in questions["items"]] == ["Question?"]
    assert (page["count"], [i["text"] for i in page["items"]]) == (6, ["Tip 1", "Tip 0"])


def test_hidden_contributions_and_anonymous_names_never_leave(client, attendee, moderator, session):
    gone = share(attendee, session, "Hidden words")
    share(attendee, session, "Quiet words", is_anonymous=True)
    services.contribution_hide(contribution=gone, by=moderator)

    body = client.get(EVENT).json()

    assert [(i["text"], i["author"]) for i in body["items"]] == [("Quiet words", "Anonymous")]
    assert "Hidden words" not in client.get(SESSION).content.decode()


def test_the_event_endpoint_gathers_every_session_and_the_events_own(client, attendee, event):
    share(attendee, SessionFactory(event=event, slug="other"), "Elsewhere")
    services.contribution_create(author=attendee, event=event, kind=Kind.IDEA, text="Own")

    body = client.get(EVENT).json()

    assert sorted((i["text"], i["session_slug"]) for i in body["items"]) == [
        ("Elsewhere", "other"),
        ("Own", ""),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("principle=nope", "principle"),
        ("kind=rant", "kind"),
        ("sort=best", "sort"),
        ("limit=0", "limit"),
        ("limit=500", "limit"),
        ("offset=-1", "offset"),
        ("offset=3106133529999013115667446497280", "offset"),  # found by schemathesis: was a 500
        ("limit=abc", "limit"),
    ],
)
def test_bad_query_values_are_a_422_problem(client, session, query, field):
    body = _problem(client.get(f"{EVENT}?{query}"), 422, "invalid")

    assert [e["field"] for e in body["errors"]] == [field]


def test_unknown_or_draft_boards_are_a_404_problem(client, event, session):
    _problem(client.get("/api/events/nope/contributions"), 404, "not_found")
    _problem(
        client.get("/api/events/big-conversation/sessions/nope/contributions"), 404, "not_found"
    )
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    _problem(client.get(EVENT), 404, "not_found")


def test_the_organiser_reads_a_draft_events_board(organiser, event, tip):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    assert client_for(organiser).get(EVENT).json()["count"] == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        {"organiser": 200, "host": 200, "moderator": 200, "judge": 200, "superuser": 200},
        refused=404,
        personas=DRAFT_PERSONAS,
    ),
)
def test_a_draft_events_boards_are_a_404_problem_to_people_without_a_role(
    as_persona, event, tip, persona, expected
):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    client = as_persona(persona)

    for url in (EVENT, SESSION):
        response = client.get(url)
        if expected == 404:
            _problem(response, 404, "not_found")
        else:
            assert (outcome(response), response.json()["count"]) == (expected, 1)


def test_principles_are_listed(client):
    body = client.get("/api/principles").json()

    assert [p["slug"] for p in body][:2] == ["complexity", "leadership"]
    assert body[5]["is_confirmed"] is False


# --- Writing --------------------------------------------------------------------------


def test_share_through_the_api(attendee, session):
    client = _signed_in(attendee)

    response = _post(
        client,
        EVENT,
        {
            "kind": "tip",
            "text": "Find the energisers.",
            "principles": ["networks", "learning"],
            "session": "spread",
            "anonymous": True,
        },
    )

    saved = Contribution.objects.get()
    assert response.status_code == 201
    assert response.json() | {"shared_at": None, "url": None} == {
        "id": saved.pk,
        "kind": "tip",
        "kind_label": "Top tip",
        "text": "Find the energisers.",
        "link": "",
        "author": "Anonymous",
        "session": "Spreading improvement",
        "session_slug": "spread",
        "principles": ["networks", "learning"],
        "votes": 0,
        "shared_at": None,
        "answer": "",
        "answered_at": None,
        "chat_message_url": "",
        "url": None,
    }
    assert (saved.author, saved.session, saved.is_anonymous) == (attendee, session, True)


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"kind": "tip", "text": ""}, "text", "Write your top tip, idea or question."),
        ({"kind": "tip", "text": "x" * 1001}, "text", "Keep it to 1000 characters or fewer"),
        ({"kind": "tip", "text": "Hi", "principles": ["nope"]}, "principles", "nope"),
        ({"kind": "rant", "text": "Hi"}, "kind", "Input should be"),
        ({"kind": "tip"}, "text", "Field required"),
        ({"kind": "tip", "text": "Hi", "link": "javascript:x"}, "link", "http:// or https://"),
        ({"kind": "tip", "text": 5}, "text", "valid string"),
    ],
)
def test_bad_input_is_a_422_problem_and_stores_nothing(attendee, session, payload, field, message):
    body = _problem(_post(_signed_in(attendee), EVENT, payload), 422, "invalid")

    assert [e["field"] for e in body["errors"]] == [field]
    assert message in body["errors"][0]["message"]
    assert not Contribution.objects.exists()


def test_a_body_that_is_not_json_is_a_problem_not_a_500(attendee, session):
    client = _signed_in(attendee)
    token = client.cookies["csrftoken"].value

    response = client.post(
        EVENT, "{not json", content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "text/plain",
    ],
)
def test_a_write_that_is_not_json_is_a_415_problem_not_a_500(attendee, session, content_type):
    """Found by schemathesis: the CSRF check read request.POST, which cannot parse
    a multipart body without a (right) boundary; then the body was gone."""
    client = _signed_in(attendee)
    token = client.cookies["csrftoken"].value

    response = client.post(
        EVENT,
        '{"kind": "tip", "text": "Hello"}',
        content_type=content_type,
        headers={"X-CSRFToken": token},
    )

    _problem(response, 415, "unsupported_media_type")
    assert not Contribution.objects.exists()


def test_an_unknown_session_in_the_payload_is_a_404_problem(attendee, session):
    _problem(
        _post(_signed_in(attendee), EVENT, {"kind": "tip", "text": "x", "session": "no"}),
        404,
        "not_found",
    )


def test_writes_need_a_signed_in_session_and_the_csrf_token(attendee, session, tip):
    anonymous = Client(enforce_csrf_checks=True)
    no_token = Client(enforce_csrf_checks=True)
    no_token.force_login(attendee)

    _problem(anonymous.post(EVENT, "{}", content_type="application/json"), 401, "unauthenticated")
    _problem(
        no_token.post(
            EVENT, json.dumps({"kind": "tip", "text": "x"}), content_type="application/json"
        ),
        403,
        "csrf_failed",
    )
    _problem(
        no_token.post(f"/api/contributions/{tip.pk}/vote", "{}", content_type="application/json"),
        403,
        "csrf_failed",
    )
    assert Contribution.objects.count() == 1
    assert not Vote.objects.exists()


def test_too_many_shares_is_a_429_problem(settings, attendee, session):
    settings.CONTRIBUTIONS_RATE_LIMIT = 1
    client = _signed_in(attendee)
    _post(client, EVENT, {"kind": "tip", "text": "One"})

    _problem(_post(client, EVENT, {"kind": "tip", "text": "Two"}), 429, "rate_limited")

    assert Contribution.objects.count() == 1


def test_vote_and_take_it_back(outsider, tip):
    client = _signed_in(outsider)
    url = f"/api/contributions/{tip.pk}/vote"

    first = _post(client, url, {"on": True}).json()
    again = _post(client, url, {"on": True}).json()
    flipped = _post(client, url, {}).json()

    assert (first, again, flipped) == (
        {"voted": True, "votes": 1},
        {"voted": True, "votes": 1},
        {"voted": False, "votes": 0},
    )


def test_voting_on_a_hidden_contribution_is_a_409_problem(outsider, moderator, tip):
    services.contribution_hide(contribution=tip, by=moderator)

    body = _problem(
        _post(_signed_in(outsider), f"/api/contributions/{tip.pk}/vote", {}), 409, "hidden"
    )

    assert body["detail"] == "A moderator has hidden this, so it cannot be voted on."
    assert not Vote.objects.exists()


def test_voting_on_an_unknown_or_draft_contribution_is_a_404_problem(outsider, tip):
    client = _signed_in(outsider)
    _problem(_post(client, "/api/contributions/999/vote", {}), 404, "not_found")
    Event.objects.filter(pk=tip.event_id).update(status=Event.Status.DRAFT)

    _problem(_post(client, f"/api/contributions/{tip.pk}/vote", {}), 404, "not_found")


def test_a_deactivated_account_cannot_write(outsider, tip):
    client = _signed_in(outsider)
    outsider.is_active = False
    outsider.save()

    response = _post(client, f"/api/contributions/{tip.pk}/vote", {})

    assert response.status_code in {401, 403}
    assert response["Content-Type"] == "application/problem+json"
    assert not Vote.objects.exists()


def test_an_unexpected_error_is_a_500_problem_not_a_page(client, monkeypatch, session):
    from convene.contributions import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "board", broken)

    body = _problem(client.get(EVENT), 500, "server_error")

    assert "boom" not in body["detail"]


# --- The schema and its docs -------------------------------------------------------------


def test_openapi_schema_documents_the_endpoints_and_problems(client):
    schema = client.get("/api/openapi.json").json()

    assert schema["info"]["title"] == "Convene API"
    assert set(schema["paths"]) == {
        "/api/events/{event}/contributions",
        "/api/events/{event}/sessions/{session}/contributions",
        "/api/contributions/{contribution_id}/vote",
        "/api/principles",
    }
    post = schema["paths"]["/api/events/{event}/contributions"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "415", "422", "429"} <= set(post["responses"])
    # Refusals are documented as what they are: problem details.
    assert set(post["responses"]["201"]["content"]) == {"application/json"}
    assert set(post["responses"]["422"]["content"]) == {"application/problem+json"}


def test_docs_page_is_our_own_reference_of_the_schema(client):
    html = client.get("/api/docs").content.decode()

    assert '<html lang="en-GB">' in html
    assert "<code>POST /api/events/{event}/contributions</code>" in html
    assert "Signed-in session and CSRF token" in html
    assert "<code>limit (query)</code>" in html
    assert "integer (at least 1, at most 200)" in html
    assert 'id="data-ProblemOut"' in html
    # Refusals name their schema.
    problem_link = '<a href="#data-ProblemOut">ProblemOut</a>'
    assert f"<code>422</code> Unprocessable Content: {problem_link}" in html
    assert "swagger" not in html.lower()
    assert "<script>" not in html
