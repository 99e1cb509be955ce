from datetime import timedelta

import pytest

from convene.events.models import Session, split_hashtags
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_session_sequence_rises_when_a_calendar_field_changes():
    session = SessionFactory()

    session.start += timedelta(minutes=30)
    session.end += timedelta(minutes=30)
    session.save()
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status"])
    session.refresh_from_db()

    assert session.sequence == 2


def test_session_sequence_stays_when_nothing_calendar_visible_changes():
    session = SessionFactory()

    session.hashtags = "#NHSSpread"
    session.save()
    session.save()
    session.refresh_from_db()

    assert session.sequence == 0


def test_sessions_get_distinct_stable_uids():
    first, second = SessionFactory(), SessionFactory()
    uid = first.uid

    first.title = "Renamed"
    first.save()
    first.refresh_from_db()

    assert first.uid == uid
    assert first.uid != second.uid


@pytest.mark.parametrize(
    ("raw", "tags"),
    [
        ("#ImprovingTogether, SolvingTogether", ["#ImprovingTogether", "#SolvingTogether"]),
        ("#A #A a", ["#A", "#a"]),
        ("  ,, # ", []),
    ],
)
def test_split_hashtags(raw, tags):
    assert split_hashtags(raw) == tags
