"""Contributions in "download my data" and "delete my account"."""

import json

import pytest
from django.urls import reverse

from convene.accounts.services import user_erase
from convene.contributions import services
from convene.contributions.models import Contribution, Vote
from convene.core.models import OutgoingEmail
from tests.conftest import client_for
from tests.contributions.conftest import share

pytestmark = pytest.mark.django_db


def test_my_data_holds_what_i_shared_and_voted_for(attendee, outsider, host, tip, question):
    services.contribution_vote_toggle(contribution=tip, user=attendee)
    services.question_answer_publish(question=question, by=host, answer="Yes.")
    share(outsider, tip.session, "Not mine")

    data = json.loads(client_for(attendee).get(reverse("accounts:download_data")).content)

    mine = data["contributions"]
    assert [(c["kind"], c["text"], c["principles"]) for c in mine["shared"]] == [
        ("tip", "Start small and share what you learn.", ["networks"]),
        ("question", "How do we keep it going?", []),
    ]
    assert mine["shared"][1]["answer"] == "Yes."
    assert [v["contribution"] for v in mine["votes"]] == ["Start small and share what you learn."]


def test_deleting_my_account_keeps_my_words_without_my_name(
    client, attendee, outsider, host, tip, question
):
    services.contribution_vote_toggle(contribution=tip, user=attendee)
    services.contribution_vote_toggle(contribution=tip, user=outsider)
    services.question_answer_publish(question=question, by=host, answer="Yes.")
    assert OutgoingEmail.objects.filter(recipient="attendee@example.org").exists()

    client_for(attendee).post(reverse("accounts:delete"), {"confirm": "delete my account"})

    tip.refresh_from_db()
    assert Contribution.objects.count() == 2
    assert (tip.text, tip.author, tip.is_anonymous) == (
        "Start small and share what you learn.",
        None,
        True,
    )
    assert not OutgoingEmail.objects.exists()  # it held the address
    assert Vote.objects.filter(contribution=tip).count() == 2  # the count stays true
    board = client.get(tip.get_absolute_url()).content.decode()
    assert "Ade Attendee" not in board
    assert "by Anonymous" in board


def test_erasing_a_host_forgets_who_answered_and_hid(host, moderator, attendee, tip, question):
    services.question_answer_publish(question=question, by=host, answer="Yes.")
    services.contribution_hide(contribution=tip, by=moderator)

    user_erase(user=host)
    user_erase(user=moderator)

    question.refresh_from_db()
    tip.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Yes.", None)
    assert (tip.is_hidden, tip.hidden_by) == (True, None)


def test_a_chat_message_saved_by_someone_who_leaves_keeps_its_author(host, attendee, session):
    saved, _ = services.contribution_from_chat(
        session=session,
        saved_by=host,
        message={"id": 7, "text": "Tip", "author_id": attendee.pk, "session_id": session.pk},
        kind="tip",
    )

    user_erase(user=host)

    saved.refresh_from_db()
    assert (saved.author, saved.saved_by) == (attendee, None)
