"""Who may use the messages pages: the event's organisers and superusers; anybody else is
refused by the one policy (decision 0018), as a table over the personas (decision 0024)."""

import pytest

from convene.console.models import GroupMessage
from convene.core.models import AuditEntry, OutgoingEmail
from convene.events.models import EventRole
from tests.console.conftest import compose_data, compose_url, message_url, messages_url, send
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.personas import LOGIN, client_for, matrix, outcome

pytestmark = pytest.mark.django_db

OPEN = {"organiser": 200, "superuser": 200, "anonymous": LOGIN}
SENT = {"organiser": 302, "superuser": 302, "anonymous": LOGIN}


@pytest.fixture
def sent(event, organiser):
    return send(event, "team", by=organiser, subject="Briefing")


@pytest.mark.parametrize(("persona", "expected"), matrix(OPEN))
def test_sent_messages_list(as_persona, event, sent, persona, expected):
    assert outcome(as_persona(persona).get(messages_url(event))) == expected


@pytest.mark.parametrize(("persona", "expected"), matrix(OPEN))
def test_one_sent_message(as_persona, sent, persona, expected):
    assert outcome(as_persona(persona).get(message_url(sent))) == expected


@pytest.mark.parametrize(("persona", "expected"), matrix(OPEN))
def test_compose_page(as_persona, event, persona, expected):
    assert outcome(as_persona(persona).get(compose_url(event))) == expected


@pytest.mark.parametrize(("persona", "expected"), matrix(OPEN))
def test_preview(as_persona, event, organiser, persona, expected):
    response = as_persona(persona).post(compose_url(event), compose_data(group="team"))

    assert outcome(response) == expected
    assert not GroupMessage.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), matrix(SENT))
def test_send(as_persona, event, organiser, persona, expected):
    OutgoingEmail.objects.all().delete()

    response = as_persona(persona).post(
        compose_url(event), compose_data(group="team", action="send")
    )

    assert outcome(response) == expected
    sent = expected == 302
    assert GroupMessage.objects.count() == (1 if sent else 0)
    assert OutgoingEmail.objects.filter(kind="group_message").count() == (1 if sent else 0)
    assert AuditEntry.objects.filter(action="console.message_sent").count() == (1 if sent else 0)


@pytest.fixture
def other_organiser(db):
    """Organises another event, and nothing here."""
    other = EventFactory(slug="other-event")
    person = UserFactory(email="other-organiser@example.org")
    EventRoleFactory(event=other, user=person, role=EventRole.Role.ORGANISER)
    return person


def test_an_organiser_of_another_event_can_neither_read_nor_send_here(event, sent, other_organiser):
    client = client_for(other_organiser)

    reads = [client.get(url).status_code for url in (messages_url(event), message_url(sent))]
    writes = [
        client.post(compose_url(event), compose_data(group="team", action=action)).status_code
        for action in ("preview", "send")
    ]

    assert reads == writes == [403, 403]
    assert GroupMessage.objects.count() == 1


def test_a_message_of_another_event_is_not_found_under_this_one(event, organiser, sent):
    other = EventFactory(slug="other-event")
    EventRoleFactory(event=other, user=organiser, role=EventRole.Role.ORGANISER)
    wrong = message_url(sent).replace(f"/orga/{event.slug}/", f"/orga/{other.slug}/")

    assert client_for(organiser).get(wrong).status_code == 404
