"""Boards: what they show, in which order, adding, voting (with and without
htmx), live counts, and what hosts publish on the session page."""

import pytest
from django.urls import reverse

from convene.contributions import selectors, services
from convene.contributions.models import Contribution, Vote
from tests.conftest import client_for
from tests.contributions.conftest import Kind, principle, share
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def board_url(session) -> str:
    return reverse(
        "contributions:session_board", kwargs={"event": session.event.slug, "session": session.slug}
    )


def event_board_url(event) -> str:
    return reverse("contributions:event_board", kwargs={"event": event.slug})


def shown(response) -> list[int]:
    return [item.pk for item in response.context["items"]]


def test_anyone_reads_a_board_with_names_kinds_and_principles(client, attendee, tip, question):
    response = client.get(board_url(tip.session))

    html = response.content.decode()
    assert response.status_code == 200
    assert shown(response) == [question.pk, tip.pk]  # no votes: newest first
    assert "Top tip</strong>" in html
    assert "by Ade Attendee" in html
    assert '<a href="/principles/networks/">Networks</a>' in html
    assert "Sign in</a> to share and vote" in html


def test_most_votes_first_then_newest(client, attendee, session):
    old, middle, new = (share(attendee, session, f"Tip {n}") for n in range(3))
    for voter in (UserFactory(), UserFactory()):
        services.contribution_vote_toggle(contribution=old, user=voter)
    services.contribution_vote_toggle(contribution=middle, user=UserFactory())

    by_votes = client.get(board_url(session))
    newest = client.get(board_url(session) + "?sort=newest")

    assert shown(by_votes) == [old.pk, middle.pk, new.pk]
    assert shown(newest) == [new.pk, middle.pk, old.pk]
    assert [i.vote_count for i in by_votes.context["items"]] == [2, 1, 0]


def test_filters_by_kind_and_principle(client, attendee, session):
    tip = share(attendee, session, principles=[principle("learning")])
    share(attendee, session, "A question?", kind=Kind.QUESTION, principles=[principle("learning")])
    share(attendee, session, "Other tip", principles=[principle("networks")])

    response = client.get(board_url(session) + "?kind=tip&principle=learning")

    assert shown(response) == [tip.pk]


def test_unknown_filter_values_fall_back_to_everything(client, tip, question):
    response = client.get(board_url(tip.session) + "?kind=rant&principle=nope&sort=x&page=abc")

    assert response.status_code == 200
    assert sorted(shown(response)) == sorted([tip.pk, question.pk])


def test_event_board_gathers_sessions_and_the_events_own(client, attendee, event, tip):
    other = share(attendee, SessionFactory(event=event, slug="other"), "Elsewhere")
    own = services.contribution_create(author=attendee, event=event, kind=Kind.IDEA, text="Own")
    share(attendee, SessionFactory(slug="another-events-session"), "Not here")

    response = client.get(event_board_url(event))

    assert sorted(shown(response)) == sorted([tip.pk, other.pk, own.pk])
    assert f'href="{board_url(tip.session)}">Spreading improvement</a>' in (
        response.content.decode()
    )


def test_hidden_items_vanish_from_the_board(client, moderator, tip, question):
    services.contribution_hide(contribution=tip, by=moderator)

    assert shown(client.get(board_url(tip.session))) == [question.pk]
    assert shown(client.get(event_board_url(tip.event))) == [question.pk]


def test_board_pages_at_fifty_and_keeps_filters_in_page_links(client, attendee, session):
    items = [
        Contribution(event=session.event, session=session, author=attendee, text=f"Tip {n}")
        for n in range(selectors.PAGE_SIZE + 5)
    ]
    Contribution.objects.bulk_create(items)

    first = client.get(board_url(session) + "?kind=tip")
    second = client.get(board_url(session) + "?kind=tip&page=2")
    beyond = client.get(board_url(session) + "?kind=tip&page=99")

    assert len(first.context["items"]) == selectors.PAGE_SIZE
    assert len(second.context["items"]) == 5
    assert shown(beyond) == shown(second)  # past the end: the last page
    assert 'href="?kind=tip&amp;page=2" rel="next"' in first.content.decode()


