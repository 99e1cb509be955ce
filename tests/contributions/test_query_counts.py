"""Boards and lists run a fixed number of queries whatever their length (no N+1),
and a board of 2,000 contributions stays one page of 50 and fast."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.contributions import selectors, services
from convene.contributions.models import Contribution, Vote
from convene.spread.models import Principle
from tests.conftest import client_for
from tests.contributions.conftest import Kind
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fill(session, count: int, voters) -> None:
    """`count` contributions, each with two principles and a vote from each voter."""
    rows = Contribution.objects.bulk_create(
        Contribution(
            event=session.event,
            session=session,
            author=voters[n % len(voters)],
            kind=[Kind.TIP, Kind.IDEA, Kind.QUESTION][n % 3],
            text=f"Contribution {n}",
            is_anonymous=n % 5 == 0,
        )
        for n in range(count)
    )
    principles = list(Principle.objects.all()[:2])
    through = Contribution.principles.through
    through.objects.bulk_create(
        through(contribution_id=c.pk, principle_id=p.pk) for c in rows for p in principles
    )
    Vote.objects.bulk_create(Vote(contribution=c, user=v) for c in rows for v in voters)


def _queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _board(session) -> str:
    return reverse(
        "contributions:session_board",
        kwargs={"event": session.event.slug, "session": session.slug},
    )


@pytest.mark.parametrize("who", ["anonymous", "moderator", "attendee"])
def test_session_board_query_count_does_not_grow(client, event, moderator, attendee, who):
    small, large = SessionFactory(event=event), SessionFactory(event=event)
    voters = [UserFactory(), UserFactory()]
    _fill(small, 1, voters)
    _fill(large, 3, voters)
    if who == "moderator":
        from tests.factories import HostFactory

        for s in (small, large):
            HostFactory(session=s, user=moderator, guest_name="", role="moderator")
    viewer = (
        client if who == "anonymous" else client_for(moderator if who == "moderator" else attendee)
    )

    counts = [_queries(viewer, _board(s))[0] for s in (small, large)]

    assert counts[0] == counts[1]


def test_event_board_and_principle_page_query_counts_do_not_grow(client, event):
    voters = [UserFactory()]
    first = SessionFactory(event=event)
    _fill(first, 1, voters)
    board = reverse("contributions:event_board", kwargs={"event": event.slug})
    principle = Principle.objects.first().get_absolute_url()
    before = [_queries(client, board)[0], _queries(client, principle)[0]]

    _fill(SessionFactory(event=event), 3, voters)
    after = [_queries(client, board)[0], _queries(client, principle)[0]]

    assert before == after


def test_questions_queue_query_count_does_not_grow(event, host, session):
    client = client_for(host)
    url = reverse(
        "contributions:session_questions", kwargs={"event": event.slug, "session": session.slug}
    )
    asker = UserFactory()

    def ask(count: int) -> None:  # `count` waiting and `count` answered
        for n in range(count * 2):
            q = services.contribution_create(
                author=asker, event=event, session=session, kind=Kind.QUESTION, text=f"Q{n}?"
            )
            if n % 2:
                services.question_answer_publish(question=q, by=host, answer="A.")

    ask(1)
    before = _queries(client, url)[0]
    ask(2)

    assert _queries(client, url)[0] == before


def test_board_of_two_thousand_is_one_page_of_fifty_in_the_same_queries(event, attendee):
    small, huge = SessionFactory(event=event), SessionFactory(event=event)
    voters = [UserFactory() for _ in range(3)]
    _fill(small, 1, voters)
    _fill(huge, 2000, voters)
    client = client_for(attendee)
    expected, _ = _queries(client, _board(small))

    started = time.perf_counter()
    count, response = _queries(client, _board(huge))
    elapsed = time.perf_counter() - started
    last_count, last = _queries(client, _board(huge) + "?page=40&sort=newest")

    assert selectors.PAGE_SIZE == 50
    assert (count, last_count) == (expected, expected)
    assert len(response.context["items"]) == 50
    assert response.context["page"].paginator.count == 2000
    assert response.context["page"].paginator.num_pages == 40
    assert [i.text for i in last.context["items"]][-1] == "Contribution 0"
    assert all(i.vote_count == 3 for i in response.context["items"])
    assert elapsed < 2.0, f"the board took {elapsed:.2f}s"


def test_export_of_two_thousand_is_a_fixed_number_of_queries(event, django_assert_num_queries):
    from convene.contributions import exports
    from convene.contributions.selectors import Board

    session = SessionFactory(event=event)
    _fill(session, 2000, [UserFactory()])

    with django_assert_num_queries(2):  # contributions with counts and authors; principles
        rows = exports.board_rows(Board(event=event, session=session))

    assert len(rows) == 2000
