"""The team's limits hold when people click at the same moment: real threads, each
with its own database connection, on the suite's database (a SQLite file with
IMMEDIATE transactions, or PostgreSQL, where the services lock rows FOR UPDATE)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from convene.core.models import AuditEntry, OutgoingEmail
from convene.events import services
from convene.events.models import EventRole, TeamInvitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(work: list) -> tuple[list, list[BaseException]]:
    """Run each callable in its own thread, released together; results and errors."""
    barrier = threading.Barrier(len(work))
    results: list = [None] * len(work)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work[i]()
        except BaseException as exc:  # collected for the test to read
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_organisers_removing_each_other_at_once_leave_one(organiser, event):
    """Without the event's row lock both would count two organisers and both succeed."""
    second = UserFactory(email="second@example.org")
    EventRole.objects.create(event=event, user=second, role=EventRole.Role.ORGANISER)

    _, errors = _at_once(
        [
            lambda: services.role_remove(event=event, user=second, role="organiser", by=organiser),
            lambda: services.role_remove(event=event, user=organiser, role="organiser", by=second),
        ]
    )

    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "is the only organiser of this event" in str(errors[0])
    assert EventRole.objects.filter(event=event, role="organiser").count() == 1


def test_many_re_sends_at_once_send_no_more_than_the_limit(organiser, event):
    invitation = services.team_invite(
        event=event, email="carol@example.org", role="judge", by=organiser
    )

    _, errors = _at_once(
        [
            lambda: services.team_invitation_resend(invitation=invitation, by=organiser)
            for _ in range(6)
        ]
    )

    assert len(errors) == 6 - (services.TEAM_INVITATION_SENDS - 1)
    assert {type(e) for e in errors} == {ValidationError}
    assert TeamInvitation.objects.get().sends == services.TEAM_INVITATION_SENDS
    assert OutgoingEmail.objects.filter(kind="team_invitation").count() == 4


def test_two_tabs_accepting_at_once_accept_once(organiser, event):
    carol = UserFactory(email="carol@example.org")
    invitation = services.team_invite(
        event=event, email="carol@example.org", role="reviewer", by=organiser
    )

    results, errors = _at_once(
        [lambda: services.team_invitation_accept(invitation=invitation, user=carol)] * 2
    )

    assert errors == []
    assert results[0] == results[1]
    assert EventRole.objects.filter(event=event, user=carol).count() == 1
    assert AuditEntry.objects.filter(action="events.team_invitation_accepted").count() == 1
