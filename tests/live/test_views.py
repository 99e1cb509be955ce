"""Room pages, the fallback transport over HTTP, organiser pages and exports."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.live import services
from convene.live.extensions import MESSAGE_ACTIONS, MessageAction
from convene.live.models import Message, Room
from tests.conftest import client_for
from tests.factories import SessionFactory
from tests.live.conftest import registered_person

pytestmark = pytest.mark.django_db


def room_url(session, name="live:room"):
    return reverse(name, kwargs={"event": session.event.slug, "session": session.slug})


def post(room, user, text, client_id, **kwargs):
    return services.message_post(room=room, author=user, text=text, client_id=client_id, **kwargs)[
        0
    ]


def test_room_page_shows_history_prompt_badges_and_send_box(session, registered, host):
    room = services.room_ensure(session=session)
    services.prompt_post(room=room, author=host, text="Top tip?", client_id="prompt-one")
    post(room, registered, "See https://example.org/guide. <b>bold</b>", "client-one")

    response = client_for(registered).get(room_url(session))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="log"' in html
    assert 'data-after="2"' in html
    assert "Current prompt" in html
    assert "Top tip?" in html
    assert 'href="https://example.org/guide"' in html  # the full stop is not part of the link
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold" not in html
    assert ">Host</strong>" in html
    assert 'name="text"' in html
    assert 'data-maxlength="1000"' in html
    assert "Host tools" not in html
    # Served by Django's test client (not ASGI): no WebSocket path, the page polls.
    assert 'data-websocket-path=""' in html


def test_hosts_see_host_tools(session, host):
    html = client_for(host).get(room_url(session)).content.decode()

    assert "Host tools" in html
    assert "Post the prompt" in html


def test_outsider_gets_a_polite_refusal_for_a_registration_only_room(session, outsider):
    response = client_for(outsider).get(room_url(session))

    assert response.status_code == 403
    assert "for people registered for the session" in response.content.decode()


def test_open_room_is_readable_without_signing_in_but_has_no_send_box(session, registered):
    room = services.room_ensure(session=session)
    services.room_settings_update(room=room, read_access="anyone")
    post(room, registered, "Visible to all", "client-all")

    html = Client().get(room_url(session)).content.decode()

    assert "Visible to all" in html
    assert 'name="text"' not in html
    assert "Sign in</a> and register" in html


def test_room_of_a_session_nobody_may_see_is_not_found(session, registered):
    session.event.programme_published = False
    session.event.save()

    assert client_for(registered).get(room_url(session)).status_code == 404


def test_session_page_links_to_the_room(session, registered):
    html = client_for(registered).get(session.get_absolute_url()).content.decode()

    assert room_url(session) in html


def test_prompts_page_lists_each_prompt_with_its_visible_replies(session, registered, host):
    room = services.room_ensure(session=session)
    prompt = services.prompt_post(room=room, author=host, text="Top tip?", client_id="prompt-one")[
        0
    ]
    post(room, registered, "Start small", "client-a", reply_to_id=prompt.pk)
    hidden = post(room, host, "Hidden reply", "client-b", reply_to_id=prompt.pk)
    services.message_hide(message=hidden, by=host)
    post(room, host, "Not a reply", "client-c")

    html = client_for(registered).get(room_url(session, "live:prompts")).content.decode()

    assert "Top tip?" in html
    assert "Start small" in html
    assert "Hidden reply" not in html
    assert "Not a reply" not in html


@pytest.mark.parametrize("prompts", [1, 3])
def test_prompts_page_query_count_does_not_grow(session, registered, host, prompts):
    room = services.room_ensure(session=session)
    for index in range(prompts):
        prompt = services.message_import(
            room=room,
            author_name="H",
            badge="host",
            text=f"Q{index}",
            client_id=f"p-{index}",
            kind="prompt",
        )
        for reply in range(2):
            services.message_import(
                room=room,
                author_name="A",
                badge="",
                text="A",
                client_id=f"r-{index}-{reply}",
                reply_to_id=prompt.pk,
            )
    client = client_for(registered)
    client.get(room_url(session, "live:prompts"))  # warm the per-user caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(room_url(session, "live:prompts"))

    assert response.status_code == 200
    assert len(queries) == 9


@pytest.mark.parametrize("messages", [1, 3])
def test_room_page_query_count_does_not_grow(session, registered, messages):
    room = services.room_ensure(session=session)
    for index in range(messages):
        post(room, registered, f"M{index}", f"client-{index}")
    client = client_for(registered)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(room_url(session))

    assert response.status_code == 200
    assert len(queries) == 14


# --- The fallback transport over HTTP ----------------------------------------------------


def test_events_stream_under_wsgi_answers_what_is_new_and_asks_again(session, registered):
    room = services.room_ensure(session=session)
    post(room, registered, "One", "client-1")
    post(room, registered, "Two", "client-2")

    response = client_for(registered).get(
        reverse("live:events", kwargs={"room": room.pk}), HTTP_LAST_EVENT_ID="1"
    )

    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/event-stream; charset=utf-8"
    assert body.startswith("retry: 2000\n\nid: 2\ndata: ")
    frame = json.loads(body.split("data: ", 1)[1])
    assert (frame["from"], frame["to"], [m["text"] for m in frame["messages"]]) == (2, 2, ["Two"])


def test_events_stream_refuses_outsiders(session, outsider):
    room = services.room_ensure(session=session)

    response = client_for(outsider).get(reverse("live:events", kwargs={"room": room.pk}))

    assert response.status_code == 403


def test_posted_command_is_carried_out_and_acknowledged(session, registered):
    room = services.room_ensure(session=session)
    client = client_for(registered)
    url = reverse("live:commands", kwargs={"room": room.pk})
    command = {"type": "send", "client_id": "posted-command", "text": "Over HTTP"}

    first = client.post(url, json.dumps(command), content_type="application/json")
    again = client.post(url, json.dumps(command), content_type="application/json")

    assert first.status_code == 200
    assert first.json() == {
        "type": "ack",
        "client_id": "posted-command",
        "id": Message.objects.get().pk,
        "seq": 1,
        "duplicate": False,
    }
    assert again.json()["duplicate"] is True
    assert Message.objects.count() == 1


def test_posted_commands_are_checked_like_socket_ones(session, registered, outsider):
    room = services.room_ensure(session=session)
    url = reverse("live:commands", kwargs={"room": room.pk})

    bad = client_for(registered).post(url, "{oops", content_type="application/json")
    forbidden = client_for(outsider).post(url, "{}", content_type="application/json")
    too_big = client_for(registered).post(url, "x" * 20_000, content_type="application/json")

    assert (bad.status_code, bad.json()["code"]) == (400, "bad_json")
    assert forbidden.status_code == 403
    assert too_big.status_code == 413
    assert not Message.objects.exists()


def test_plain_form_sends_a_message_without_javascript(session, registered):
    room = services.room_ensure(session=session)

    response = client_for(registered).post(
        reverse("live:commands", kwargs={"room": room.pk}),
        {"client_id": "form-client-id", "text": "No JavaScript here"},
    )

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{room_url(session)}#message-{message.pk}"
    assert message.text == "No JavaScript here"
    assert message.reply_to is None


def test_a_refused_plain_form_comes_back_to_the_top_of_the_room(session, registered):
    room = services.room_ensure(session=session)
    client = client_for(registered)

    response = client.post(
        reverse("live:commands", kwargs={"room": room.pk}),
        {"client_id": "form-client-id", "text": "   "},
    )

    assert response.status_code == 302
    assert response["Location"] == room_url(session)
    assert not Message.objects.exists()


REPLY_BOX = (
    '<input class="nhsuk-checkboxes__input" id="live-reply" type="checkbox" name="reply_to"'
    ' value="{pk}" data-reply-toggle{checked}>'
)


def test_the_reply_box_is_unticked_unless_the_person_answers_the_prompt(session, registered, host):
    room = services.room_ensure(session=session)
    prompt, _ = services.prompt_post(room=room, author=host, text="Top tip?", client_id="prompt-1")
    client = client_for(registered)

    plain = client.get(room_url(session)).content.decode()
    answering = client.get(room_url(session) + "?answer=prompt").content.decode()

    assert REPLY_BOX.format(pk=prompt.pk, checked="") in plain
    assert REPLY_BOX.format(pk=prompt.pk, checked=" checked") in answering
    answer_link = f'<a href="{room_url(session)}?answer=prompt#live-send" data-answer-prompt>'
    assert f"{answer_link}Answer this prompt</a>" in plain


def test_plain_form_files_a_reply_under_the_prompt_only_when_ticked(session, registered, host):
    room = services.room_ensure(session=session)
    prompt, _ = services.prompt_post(room=room, author=host, text="Top tip?", client_id="prompt-1")
    client = client_for(registered)
    url = reverse("live:commands", kwargs={"room": room.pk})

    client.post(url, {"client_id": "form-client-1", "text": "Unrelated: is there sound?"})
    client.post(
        url, {"client_id": "form-client-2", "text": "Start small", "reply_to": str(prompt.pk)}
    )

    rows = Message.objects.filter(kind=Message.Kind.MESSAGE).order_by("seq")
    assert [(m.text, m.reply_to_id) for m in rows] == [
        ("Unrelated: is there sound?", None),
        ("Start small", prompt.pk),
    ]


def test_the_room_page_says_it_is_a_snapshot_until_its_script_runs(session, registered):
    services.room_ensure(session=session)

    html = client_for(registered).get(room_url(session)).content.decode()

    assert "<span data-presence></span>" in html
    assert '<span role="status" data-connection></span>' in html
    assert "This is a snapshot of the conversation at " in html
    assert "counting" not in html
    assert "Connecting" not in html


def test_hosts_get_two_distinctly_named_question_actions(session, host):
    room = services.room_ensure(session=session)
    message = post(room, host, "How do we keep it going?", "client-question")
    client = client_for(host)

    html = client.get(room_url(session)).content.decode()
    tagged = client.post(
        reverse("live:commands", kwargs={"room": room.pk}),
        json.dumps({"type": "question", "message": message.pk, "on": True}),
        content_type="application/json",
    )

    assert 'data-command="question">Tag as a question to answer later in this chat</button>' in html
    assert (
        'data-action="contributions-mark-question">'
        "Save on the board as a question for the hosts</button>"
    ) in html
    assert tagged.json()["announce"] == "Tagged as a question to answer later in this chat."
    message.refresh_from_db()
    assert message.is_question


def test_posting_needs_the_csrf_token(session, registered):
    room = services.room_ensure(session=session)
    client = Client(enforce_csrf_checks=True)
    client.force_login(registered)

    response = client.post(
        reverse("live:commands", kwargs={"room": room.pk}),
        json.dumps({"type": "send", "client_id": "no-token-here", "text": "x"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Message.objects.exists()


# --- Per-message actions of other apps (the hook) ------------------------------------------


@pytest.fixture
def save_tip():
    saved = []

    def run(*, user, session, message):
        saved.append((user.pk, session.pk, message["text"]))
        return "Saved as a top tip."

    action = MessageAction(
        name="save-tip", label="Save as top tip", allowed=lambda user, session: True, run=run
    )
    with MESSAGE_ACTIONS.added(action):
        yield saved


def test_registered_message_action_is_offered_and_runs(session, registered, save_tip):
    room = services.room_ensure(session=session)
    message = post(room, registered, "Start small", "client-tip")
    client = client_for(registered)

    html = client.get(room_url(session)).content.decode()
    reply = client.post(
        reverse("live:commands", kwargs={"room": room.pk}),
        json.dumps({"type": "action", "name": "save-tip", "message": message.pk}),
        content_type="application/json",
    )

    assert 'data-action="save-tip">Save as top tip</button>' in html
    assert reply.json()["announce"] == "Saved as a top tip."
    assert save_tip == [(registered.pk, session.pk, "Start small")]


# --- Organisers -------------------------------------------------------------------------------


def test_organiser_sees_statistics_and_transcripts(session, organiser, registered, host):
    room = services.room_ensure(session=session)
    prompt = services.prompt_post(room=room, author=host, text="Top tip?", client_id="prompt-one")[
        0
    ]
    post(room, registered, "=HYPERLINK(1)", "client-a", reply_to_id=prompt.pk)
    gone = post(room, registered, "Removed one", "client-b")
    services.message_hide(message=gone, by=host)
    services.room_presence_record(room_id=room.pk, count=42)
    client = client_for(organiser)

    page = client.get(room_url(session, "live:manage")).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(room_url(session, "live:transcript_csv")).content.decode())
        )
    )
    markdown = client.get(room_url(session, "live:transcript_markdown")).content.decode()

    assert "42" in page
    assert "Most people at once" in page
    assert [r[2] for r in rows[1:]] == ["Hana Host", "Ade Attendee", "Ade Attendee"]
    assert rows[2][6] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
    assert rows[3][9] == "yes"  # hidden, kept in the audit copy
    assert "### Top tip?" in markdown
    assert "=HYPERLINK(1)" in markdown
    assert "Removed one" not in markdown


@pytest.mark.parametrize("persona", ["registered", "host", "moderator", "speaker", "outsider"])
def test_only_organisers_manage_rooms(session, as_persona, persona):
    """The one refusal policy: the session is public, so a signed-in person
    without the right gets 403 (404 is for private things)."""
    services.room_ensure(session=session)
    client = as_persona(persona)

    for name in ("live:manage", "live:transcript_csv", "live:transcript_markdown"):
        assert client.get(room_url(session, name)).status_code == 403


def test_organiser_opens_a_room_to_readers_and_sets_retention(session, organiser, outsider):
    client = client_for(organiser)

    client.post(room_url(session, "live:manage"), {"read_access": "anyone"})
    client.post(
        reverse("live:event_settings", kwargs={"event": session.event.slug}),
        {"read_access": "registered", "retention_days": "30"},
    )

    room = Room.objects.get()
    assert room.read_access == "anyone"
    assert session.event.live_settings.retention_days == 30
    assert client_for(outsider).get(room_url(session)).status_code == 200


def test_event_settings_are_for_organisers_only(session, host):
    response = client_for(host).get(
        reverse("live:event_settings", kwargs={"event": session.event.slug})
    )

    assert response.status_code == 403  # like every organiser page of a public event


def test_breaks_have_no_room(event, registered):
    coffee = SessionFactory(event=event, kind="break")

    assert client_for(registered).get(room_url(coffee)).status_code == 404
    assert not Room.objects.exists()


def test_second_registered_person_sees_others_messages(session, registered, event):
    room = services.room_ensure(session=session)
    post(room, registered, "Hello from Ade", "client-ade")
    other = registered_person(event)

    assert "Hello from Ade" in client_for(other).get(room_url(session)).content.decode()


@pytest.mark.parametrize("messages", [1, 3])
def test_room_page_query_count_for_a_moderator_does_not_grow(session, moderator, messages):
    """Every message shows the moderator's tools: the role facts are read once."""
    room = services.room_ensure(session=session)
    for index in range(messages):
        post(room, moderator, f"M{index}", f"client-{index}")
    client = client_for(moderator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(room_url(session))

    assert response.status_code == 200
    hide_buttons = response.content.decode().count('data-command="hide"')
    assert hide_buttons == messages + 1  # and one in the template for new messages
    assert len(queries) == 14
