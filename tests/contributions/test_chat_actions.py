"""The live room's per-message actions (contributions/chat_actions.py, registered in
live's MESSAGE_ACTIONS hook point): "Save as top tip" and "Save on the board as a
question for the hosts" create a contribution linked to the chat message."""

import json

import pytest
from django.urls import reverse

from convene.attendance import services as attendance_services
from convene.contributions.models import Contribution
from convene.live import services as live_services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(session):
    return live_services.room_ensure(session=session)


def _post(room, user, text, client_id):
    message, _ = live_services.message_post(room=room, author=user, text=text, client_id=client_id)
    return message


def _act(user, room, message, name):
    return client_for(user).post(
        reverse("live:commands", kwargs={"room": room.pk}),
        json.dumps({"type": "action", "name": name, "message": message.pk}),
        content_type="application/json",
    )


def _room_url(session):
    return reverse("live:room", kwargs={"event": session.event.slug, "session": session.slug})


def test_the_room_offers_both_actions_to_people_who_may_share(registered, room):
    _post(room, registered, "Start small", "client-1")

    html = client_for(registered).get(_room_url(room.session)).content.decode()

    assert 'data-action="contributions-save-tip">Save as top tip</button>' in html
    assert (
        'data-action="contributions-mark-question">'
        "Save on the board as a question for the hosts</button>"
    ) in html


def test_anonymous_readers_get_no_actions(client, room, session):
    from convene.live.models import ReadAccess

    live_services.room_settings_update(room=room, read_access=ReadAccess.ANYONE)

    html = client.get(_room_url(session)).content.decode()

    assert "contributions-save-tip" not in html


def test_saving_my_message_as_a_top_tip(registered, room):
    message = _post(room, registered, "Find the people already doing it.", "client-1")

    reply = _act(registered, room, message, "contributions-save-tip")

    tip = Contribution.objects.get()
    assert reply.json()["announce"] == "Saved as a top tip on the session's board."
    assert (tip.kind, tip.text, tip.author, tip.source_message_id) == (
        "tip",
        "Find the people already doing it.",
        registered,
        message.pk,
    )
    assert tip.source_message_url == f"{_room_url(room.session)}#message-{message.pk}"


def test_marking_my_message_as_a_question_then_again(registered, room):
    message = _post(room, registered, "How do we keep it going?", "client-1")

    first = _act(registered, room, message, "contributions-mark-question")
    again = _act(registered, room, message, "contributions-save-tip")

    assert first.json()["announce"] == "Added to the hosts' questions on the session's board."
    assert again.json()["announce"] == "Already on the board as a question."
    assert list(Contribution.objects.values_list("kind", flat=True)) == ["question"]


def test_an_attendee_cannot_save_someone_elses_message(registered, room, event):
    from tests.factories import UserFactory

    neighbour = UserFactory(name="Nia Neighbour")
    attendance_services.registration_create(event=event, user=neighbour)
    message = _post(room, registered, "My tip", "client-1")

    reply = _act(neighbour, room, message, "contributions-save-tip")

    assert reply.status_code == 400
    assert reply.json()["message"] == "You can save your own messages. Hosts can save anyone's."
    assert not Contribution.objects.exists()


def test_a_host_saves_an_attendees_message_anonymously(registered, host, room):
    message = _post(room, registered, "A good tip", "client-1")

    _act(host, room, message, "contributions-save-tip")

    tip = Contribution.objects.get()
    assert (tip.author, tip.saved_by, tip.is_anonymous) == (registered, host, True)


def test_a_hidden_message_cannot_be_saved(registered, host, room):
    message = _post(room, registered, "Removed", "client-1")
    live_services.message_hide(message=message, by=host)

    reply = _act(registered, room, message, "contributions-save-tip")

    assert reply.status_code == 400
    assert not Contribution.objects.exists()
