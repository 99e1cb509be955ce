"""Attendance's per-session messages move into the console's messages to groups (console
0002, decision 0027): same ids, group, session, text, sender, time and count; their emails
follow with their states, so the sent log reads them and those not sent yet are built by
the console's builder. Backwards, what fits the old table goes back."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from convene.attendance import services as attendance
from convene.console.emails import build_group_message
from convene.console.models import GroupMessage
from convene.console.selectors import delivery_counts
from convene.core.models import OutgoingEmail
from tests.console.conftest import send
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("attendance", "0004_remove_emaildelivery"), ("console", "0001_initial")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def drop_in(db):
    today = timezone.localdate()
    event = EventFactory(slug="moved", start_date=today, end_date=today + timedelta(days=2))
    return SessionFactory(event=event, title="Drop-in")


@pytest.fixture
def people(drop_in):
    organiser = UserFactory(email="orga@example.org", name="Olu Organiser")
    ann = attendance.registration_create(
        event=drop_in.event, user=UserFactory(email="ann@example.org", name="Ann")
    )
    bo = attendance.registration_create(
        event=drop_in.event, user=UserFactory(email="bo@example.org", name="Bo")
    )
    OutgoingEmail.objects.all().delete()  # their confirmations
    return organiser, ann, bo


@pytest.fixture
def old_schema():
    yield _migrate(BEFORE)
    _migrate()


def test_old_session_messages_and_their_emails_move_to_the_console(old_schema, drop_in, people):
    organiser, ann, bo = people
    session_message = old_schema.get_model("attendance", "SessionMessage")
    week_ago = timezone.now() - timedelta(days=7)
    old = session_message.objects.create(
        session_id=drop_in.pk, subject="Slides", body="Here.", sent_by_id=organiser.pk,
        recipient_count=2,
    )  # fmt: skip
    session_message.objects.filter(pk=old.pk).update(created_at=week_ago)
    ids = {"session": drop_in.pk, "message": old.pk}
    OutgoingEmail.objects.create(
        kind="message", recipient="ann@example.org", purpose=f"message:{old.pk}",
        payload={"registration": ann.pk, **ids}, state="sent", attempts=1,
    )  # fmt: skip
    OutgoingEmail.objects.create(
        kind="message", recipient="bo@example.org", purpose=f"message:{old.pk}",
        payload={"registration": bo.pk, **ids}, state="pending",
    )  # fmt: skip
    orphan = OutgoingEmail.objects.create(  # its message went with a deleted session
        kind="message", recipient="bo@example.org", purpose="message:999",
        payload={"registration": bo.pk, "session": 999, "message": 999}, state="pending",
    )  # fmt: skip

    _migrate()

    message = GroupMessage.objects.get()
    assert (message.pk, message.event, message.group, list(message.sessions.all())) == (
        old.pk,
        drop_in.event,
        "session_registrants",
        [drop_in],
    )
    assert (message.subject, message.body, message.optional) == ("Slides", "Here.", False)
    assert (message.sent_by, message.recipient_count, message.created_at) == (
        organiser,
        2,
        week_ago,
    )
    rows = OutgoingEmail.objects.filter(kind="group_message").order_by("recipient")
    assert list(rows.values_list("recipient", "purpose", "payload", "state")) == [
        ("ann@example.org", f"group_message:{old.pk}", {"message": old.pk}, "sent"),
        ("bo@example.org", f"group_message:{old.pk}", {"message": old.pk}, "pending"),
    ]
    counts = delivery_counts([message])[message.pk]
    assert (counts.sent, counts.waiting) == (1, 1)
    built = build_group_message(rows.get(recipient="bo@example.org"))
    assert (built.subject, built.text.split("\n")[0]) == ("Slides", "Here.")
    orphan.refresh_from_db()
    assert (orphan.kind, orphan.state, orphan.last_error) == (
        "message",
        "failed",
        "No longer needed.",
    )
    # New messages take the ids after the moved ones.
    assert send(drop_in.event, "registrants", by=organiser).pk > old.pk


def test_back_again_what_fits_the_old_table(drop_in, people):
    organiser, ann, _ = people
    fits = send(drop_in.event, "session_registrants", sessions=[drop_in], by=organiser)
    everyone = send(drop_in.event, "registrants", by=organiser, subject="All")

    old = _migrate(BEFORE)
    try:
        moved_back = list(
            old.get_model("attendance", "SessionMessage").objects.values_list(
                "pk", "session_id", "subject"
            )
        )
        rows = sorted(
            OutgoingEmail.objects.filter(purpose=f"message:{fits.pk}").values_list(
                "recipient", "kind", "payload"
            )
        )
        stays = list(old.get_model("console", "GroupMessage").objects.values_list("pk", flat=True))
    finally:
        _migrate()

    assert moved_back == [(fits.pk, drop_in.pk, "Hello")]
    assert rows[0] == (
        "ann@example.org",
        "message",
        {"registration": ann.pk, "session": drop_in.pk, "message": fits.pk},
    )
    assert len(rows) == 2
    assert stays == [everyone.pk]  # everyone registered: not a session message
    assert set(GroupMessage.objects.values_list("pk", flat=True)) == {fits.pk, everyone.pk}
