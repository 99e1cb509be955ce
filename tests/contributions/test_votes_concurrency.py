"""Votes under concurrency: real threads, each with its own database connection,
on the suite's database (a SQLite file, or PostgreSQL). A person's concurrent
votes never double count, and every count equals the rows."""

import threading

import pytest
from django.db import connection, connections

from convene.contributions import selectors, services
from convene.contributions.models import Vote
from tests.contributions.conftest import share
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(count: int, work) -> list:
    """Run work(i) in `count` threads released together; re-raise any error."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def _counted(contribution) -> int:
    board = selectors.board(event=contribution.event, session=contribution.session)
    return board.get(pk=contribution.pk).vote_count


def test_one_person_clicking_vote_in_many_tabs_at_once_votes_once(attendee, outsider, session):
    tip = share(attendee, session)

    results = _at_once(
        8, lambda i: services.contribution_vote_toggle(contribution=tip, user=outsider, on=True)
    )

    assert {voted for voted, _ in results} == {True}
    assert {count for _, count in results} == {1}
    assert Vote.objects.filter(contribution=tip).count() == 1 == _counted(tip)


def test_one_persons_concurrent_toggles_end_in_the_parity_of_the_clicks(
    attendee, outsider, session
):
    tip = share(attendee, session)
    threads, toggles_each = 6, 5  # 30 toggles: even, so no vote at the end

    def toggle_many(i: int) -> list[tuple[bool, int]]:
        return [
            services.contribution_vote_toggle(contribution=tip, user=outsider)
            for _ in range(toggles_each)
        ]

    results = [r for batch in _at_once(threads, toggle_many) for r in batch]

    assert Vote.objects.filter(contribution=tip).count() == 0 == _counted(tip)
    assert {count for _, count in results} <= {0, 1}  # never 2: no double count
    # Serialised: each toggle saw the one before it, so "on" and "off" alternate.
    assert sum(1 for voted, _ in results if voted) == threads * toggles_each // 2


def test_many_people_voting_at_once_are_all_counted(attendee, session):
    tip = share(attendee, session)
    people = [UserFactory() for _ in range(10)]

    _at_once(
        len(people),
        lambda i: services.contribution_vote_toggle(contribution=tip, user=people[i]),
    )

    assert Vote.objects.filter(contribution=tip).count() == 10 == _counted(tip)


def test_the_suite_runs_these_on_a_shared_database(db):
    # The thread tests need a real database file (or server): not SQLite's memory.
    if connection.vendor == "sqlite":
        assert connection.settings_dict["NAME"] != ":memory:"
        assert "mode=memory" not in str(connection.settings_dict["NAME"])
