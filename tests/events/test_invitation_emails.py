"""A host invitation is an outgoing email like every other (core/outbox.py): recorded
with the invitation, sent once by real `db_worker` processes racing for it, and not
sent once the invitation was accepted."""

import pytest

from convene.core import outbox
from convene.core.models import OutgoingEmail
from convene.events import services
from convene.events.models import Host
from tests.factories import UserFactory
from tests.workers import task_env, workers_at_once

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _invite(session, organiser):
    return services.host_invite(
        session=session, email="Carol@Example.org", role=Host.Role.HOST, invited_by=organiser
    )


def test_two_workers_at_once_send_the_host_invitation_once(
    settings,
    smtp_mailer,
    organiser,
    session,
):
    settings.TASKS = DATABASE_QUEUE
    invitation = _invite(session, organiser)
    row = OutgoingEmail.objects.get(kind="host_invitation")
    outbox._enqueue([row.pk])  # a second task for the same email: the workers race

    workers_at_once(task_env(smtp_mailer))

    [message] = smtp_mailer.messages
    assert message.to == ["carol@example.org"]
    assert message.subject == "You are invited to host “Spreading improvement”"
    assert message.links == [f"http://127.0.0.1:8000{invitation.get_absolute_url()}"]
    assert message.message["Message-ID"] == f"<host_invitation.{invitation.pk}.{row.pk}@convene>"
    row.refresh_from_db()
    assert (row.state, row.recipient, row.purpose, row.payload) == (
        "sent",
        "carol@example.org",
        f"host_invitation:{invitation.pk}",
        {"invitation": invitation.pk},
    )


def test_an_invitation_accepted_before_its_email_went_is_not_sent(
    settings,
    smtp_mailer,
    organiser,
    session,
):
    settings.TASKS = DATABASE_QUEUE
    invitation = _invite(session, organiser)
    carol = UserFactory(email="carol@example.org")
    services.host_invitation_accept(invitation=invitation, user=carol)

    result = outbox.email_send(email_id=OutgoingEmail.objects.get(kind="host_invitation").pk)

    assert result == "failed"
    assert smtp_mailer.messages == []
    assert OutgoingEmail.objects.get(kind="host_invitation").last_error == "No longer needed."
