"""The move into the one ledger (attendance 0003, contributions 0002): rows of the old
ledgers, made at the schema before the move, come out as OutgoingEmail rows with
their kinds, purposes, states and times; back again, and forward again, loses nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from convene.attendance import services as attendance
from convene.console import services as console
from convene.contributions import services as contributions
from convene.contributions.models import Contribution
from convene.core.models import OutgoingEmail
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("attendance", "0002_emaildelivery_kind_cancellation"),
    ("contributions", "0001_initial"),
    # With the stamps table (core 0003), which the factories' signals write to.
    ("core", "0003_stamp"),
]


def _migrate(targets=None):
    """Migrate to `targets` (the latest migrations when None); the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_ledgers():
    """The database as it was before the move; back at the latest migrations afterwards."""
    yield _migrate(BEFORE)
    _migrate()


@pytest.fixture
def people(db):
    today = timezone.localdate()
    event = EventFactory(start_date=today, end_date=today + timedelta(days=1))
    session = SessionFactory(event=event)
    ann = UserFactory(email="ann@example.org")
    registration = attendance.registration_create(event=event, user=ann)
    question = contributions.contribution_create(
        author=ann, event=event, session=session, kind=Contribution.Kind.QUESTION, text="Why?"
    )
    OutgoingEmail.objects.all().delete()  # the confirmation just recorded
    return registration, session, question


def test_the_old_ledgers_rows_move_into_the_one_ledger(old_ledgers, people):
    registration, session, question = people
    email_delivery = old_ledgers.get_model("attendance", "EmailDelivery")
    answer_email = old_ledgers.get_model("contributions", "AnswerEmail")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    email_delivery.objects.create(
        recipient="ann@example.org",
        purpose=f"reminder:15m:{session.pk}:1700000000",
        kind="reminder",
        registration_id=registration.pk,
        session_id=session.pk,
        state="sent",
        attempts=1,
        sent_at=an_hour_ago,
        enqueued_at=an_hour_ago,
    )
    email_delivery.objects.create(
        recipient="ann@example.org",
        purpose=f"verify:{registration.pk}:1",
        kind="verify",
        registration_id=registration.pk,
        state="pending",
        enqueued_at=an_hour_ago,
    )
    answer_email.objects.create(
        question_id=question.pk, recipient="ann@example.org", state="uncertain", attempts=1
    )
    email_delivery.objects.update(created_at=an_hour_ago)

    _migrate()

    rows = OutgoingEmail.objects.order_by("kind").values_list(
        "kind", "recipient", "purpose", "payload", "state", "attempts", "enqueued_at"
    )
    assert list(rows) == [
        ("answer", "ann@example.org", f"answer:{question.pk}", {"question": question.pk},
         "uncertain", 1, None),
        ("reminder", "ann@example.org", f"reminder:15m:{session.pk}:1700000000",
         {"registration": registration.pk, "session": session.pk}, "sent", 1, an_hour_ago),
        # Not sent yet: enqueued again by the scheduler's next pass, for the one task.
        ("verify", "ann@example.org", f"verify:{registration.pk}:1",
         {"registration": registration.pk}, "pending", 0, None),
    ]  # fmt: skip
    # Kept, so the per-address confirmation limit still counts the old rows.
    assert OutgoingEmail.objects.get(kind="verify").created_at == an_hour_ago


def test_migrating_back_and_forward_again_keeps_every_row(people):
    registration, session, question = people
    # A message to a session's people: attendance's old SessionMessage on the way back
    # (console 0002 moves it), the console's GroupMessage again on the way forward.
    console.group_message_send(
        event=session.event,
        group_key="session_registrants",
        sessions=[session],
        subject="Slides",
        body="Here.",
        optional=False,
        by=registration.user,
    )
    contributions.question_answer_publish(question=question, by=None, answer="Because.")
    rows = OutgoingEmail.objects.order_by("purpose").values_list(
        "kind", "recipient", "purpose", "payload", "state"
    )
    before = list(rows)

    old = _migrate(BEFORE)
    moved_back = old.get_model("attendance", "EmailDelivery").objects.count()
    answers_back = old.get_model("contributions", "AnswerEmail").objects.count()
    _migrate()

    assert (moved_back, answers_back) == (1, 1)
    assert [kind for kind, *_ in before] == ["answer", "group_message"]
    assert list(rows.all()) == before
