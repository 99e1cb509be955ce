"""The asker gets one email when their question is answered: real SMTP server,
tasks run at once after commit (conftest), the ledger's guarantee tested with
concurrent senders and a dead worker."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from convene.contributions import services
from convene.core import outbox
from convene.core.models import OutgoingEmail
from tests.conftest import IMMEDIATE_TASKS
from tests.contributions.conftest import Kind, share

State = OutgoingEmail.State


@pytest.fixture
def asked(mail, attendee, session):
    return share(attendee, session, "How do we keep it going?", kind=Kind.QUESTION)


def test_publishing_an_answer_emails_the_asker_once(mail, host, asked):
    services.question_answer_publish(question=asked, by=host, answer="Build it in **routines**.")
    services.question_answer_publish(question=asked, by=host, answer="Edited answer.")

    [message] = mail.messages
    assert message.to == ["attendee@example.org"]
    assert message.subject == "Your question has been answered: Spreading improvement"
    assert "“How do we keep it going?”" in message.body
    assert "Build it in **routines**." in message.body
    assert message.links == [
        "http://127.0.0.1:8000/events/big-conversation/sessions/spread/#questions-answered"
    ]
    html = message.message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>routines</strong>" in html
    assert OutgoingEmail.objects.get().state == State.SENT


def test_an_anonymous_asker_is_emailed_too(mail, host, attendee, session):
    question = share(attendee, session, "Quietly?", kind=Kind.QUESTION, is_anonymous=True)

    services.question_answer_publish(question=question, by=host, answer="Yes.")

    assert [m.to for m in mail.messages] == [["attendee@example.org"]]


def test_a_draft_emails_nobody(mail, host, asked):
    services.question_answer_save(question=asked, by=host, answer="Draft")

    assert mail.messages == []


def test_an_email_no_longer_wanted_is_not_sent(mail, host, moderator, asked, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # not at once
    services.question_answer_publish(question=asked, by=host, answer="Yes.")
    services.contribution_hide(contribution=asked, by=moderator)

    result = outbox.email_send(email_id=OutgoingEmail.objects.get().pk)

    assert result == State.FAILED
    assert mail.messages == []
    assert OutgoingEmail.objects.get().last_error == "No longer needed."


def test_two_workers_sending_the_same_email_at_once_send_it_once(mail, host, asked, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.question_answer_publish(question=asked, by=host, answer="Yes.")
    email_id = OutgoingEmail.objects.get().pk
    barrier = threading.Barrier(4)
    results = []

    def send(worker: str) -> None:
        try:
            barrier.wait()
            results.append(outbox.email_send(email_id=email_id, worker=worker))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["sent", "skipped", "skipped", "skipped"]
    assert len(mail.messages) == 1


def test_a_worker_that_died_before_sending_is_retried_after_its_lease(mail, host, asked, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.question_answer_publish(question=asked, by=host, answer="Yes.")
    row = OutgoingEmail.objects.get()
    assert outbox.email_claim(email_id=row.pk, worker="dead-worker")  # then it died

    early = outbox.email_send(email_id=row.pk, worker="w2")
    OutgoingEmail.objects.filter(pk=row.pk).update(lease_until=timezone.now() - timedelta(1))
    recovered = outbox.emails_recover()
    late = outbox.email_send(email_id=row.pk, worker="w2")

    assert (early, late) == ("skipped", State.SENT)
    assert recovered == {"requeued": 1, "uncertain": 0}
    assert len(mail.messages) == 1


def test_a_worker_that_died_while_sending_is_never_sent_again(mail, host, asked, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.question_answer_publish(question=asked, by=host, answer="Yes.")
    OutgoingEmail.objects.update(
        state=State.SENDING, lease_until=timezone.now() - timedelta(minutes=1)
    )

    recovered = outbox.emails_recover()
    again = outbox.email_send(email_id=OutgoingEmail.objects.get().pk)

    assert recovered == {"requeued": 0, "uncertain": 1}
    assert again == "skipped"
    assert mail.messages == []


def test_a_refusing_mail_server_is_retried_then_given_up(host, asked, settings, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},  # nothing listens
        }
    }
    services.question_answer_publish(question=asked, by=host, answer="Yes.")
    email_id = OutgoingEmail.objects.get().pk

    states = [outbox.email_send(email_id=email_id) for _ in range(6)]

    assert states == [State.PENDING] * 4 + [State.FAILED, "skipped"]
    assert "ConnectionRefusedError" in OutgoingEmail.objects.get().last_error


def test_the_command_requeues_stale_emails(mail, host, asked, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.question_answer_publish(question=asked, by=host, answer="Yes.")
    OutgoingEmail.objects.update(enqueued_at=None)
    settings.TASKS = IMMEDIATE_TASKS

    call_command("run_scheduler", verbosity=0)

    assert OutgoingEmail.objects.get().state == State.SENT
    assert len(mail.messages) == 1