# --- Adding -----------------------------------------------------------------------


def test_signed_in_person_shares_a_tip_on_the_board(attendee, session):
    response = client_for(attendee).post(
        board_url(session),
        {
            "kind": "tip",
            "text": "Ask the people who use it.",
            "link": "example.org/story",
            "principles": ["individual", "benefit"],
            "is_anonymous": "on",
        },
    )

    tip = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(session)}#contribution-{tip.pk}"
    assert (tip.author, tip.text, tip.link, tip.is_anonymous) == (
        attendee,
        "Ask the people who use it.",
        "https://example.org/story",
        True,
    )
    assert sorted(tip.principles.values_list("slug", flat=True)) == ["benefit", "individual"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "tip", "text": ""}, "Write your top tip, idea or question."),
        ({"kind": "tip", "text": "x" * 1001}, "Ensure this value has at most 1000 characters"),
        (
            {"kind": "tip", "text": "Hi", "principles": ["nope"]},
            "nope is not one of the principles",
        ),
        ({"kind": "rant", "text": "Hi"}, "Select a valid choice"),
        ({"kind": "tip", "text": "Hi", "link": "not a link"}, "Enter a web address"),
    ],
)
def test_bad_input_on_the_board_shows_the_error_and_stores_nothing(attendee, session, data, error):
    response = client_for(attendee).post(board_url(session), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Contribution.objects.exists()


def test_rate_limit_on_the_board_is_a_clear_error(settings, attendee, session):
    settings.CONTRIBUTIONS_RATE_LIMIT = 1
    client = client_for(attendee)
    client.post(board_url(session), {"kind": "tip", "text": "One"})

    response = client.post(board_url(session), {"kind": "tip", "text": "Two"})

    assert "Please wait a few minutes" in response.content.decode()
    assert Contribution.objects.count() == 1


# --- Voting -----------------------------------------------------------------------


def vote_url(contribution) -> str:
    return reverse("contributions:vote", kwargs={"pk": contribution.pk})


def test_vote_without_javascript_redirects_back_to_the_item(outsider, tip):
    client = client_for(outsider)
    back = board_url(tip.session) + "?sort=newest"

    response = client.post(vote_url(tip), {"on": "1", "next": back})
    again = client.post(vote_url(tip), {"on": "1", "next": back})  # a double click
    page = client.get(back)

    assert response["Location"] == f"{back}#contribution-{tip.pk}"
    assert again.status_code == 302
    assert Vote.objects.filter(contribution=tip).count() == 1
    assert "Take back my vote" in page.content.decode()


def test_vote_with_htmx_answers_the_vote_fragment_and_announces(outsider, tip):
    response = client_for(outsider).post(vote_url(tip), {"on": "1"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert f'<span id="votes-{tip.pk}">1 vote</span>' in html
    assert "Take back my vote" in html
    assert 'id="board-status" aria-live="polite" hx-swap-oob="true">Your vote is counted.' in html


def test_take_back_a_vote(outsider, tip):
    client = client_for(outsider)
    client.post(vote_url(tip), {"on": "1"})

    response = client.post(vote_url(tip), {"on": "0"}, headers={"HX-Request": "true"})

    assert f'<span id="votes-{tip.pk}">0 votes</span>' in response.content.decode()
    assert not Vote.objects.exists()


def test_voting_on_a_hidden_item_is_refused_with_a_message(moderator, outsider, tip):
    services.contribution_hide(contribution=tip, by=moderator)
    client = client_for(outsider)

    response = client.post(vote_url(tip), {"on": "1"}, follow=True)

    assert "A moderator has hidden this, so it cannot be voted on." in response.content.decode()
    assert not Vote.objects.exists()


def test_live_counts_answer_only_this_boards_visible_items(client, moderator, attendee, tip):
    other_board = share(attendee, SessionFactory(event=tip.event, slug="other"), "Elsewhere")
    hidden = share(attendee, tip.session, "Hidden one")
    services.contribution_hide(contribution=hidden, by=moderator)
    services.contribution_vote_toggle(contribution=tip, user=UserFactory())
    url = reverse(
        "contributions:session_votes", kwargs={"event": tip.event.slug, "session": "spread"}
    )

    response = client.get(f"{url}?ids={tip.pk},{other_board.pk},{hidden.pk},x,²,{'9' * 40}")

    assert response.content.decode().strip() == (
        f'<span id="votes-{tip.pk}" hx-swap-oob="true">1 vote</span>'
    )
    # Public (the counts are everyone's), but a CDN must ask again every time.
    assert response["Cache-Control"] == "public, no-cache"


def test_board_polls_its_counts(client, tip, question):
    html = client.get(board_url(tip.session)).content.decode()

    assert f'top-tips/votes/?ids={question.pk},{tip.pk}" hx-trigger="every 20s"' in html


# --- The author's edit and delete --------------------------------------------------


def test_author_edits_on_the_edit_page(attendee, tip):
    url = reverse("contributions:edit", kwargs={"pk": tip.pk})
    client = client_for(attendee)

    form = client.get(url)
    response = client.post(url, {"kind": "idea", "text": "Better", "principles": ["benefit"]})

    tip.refresh_from_db()
    assert 'value="networks"' in form.content.decode()
    assert response["Location"] == tip.get_absolute_url()
    assert (tip.kind, tip.text) == ("idea", "Better")


def test_editing_with_bad_input_changes_nothing(attendee, tip):
    response = client_for(attendee).post(
        reverse("contributions:edit", kwargs={"pk": tip.pk}), {"kind": "tip", "text": ""}
    )

    tip.refresh_from_db()
    assert response.status_code == 200
    assert tip.text == "Start small and share what you learn."


def test_author_deletes_after_confirming(attendee, tip):
    url = reverse("contributions:delete", kwargs={"pk": tip.pk})
    client = client_for(attendee)

    confirm = client.get(url)
    response = client.post(url)

    assert "cannot be undone" in confirm.content.decode()
    assert response["Location"] == board_url(tip.session)
    assert not Contribution.objects.exists()


def test_the_author_sees_edit_and_delete_links_others_do_not(attendee, outsider, tip):
    mine = client_for(attendee).get(board_url(tip.session)).content.decode()
    theirs = client_for(outsider).get(board_url(tip.session)).content.decode()
    edit = reverse("contributions:edit", kwargs={"pk": tip.pk})

    assert edit in mine
    assert edit not in theirs


# --- Moderation -------------------------------------------------------------------


def test_moderator_hides_from_the_board_and_restores_from_the_hidden_list(moderator, tip):
    client = client_for(moderator)
    board = client.get(board_url(tip.session)).content.decode()

    client.post(reverse("contributions:hide", kwargs={"pk": tip.pk}))
    hidden_page = client.get(board_url(tip.session) + "hidden/")
    client.post(reverse("contributions:restore", kwargs={"pk": tip.pk}))

    tip.refresh_from_db()
    assert "Hide<span" in board
    assert "(to moderators" not in board  # the author is not anonymous
    assert [i.pk for i in hidden_page.context["items"]] == [tip.pk]
    assert "by Mo Moderator" in hidden_page.content.decode()
    assert tip.status == Contribution.Status.VISIBLE


def test_moderators_see_who_shared_anonymously(moderator, client, attendee, session):
    share(attendee, session, is_anonymous=True)

    public = client.get(board_url(session)).content.decode()
    moderated = client_for(moderator).get(board_url(session)).content.decode()

    assert "Ade Attendee" not in public
    assert "by Anonymous (to moderators: Ade Attendee)" in moderated


def test_event_board_offers_hide_only_on_the_moderators_sessions(moderator, attendee, tip):
    other = share(attendee, SessionFactory(event=tip.event, slug="other"), "Elsewhere")

    response = client_for(moderator).get(event_board_url(tip.event))

    items = {i.pk: i for i in response.context["items"]}
    assert (items[tip.pk].can_hide, items[other.pk].can_hide) == (True, False)


def test_organiser_may_hide_and_answer_everything_on_the_event_board(organiser, tip, question):
    response = client_for(organiser).get(event_board_url(tip.event))

    items = {i.pk: i for i in response.context["items"]}
    assert [(i.can_hide, i.can_answer) for i in (items[tip.pk], items[question.pk])] == [
        (True, False),
        (True, True),
    ]


# --- Questions and answers ---------------------------------------------------------


def questions_url(session) -> str:
    return reverse(
        "contributions:session_questions",
        kwargs={"event": session.event.slug, "session": session.slug},
    )


def test_questions_queue_lists_unanswered_questions_by_votes(host, attendee, session):
    quiet = share(attendee, session, "Quiet?", kind=Kind.QUESTION)
    popular = share(attendee, session, "Popular?", kind=Kind.QUESTION)
    answered = share(attendee, session, "Answered?", kind=Kind.QUESTION)
    share(attendee, session, "Not a question")
    services.contribution_vote_toggle(contribution=popular, user=UserFactory())
    services.question_answer_publish(question=answered, by=host, answer="Done.")

    response = client_for(host).get(questions_url(session))

    assert [q.pk for q in response.context["unanswered"]] == [popular.pk, quiet.pk]
    assert [q.pk for q in response.context["answered"]] == [answered.pk]


def test_host_drafts_then_publishes_and_the_session_page_shows_it(client, host, question):
    url = reverse("contributions:answer", kwargs={"pk": question.pk})
    hosting = client_for(host)

    hosting.post(url, {"answer": "Build it into **routines**.", "action": "draft"})
    before = client.get(question.session.get_absolute_url()).content.decode()
    response = hosting.post(url, {"answer": "Build it into **routines**.", "action": "publish"})
    after = client.get(question.session.get_absolute_url()).content.decode()

    assert response["Location"] == questions_url(question.session)
    assert "Questions we didn't have time for" not in before
    assert "Questions we didn't have time for" in after
    assert "How do we keep it going?" in after
    assert "<p>Build it into <strong>routines</strong>.</p>" in after


def test_published_answers_are_sanitised(client, host, question):
    services.question_answer_publish(
        question=question,
        by=host,
        answer='<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="y">',
    )

    html = client.get(question.session.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html


def test_unpublishing_takes_the_answer_off_the_session_page(client, host, question):
    services.question_answer_publish(question=question, by=host, answer="An answer.")

    client_for(host).post(
        reverse("contributions:answer", kwargs={"pk": question.pk}), {"action": "unpublish"}
    )

    question.refresh_from_db()
    assert (question.answer, question.is_answered) == ("An answer.", False)
    assert "An answer." not in client.get(question.session.get_absolute_url()).content.decode()


def test_an_empty_answer_is_refused_on_the_page(host, question):
    response = client_for(host).post(
        reverse("contributions:answer", kwargs={"pk": question.pk}),
        {"answer": "", "action": "publish"},
    )

    question.refresh_from_db()
    assert response.status_code == 200
    assert "Write the answer." in response.content.decode()
    assert not question.is_answered


def test_answering_a_hidden_question_is_refused(host, moderator, question):
    services.contribution_hide(contribution=question, by=moderator)

    response = client_for(host).get(reverse("contributions:answer", kwargs={"pk": question.pk}))

    assert response.status_code == 403


def test_session_page_links_the_board(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    assert f'<a href="{board_url(session)}">Share your top tips' in html


def test_event_page_links_the_event_board(client, event):
    html = client.get(event.get_absolute_url()).content.decode()

    assert f'<a href="{event_board_url(event)}">Top tips, ideas and questions</a>' in html


def test_organiser_answers_event_board_questions(organiser, attendee, event):
    question = services.contribution_create(
        author=attendee, event=event, kind=Kind.QUESTION, text="For the whole event?"
    )
    queue = client_for(organiser).get(
        reverse("contributions:event_questions", kwargs={"event": event.slug})
    )

    client_for(organiser).post(
        reverse("contributions:answer", kwargs={"pk": question.pk}), {"answer": "Yes."}
    )

    question.refresh_from_db()
    assert [q.pk for q in queue.context["unanswered"]] == [question.pk]
    assert question.is_answered
