"""The one outgoing-email pipeline (core/outbox.py): an app that registers a message
builder for a new kind has its emails sent by the one send task and the same
`db_worker`, and its jobs run by the one scheduler; no process of its own."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.core import outbox
from convene.core.models import OutgoingEmail
from tests.smtp import smtp_mailer, smtp_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "test_award"


def build_award(row: OutgoingEmail) -> outbox.Message | None:
    """A later app's builder (awards, say): everything from the payload's ids."""
    if row.payload.get("withdrawn"):
        return None
    return outbox.Message(
        subject=f"You won award {row.payload['award']}",
        text="Congratulations.",
        html="<p>Congratulations.</p>",
        headers={"List-Unsubscribe": "<https://convene.example.org/u/1>"},
        attachments=[("award.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )


@pytest.fixture
def award_builder():
    with outbox.EMAIL_KINDS.added(outbox.EmailKind(KIND, build_award)):
        yield


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker_pass() -> None:
    """The ordinary task worker, here in this process (so it knows the test's builder)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")


def test_a_new_kind_is_sent_by_the_one_task(
    award_builder,
    database_queue,
    smtp_mailer,  # noqa: F811 - the fixture imported above
):
    row = outbox.email_record(
        kind=KIND, recipient="Ann@Example.org", purpose="award:7", payload={"award": 7}
    )

    _worker_pass()

    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "convene.core.tasks.send_outgoing_email"
    ]
    [message] = smtp_mailer.messages
    assert (message.to, message.subject, message.body) == (
        ["ann@example.org"],
        "You won award 7",
        "Congratulations.\n",
    )
    assert message.message["Message-ID"] == f"<award.7.{row.pk}@convene>"
    assert message.message["List-Unsubscribe"] == "<https://convene.example.org/u/1>"
    html = message.message.get_body(preferencelist=("html",)).get_content()
    assert html == "<p>Congratulations.</p>\n"
    [attachment] = message.message.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content_type()) == (
        "award.ics",
        "text/calendar",
    )
    row.refresh_from_db()
    assert row.state == "sent"


def test_recording_the_same_email_again_adds_nothing(award_builder, database_queue):
    first = outbox.email_record(kind=KIND, recipient="ann@example.org", purpose="award:7")
    again = outbox.email_record(kind=KIND, recipient=" ANN@example.org", purpose="award:7")
    many = outbox.emails_record(
        kind=KIND,
        emails=[
            {"recipient": "ann@example.org", "purpose": "award:7"},
            {"recipient": "bo@example.org", "purpose": "award:7", "payload": {"award": 7}},
            {"recipient": "Bo@example.org", "purpose": "award:7"},
        ],
    )

    assert first is not None
    assert (again, many) == (None, 1)
    assert sorted(OutgoingEmail.objects.values_list("recipient", "payload")) == [
        ("ann@example.org", {}),
        ("bo@example.org", {}),  # the last of the duplicates given wins
    ]


def test_an_email_its_builder_no_longer_wants_fails_unsent(
    award_builder,
    database_queue,
    smtp_mailer,  # noqa: F811 - the fixture imported above
):
    outbox.email_record(
        kind=KIND, recipient="ann@example.org", purpose="award:8", payload={"withdrawn": True}
    )

    _worker_pass()

    assert smtp_mailer.messages == []
    assert OutgoingEmail.objects.values_list("state", "last_error").get() == (
        "failed",
        "No longer needed.",
    )


def test_a_kind_nobody_builds_is_retried_then_failed(
    database_queue,
    smtp_mailer,  # noqa: F811 - the fixture imported above
):
    row = outbox.email_record(kind="gone_app", recipient="ann@example.org", purpose="gone:1")

    states = [outbox.email_send(email_id=row.pk) for _ in range(outbox.MAX_ATTEMPTS)]

    assert states == ["pending"] * (outbox.MAX_ATTEMPTS - 1) + ["failed"]
    assert "No message builder for the email kind 'gone_app'" in (
        OutgoingEmail.objects.get().last_error
    )
    assert smtp_mailer.messages == []


def test_the_one_scheduler_runs_registered_jobs_and_recovers_every_kind(
    award_builder, database_queue, capsys
):
    def award_reminders() -> int:
        return outbox.emails_record(
            kind=KIND, emails=[{"recipient": "ann@example.org", "purpose": "award:9"}]
        )

    job = outbox.ScheduledJob("award reminders recorded", award_reminders)
    with outbox.SCHEDULED_JOBS.added(job):
        call_command("run_scheduler", "-v", "2")
        # As if its task was lost: enqueued, and not picked up since.
        OutgoingEmail.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
        call_command("run_scheduler", "-v", "2")

    assert capsys.readouterr().out.splitlines() == [
        "reminders recorded: 0; award reminders recorded: 1; re-enqueued: 0; uncertain: 0",
        "reminders recorded: 0; award reminders recorded: 0; re-enqueued: 1; uncertain: 0",
    ]
    assert OutgoingEmail.objects.get().kind == KIND


def test_two_builders_for_one_kind_are_refused(award_builder):
    with pytest.raises(ImproperlyConfigured, match="Two different values for 'test_award'"):
        outbox.EMAIL_KINDS.register(outbox.EmailKind(KIND, lambda row: None))
