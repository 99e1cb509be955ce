"""The state changes of contributions (services.py): bad input stores nothing."""

import pytest
from django.core.exceptions import ValidationError

from convene.contributions import services
from convene.contributions.models import Contribution, Vote
from convene.core.models import OutgoingEmail
from convene.events.models import Session
from tests.contributions.conftest import Kind, principle, share
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_share_a_tip_with_principles_and_a_link(attendee, session):
    tip = share(
        attendee,
        session,
        "  Find the people already doing it.  ",
        link="https://example.org/story",
        principles=[principle("learning"), principle("networks")],
    )

    assert (tip.event, tip.session, tip.kind, tip.text, tip.link) == (
        session.event,
        session,
        Kind.TIP,
        "Find the people already doing it.",
        "https://example.org/story",
    )
    assert sorted(tip.principles.values_list("slug", flat=True)) == ["learning", "networks"]
    assert tip.public_author_name == "Ade Attendee"


def test_an_anonymous_contribution_hides_the_name_from_the_public(attendee, session):
    tip = share(attendee, session, is_anonymous=True)

    assert tip.public_author_name == "Anonymous"
    assert tip.author == attendee


def test_share_on_the_event_board(attendee, event):
    idea = services.contribution_create(
        author=attendee, event=event, kind=Kind.IDEA, text="A monthly open call."
    )

    assert (idea.event, idea.session) == (event, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Write your top tip, idea or question."),
        ({"text": "   \n "}, "Write your top tip, idea or question."),
        ({"text": "x" * 1001}, "Keep it to 1000 characters or fewer (it has 1001)."),
        ({"kind": "rant"}, "Choose one of: tip, idea, question."),
        ({"link": "javascript:alert(1)"}, "Enter a web address starting http:// or https://."),
        ({"link": "https://example.org/" + "a" * 500}, "Keep the link to 500 characters"),
        ({"principles": ["networks"]}, "Choose principles from the list."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(
    attendee, session, fields, message
):
    values = {"kind": Kind.TIP, "text": "A tip."} | fields

    with pytest.raises(ValidationError) as refused:
        services.contribution_create(
            author=attendee, event=session.event, session=session, **values
        )

    assert message in " ".join(refused.value.messages)
    assert not Contribution.objects.exists()


def test_a_session_of_another_event_or_a_break_is_refused(attendee, session):
    other = SessionFactory(slug="elsewhere")
    coffee = SessionFactory(event=session.event, slug="coffee", kind=Session.Kind.BREAK)

    with pytest.raises(ValidationError, match="another event"):
        services.contribution_create(
            author=attendee, event=session.event, session=other, kind=Kind.TIP, text="Hi"
        )
    with pytest.raises(ValidationError, match="Breaks have no board"):
        share(attendee, coffee)

    assert not Contribution.objects.exists()


def test_the_database_refuses_empty_and_over_long_text_too(attendee, session):
    from django.db import IntegrityError, transaction

    for text in ["  ", "x" * 1001]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Contribution.objects.create(event=session.event, session=session, text=text)

    assert not Contribution.objects.exists()


def test_a_person_sharing_too_fast_is_slowed_down(settings, attendee, session):
    settings.CONTRIBUTIONS_RATE_LIMIT = 2
    share(attendee, session, "One")
    share(attendee, session, "Two")

    with pytest.raises(services.RateLimitedError, match="wait a few minutes"):
        share(attendee, session, "Three")

    assert Contribution.objects.count() == 2


# --- The author changes or deletes ------------------------------------------------


def test_the_author_edits_text_kind_and_principles(attendee, tip):
    services.contribution_update(
        contribution=tip,
        by=attendee,
        kind=Kind.IDEA,
        text="Changed",
        principles=[principle("benefit")],
        is_anonymous=True,
    )

    tip.refresh_from_db()
    assert (tip.kind, tip.text, tip.is_anonymous) == (Kind.IDEA, "Changed", True)
    assert list(tip.principles.values_list("slug", flat=True)) == ["benefit"]


def test_someone_else_cannot_edit_or_delete(outsider, tip):
    with pytest.raises(ValidationError, match="Only the person who shared this"):
        services.contribution_update(contribution=tip, by=outsider, kind=Kind.TIP, text="Mine")
    with pytest.raises(ValidationError, match="Only the person who shared this"):
        services.contribution_delete(contribution=tip, by=outsider)

    tip.refresh_from_db()
    assert tip.text == "Start small and share what you learn."


def test_a_hidden_contribution_cannot_be_edited(attendee, moderator, tip):
    services.contribution_hide(contribution=tip, by=moderator)

    with pytest.raises(ValidationError, match="hidden"):
        services.contribution_update(contribution=tip, by=attendee, kind=Kind.TIP, text="Back")


def test_an_answered_question_stays_a_question(attendee, host, question):
    services.question_answer_save(question=question, by=host, answer="Draft")

    with pytest.raises(ValidationError, match="stays one"):
        services.contribution_update(
            contribution=question, by=attendee, kind=Kind.TIP, text=question.text
        )


def test_the_author_deletes_with_its_votes(attendee, outsider, tip):
    services.contribution_vote_toggle(contribution=tip, user=outsider)

    services.contribution_delete(contribution=tip, by=attendee)

    assert not Contribution.objects.exists()
    assert not Vote.objects.exists()


# --- Moderation -------------------------------------------------------------------


def test_hide_and_restore_keep_the_votes(moderator, outsider, tip):
    services.contribution_vote_toggle(contribution=tip, user=outsider)

    services.contribution_hide(contribution=tip, by=moderator)
    hidden = (tip.status, tip.hidden_by)
    services.contribution_hide(contribution=tip, by=moderator)  # again: no change
    services.contribution_restore(contribution=tip, by=moderator)

    assert hidden == (Contribution.Status.HIDDEN, moderator)
    assert (tip.status, tip.hidden_at, tip.hidden_by) == (Contribution.Status.VISIBLE, None, None)
    assert tip.votes.count() == 1


# --- Votes ------------------------------------------------------------------------


def test_vote_toggles_and_counts_rows(attendee, outsider, tip):
    first = services.contribution_vote_toggle(contribution=tip, user=outsider)
    second = services.contribution_vote_toggle(contribution=tip, user=attendee)
    third = services.contribution_vote_toggle(contribution=tip, user=outsider)

    assert [first, second, third] == [(True, 1), (True, 2), (False, 1)]
    assert list(Vote.objects.values_list("user", flat=True)) == [attendee.pk]


def test_vote_with_an_explicit_state_is_idempotent(outsider, tip):
    results = [
        services.contribution_vote_toggle(contribution=tip, user=outsider, on=True)
        for _ in range(3)
    ]
    off = services.contribution_vote_toggle(contribution=tip, user=outsider, on=False)
    off_again = services.contribution_vote_toggle(contribution=tip, user=outsider, on=False)

    assert results == [(True, 1)] * 3
    assert (off, off_again) == ((False, 0), (False, 0))


def test_voting_on_a_hidden_contribution_is_refused_and_stores_nothing(moderator, outsider, tip):
    services.contribution_hide(contribution=tip, by=moderator)

    with pytest.raises(ValidationError, match="hidden this, so it cannot be voted on"):
        services.contribution_vote_toggle(contribution=tip, user=outsider)

    assert not Vote.objects.exists()


# --- Answers ----------------------------------------------------------------------


def test_a_draft_answer_is_not_published_and_emails_nobody(host, question):
    services.question_answer_save(question=question, by=host, answer="Draft **answer**")

    question.refresh_from_db()
    assert (question.answer, question.answered_by, question.is_answered) == (
        "Draft **answer**",
        host,
        False,
    )
    assert not OutgoingEmail.objects.exists()


def test_publishing_records_one_email_for_the_asker_however_often(
    host, attendee, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.question_answer_publish(question=question, by=host, answer="Yes.")
        first_published = Contribution.objects.get(pk=question.pk).answer_published_at
        services.question_answer_publish(question=question, by=host, answer="Yes, edited.")
        services.question_answer_unpublish(question=question, by=host)
        services.question_answer_publish(question=question, by=host, answer="Yes, again.")

    email = OutgoingEmail.objects.get()
    assert (email.payload, email.recipient) == ({"question": question.pk}, "attendee@example.org")
    assert len(callbacks) == 1  # one enqueue
    question.refresh_from_db()
    assert question.answer == "Yes, again."
    assert question.answer_published_at > first_published  # unpublished in between


def test_only_questions_get_answers_and_not_when_hidden(host, moderator, tip, question):
    with pytest.raises(ValidationError, match="Only questions"):
        services.question_answer_publish(question=tip, by=host, answer="No.")
    services.contribution_hide(contribution=question, by=moderator)
    with pytest.raises(ValidationError, match="hidden"):
        services.question_answer_publish(question=question, by=host, answer="No.")

    assert not Contribution.objects.exclude(answer="").exists()


@pytest.mark.parametrize("answer", ["", "  ", "x" * 10_001])
def test_empty_or_over_long_answers_are_refused(host, question, answer):
    with pytest.raises(ValidationError):
        services.question_answer_publish(question=question, by=host, answer=answer)

    question.refresh_from_db()
    assert (question.answer, question.is_answered) == ("", False)
    assert not OutgoingEmail.objects.exists()


def test_a_question_without_an_asker_is_answered_without_email(host, session):
    question = services.contribution_create(
        author=None, event=session.event, session=session, kind=Kind.QUESTION, text="Who?"
    )

    services.question_answer_publish(question=question, by=host, answer="Everyone.")

    assert not OutgoingEmail.objects.exists()


# --- From the chat ----------------------------------------------------------------


def _message(session, author, text="Start small", message_id=41):
    return {
        "id": message_id,
        "seq": 3,
        "kind": "message",
        "text": text,
        "author_id": author.pk if author else None,
        "author_name": author.name if author else "Former participant",
        "created_at": None,
        "reply_to_id": None,
        "session_id": session.pk,
    }


def test_saving_my_own_message_shares_it_under_my_name(attendee, session):
    saved, created = services.contribution_from_chat(
        session=session, saved_by=attendee, message=_message(session, attendee), kind=Kind.TIP
    )

    assert created
    assert (saved.author, saved.saved_by, saved.is_anonymous, saved.source_message_id) == (
        attendee,
        attendee,
        False,
        41,
    )
    assert saved.source_message_url.endswith(
        "/events/big-conversation/sessions/spread/chat/#message-41"
    )


def test_a_host_saves_someone_elses_message_anonymously(host, attendee, session):
    saved, _ = services.contribution_from_chat(
        session=session, saved_by=host, message=_message(session, attendee), kind=Kind.QUESTION
    )

    assert (saved.author, saved.saved_by, saved.is_anonymous, saved.kind) == (
        attendee,
        host,
        True,
        Kind.QUESTION,
    )


def test_an_attendee_cannot_save_someone_elses_message(attendee, outsider, session):
    with pytest.raises(ValidationError, match="You can save your own messages"):
        services.contribution_from_chat(
            session=session, saved_by=outsider, message=_message(session, attendee), kind=Kind.TIP
        )

    assert not Contribution.objects.exists()


def test_saving_a_message_twice_keeps_one(attendee, host, session):
    message = _message(session, attendee)
    first, created = services.contribution_from_chat(
        session=session, saved_by=attendee, message=message, kind=Kind.TIP
    )
    again, created_again = services.contribution_from_chat(
        session=session, saved_by=host, message=message, kind=Kind.QUESTION
    )

    assert (created, created_again, again) == (True, False, first)
    assert Contribution.objects.count() == 1


def test_a_message_of_another_session_is_refused(attendee, session):
    other = SessionFactory(event=session.event, slug="other")

    with pytest.raises(ValidationError, match="another session"):
        services.contribution_from_chat(
            session=other, saved_by=attendee, message=_message(session, attendee), kind=Kind.TIP
        )


def test_a_message_whose_author_left_is_saved_without_author(host, session):
    saved, _ = services.contribution_from_chat(
        session=session, saved_by=host, message=_message(session, None), kind=Kind.TIP
    )

    assert (saved.author, saved.public_author_name) == (None, "Anonymous")


def test_an_over_long_message_is_refused_like_any_text(attendee, session):
    with pytest.raises(ValidationError, match="1000 characters"):
        services.contribution_from_chat(
            session=session,
            saved_by=attendee,
            message=_message(session, attendee, text="x" * 1200),
            kind=Kind.TIP,
        )


def test_other_people_never_own_what_i_share(attendee, session):
    stranger = UserFactory()

    tip = share(attendee, session)

    assert tip.author != stranger
