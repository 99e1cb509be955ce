"""Boards, their votes and exports, the session page's answered questions and the
principles' pages, cached whole for anonymous visitors: never stale
(core.response_cache; see tests/events/test_public_cache.py for the programme)."""

import pytest
from django.urls import reverse

from convene.accounts.services import user_erase, user_update_profile
from convene.contributions import services
from convene.spread import services as spread_services
from tests.asgi import get, site
from tests.contributions.conftest import principle, share
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def cached_twice(path: str) -> str:
    first = get(path)
    assert first.status == 200, first.text[:300]
    before = site()[1].hits
    second = get(path)
    assert site()[1].hits == before + 1, f"{path} was not served from the cache"
    assert second.body == first.body
    return second.text


def board_paths(session) -> list[str]:
    event, slug = session.event.slug, session.slug
    return [
        reverse("contributions:session_board", kwargs={"event": event, "session": slug}),
        reverse("contributions:event_board", kwargs={"event": event}),
        reverse("contributions:session_csv", kwargs={"event": event, "session": slug}),
        reverse("contributions:event_markdown", kwargs={"event": event}),
    ]


def test_a_new_contribution_and_a_vote_show_on_the_next_answer(attendee, session, tip):
    votes = reverse(
        "contributions:session_votes", kwargs={"event": session.event.slug, "session": "spread"}
    )
    votes = f"{votes}?ids={tip.pk}"
    for path in board_paths(session):
        assert "Keep a learning log" not in cached_twice(path)
    assert "0 votes" in cached_twice(votes)

    share(attendee, session, "Keep a learning log.")
    services.contribution_vote_toggle(contribution=tip, user=UserFactory())

    for path in board_paths(session):
        assert "Keep a learning log" in get(path).text
    assert "1 vote<" in get(votes).text


def test_hiding_a_contribution_takes_it_off_the_cached_board(moderator, session, tip):
    path = board_paths(session)[0]
    assert "Start small" in cached_twice(path)

    services.contribution_hide(contribution=tip, by=moderator)

    assert "Start small" not in get(path).text


def test_an_answer_published_shows_on_the_session_page_at_once(host, question, session):
    path = reverse("events:session", kwargs={"event": session.event.slug, "session": "spread"})
    assert "Questions we didn&#x27;t have time for" not in cached_twice(path)

    services.question_answer_publish(question=question, by=host, answer="Keep meeting monthly.")

    assert "Keep meeting monthly." in get(path).text


def test_an_authors_new_name_shows_on_the_board(attendee, session, tip):
    path = board_paths(session)[0]
    assert attendee.name in cached_twice(path)

    user_update_profile(user=attendee, name="Ada Renamed")

    assert "Ada Renamed" in get(path).text


def test_a_principles_page_follows_its_tags_votes_and_wording(attendee, organiser, session, tip):
    networks = principle("networks")
    path = reverse("spread:principle", kwargs={"principle": networks.slug})
    listing = reverse("spread:principles")
    assert "Start small" in cached_twice(path)
    assert "0 votes" in cached_twice(path)
    cached_twice(listing)

    services.contribution_vote_toggle(contribution=tip, user=UserFactory())
    assert "1 vote</p>" in get(path).text

    tagged = share(attendee, session, "Find your early adopters.", principles=[networks])
    assert tagged.text in get(path).text

    spread_services.principle_update(principle=networks, by=organiser, name="Networks renamed")
    assert "Networks renamed" in get(path).text
    assert "Networks renamed" in get(listing).text


def test_an_erased_authors_name_leaves_the_cached_board(attendee, session, tip):
    path, name = board_paths(session)[0], attendee.name
    assert name in cached_twice(path)

    user_erase(user=attendee)

    assert name not in get(path).text
