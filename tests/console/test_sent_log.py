"""The sent log and a message's page: how many emails of each message were sent, are
waiting, failed or were no longer wanted, from the ledger's states, in a fixed number of
queries whatever the number of messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.console.selectors import delivery_counts
from convene.core.models import OutgoingEmail
from convene.core.outbox import NOT_NEEDED
from tests.console.conftest import message_url, messages_url, register, send
from tests.factories import UserFactory
from tests.personas import client_for

pytestmark = pytest.mark.django_db

State = OutgoingEmail.State


@pytest.fixture(autouse=True)
def _queued(settings):
    """Emails stay in the ledger: each test gives them the states a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def seven(event):
    for n in range(7):
        register(UserFactory(email=f"p{n}@example.org", name=f"Person {n}"), event)
    OutgoingEmail.objects.all().delete()  # their confirmations


def _set_states(message, states: list[tuple[str, str]]) -> None:
    rows = OutgoingEmail.objects.filter(purpose=message.purpose).order_by("recipient")
    for row, (state, error) in zip(rows, states, strict=True):
        OutgoingEmail.objects.filter(pk=row.pk).update(state=state, last_error=error)


MIXED = [
    (State.SENT, ""),
    (State.SENT, ""),
    (State.PENDING, ""),
    (State.CLAIMED, ""),
    (State.FAILED, "SMTPRecipientsRefused({'p4@example.org': (550, b'No such user')})"),
    (State.FAILED, NOT_NEEDED),
    (State.UNCERTAIN, "The worker stopped while sending."),
]


def test_counts_per_state(event, organiser, seven):
    message = send(event, "registrants", by=organiser)
    _set_states(message, MIXED)

    counts = delivery_counts([message])[message.pk]

    assert (counts.sent, counts.waiting, counts.failed, counts.not_needed, counts.total) == (
        2,
        2,
        2,
        1,
        7,
    )
    assert counts.rows() == [
        ("Waiting to be sent", 1),
        ("Being prepared by a worker", 1),
        ("Handed to the mail server", 0),
        ("Sent", 2),
        ("Failed", 1),
        ("Unknown: the worker stopped while sending", 1),
        ("Not needed: no longer wanted when it was due", 1),
    ]


def test_the_log_lists_each_message_with_its_counts(event, organiser, seven, judge):
    mixed = send(event, "registrants", by=organiser, subject="Mixed")
    _set_states(mixed, MIXED)
    judges = send(event, "judges", by=organiser, subject="For judges")

    response = client_for(organiser).get(messages_url(event))

    rows = [
        (m.subject, m.group_label, m.sender_name, m.counts.sent, m.counts.waiting, m.counts.failed)
        for m in response.context["page"]
    ]
    assert rows == [
        ("For judges", "Judges", "Olu Organiser", 0, 1, 0),
        ("Mixed", "Everyone registered for the event", "Olu Organiser", 2, 2, 2),
    ]
    html = response.content.decode()
    assert f'href="{message_url(judges)}"' in html
    assert "2 messages sent" in html


def test_the_message_page_shows_the_text_counts_and_whom_to_follow_up(event, organiser, seven):
    message = send(event, "registrants", by=organiser, body="Hello {name}\n\nSee you.")
    _set_states(message, MIXED)

    response = client_for(organiser).get(message_url(message))

    html = response.content.decode()
    assert [(e.recipient, e.state) for e in response.context["failed"]] == [
        ("p4@example.org", "failed"),
        ("p6@example.org", "uncertain"),
    ]
    assert "No such user" in html
    assert "p5@example.org" not in html  # no longer wanted: nothing to follow up
    assert "<p>Hello {name}</p>\n\n<p>See you.</p>" in html
    assert "Everyone registered for the event" in html


def _log_queries(client, event) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(messages_url(event)).status_code == 200
    return len(queries)


def test_the_log_takes_the_same_queries_for_one_message_as_for_three(
    event, organiser, seven, session
):
    client = client_for(organiser)
    send(event, "registrants", by=organiser)
    one = _log_queries(client, event)
    for n in range(2):
        # With sessions, other senders and their own emails: each would add queries
        # if the page read them message by message.
        send(event, "session_registrants", sessions=[session], by=UserFactory(email=f"o{n}@x.org"))

    three = _log_queries(client, event)

    assert len(client.get(messages_url(event)).context["page"]) == 3
    assert three == one


def test_the_log_pages_by_25(event, organiser, seven):
    for n in range(26):
        send(event, "registrants", by=organiser, subject=f"Message {n}")

    first = client_for(organiser).get(messages_url(event))
    second = client_for(organiser).get(messages_url(event), {"page": 2})

    assert len(first.context["page"]) == 25
    assert [m.subject for m in second.context["page"]] == ["Message 0"]
