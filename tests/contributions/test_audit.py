"""What moderators and hosts do to contributions is in the event's activity log (core.audit);
what attendees share and vote is not (it is theirs, and visible on the boards)."""

import pytest

from convene.contributions import services
from convene.core.models import AuditEntry
from tests.contributions.conftest import share

pytestmark = pytest.mark.django_db


def _log(event) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(event_id=event.pk)
        .order_by("id")
        .values_list("actor_name", "action")
    )


def test_hiding_and_restoring_are_logged_once_each(moderator, tip, event):
    services.contribution_hide(contribution=tip, by=moderator)
    services.contribution_hide(contribution=tip, by=moderator)  # already hidden: no change
    services.contribution_restore(contribution=tip, by=moderator)
    services.contribution_restore(contribution=tip, by=moderator)

    assert _log(event) == [
        ("Mo Moderator", "contributions.hidden"),
        ("Mo Moderator", "contributions.restored"),
    ]


def test_answers_are_logged_with_their_host(host, question, event):
    services.question_answer_save(question=question, by=host, answer="A draft.")
    services.question_answer_publish(question=question, by=host, answer="Start small.")
    services.question_answer_unpublish(question=question, by=host)

    assert _log(event) == [
        ("Hana Host", "contributions.answer_saved"),
        ("Hana Host", "contributions.answer_published"),
        ("Hana Host", "contributions.answer_unpublished"),
    ]
    assert AuditEntry.objects.first().data == {"kind": "Question"}


def test_sharing_voting_and_deleting_ones_own_are_not_logged(attendee, outsider, session, event):
    tip = share(attendee, session)
    services.contribution_vote_toggle(contribution=tip, user=outsider)
    services.contribution_delete(contribution=tip, by=attendee)

    assert _log(event) == []
