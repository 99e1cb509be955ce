"""A schedule file's session types become session kinds through a kind map."""

import json

import pytest

from convene.events.dates import session_window
from convene.events.interchange.kinds import default_kind_map
from convene.events.interchange.reader import read_schedule
from convene.events.interchange.services import Tally, schedule_import
from convene.events.models import Session
from tests.events.interchange.conftest import SAMPLE_DATES, SAMPLE_JSON, SAMPLE_XML
from tests.factories import EventFactory

Kind = Session.Kind


def test_default_kind_map_gives_each_type_name_the_closest_kind():
    names = [
        "Talk", "Lecture", "Keynote", "Lightning talk", "Workshop", "Hands-on tutorial",
        "Open Conversation", "open_conversation", "Panel discussion", "Tweet chat",
        "Award showcase", "Awards ceremony", "Break", "Coffee", "Plenary", "Something else",
    ]  # fmt: skip

    kinds = default_kind_map(names)

    assert kinds == {
        "Talk": Kind.PLENARY,
        "Lecture": Kind.PLENARY,
        "Keynote": Kind.PLENARY,
        "Lightning talk": Kind.PLENARY,
        "Workshop": Kind.WORKSHOP,
        "Hands-on tutorial": Kind.WORKSHOP,
        "Open Conversation": Kind.OPEN_CONVERSATION,
        "open_conversation": Kind.OPEN_CONVERSATION,
        "Panel discussion": Kind.OPEN_CONVERSATION,
        "Tweet chat": Kind.TWEET_CHAT,
        "Award showcase": Kind.AWARD_SHOWCASE,
        "Awards ceremony": Kind.AWARD_SHOWCASE,
        "Break": Kind.BREAK,
        "Coffee": Kind.BREAK,
        "Plenary": Kind.PLENARY,
        "Something else": Kind.OPEN_CONVERSATION,
    }
    assert list(kinds) == names


@pytest.mark.django_db
@pytest.mark.parametrize("path", [SAMPLE_JSON, SAMPLE_XML])
def test_parsed_sample_names_its_two_session_types(path):
    event = EventFactory(**SAMPLE_DATES)

    parsed = read_schedule(
        path.read_bytes(), default_zone=event.time_zone, window=session_window(event)
    )

    assert parsed.type_names == ["Talk", "Workshop"]
    assert default_kind_map(parsed.type_names) == {"Talk": "plenary", "Workshop": "workshop"}


def _kind_counts(event) -> dict[str, int]:
    kinds = list(event.sessions.values_list("kind", flat=True))
    return {kind: kinds.count(kind) for kind in sorted(set(kinds))}


@pytest.mark.django_db
def test_schedule_import_applies_a_custom_kind_map():
    event = EventFactory(**SAMPLE_DATES)

    report = schedule_import(
        by=None,
        event=event,
        data=SAMPLE_JSON.read_bytes(),
        filename=SAMPLE_JSON.name,
        kind_map={"Talk": "open_conversation", "Workshop": "tweet_chat"},
    )

    assert report.sessions == Tally(created=36)
    assert _kind_counts(event) == {"open_conversation": 27, "tweet_chat": 9}


@pytest.mark.django_db
def test_schedule_import_takes_the_default_for_types_a_kind_map_leaves_out():
    event = EventFactory(**SAMPLE_DATES)

    schedule_import(
        by=None,
        event=event,
        data=SAMPLE_XML.read_bytes(),
        filename=SAMPLE_XML.name,
        kind_map={"Workshop": "award_showcase", "Not in the file": "break"},
    )

    assert _kind_counts(event) == {"award_showcase": 9, "plenary": 27}


@pytest.mark.django_db
def test_schedule_import_again_with_another_kind_map_changes_the_kinds_only():
    event = EventFactory(**SAMPLE_DATES)
    schedule_import(by=None, event=event, data=SAMPLE_JSON.read_bytes(), filename=SAMPLE_JSON.name)
    sequences = list(event.sessions.values_list("sequence", flat=True))

    report = schedule_import(
        by=None,
        event=event,
        data=SAMPLE_JSON.read_bytes(),
        filename=SAMPLE_JSON.name,
        kind_map={"Talk": "open_conversation"},
    )

    assert report.sessions == Tally(updated=27, unchanged=9)
    assert _kind_counts(event) == {"open_conversation": 27, "workshop": 9}
    assert list(event.sessions.values_list("sequence", flat=True)) == sequences


@pytest.mark.django_db
def test_schedule_import_refuses_a_kind_map_to_no_kind_and_stores_nothing():
    event = EventFactory(**SAMPLE_DATES)

    with pytest.raises(ValueError, match='"lecture" \\(for the type "Talk"\\) is not a session'):
        schedule_import(
            by=None,
            event=event,
            data=SAMPLE_JSON.read_bytes(),
            filename=SAMPLE_JSON.name,
            kind_map={"Talk": "lecture"},
        )

    assert event.sessions.count() == 0


@pytest.mark.django_db
def test_schedule_import_of_a_talk_without_type_keeps_the_kind_of_the_session():
    event = EventFactory(**SAMPLE_DATES)
    schedule_import(by=None, event=event, data=SAMPLE_JSON.read_bytes(), filename=SAMPLE_JSON.name)
    document = json.loads(SAMPLE_JSON.read_bytes())
    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Light Sea Green Room"][0]
    talk["type"] = None
    event.sessions.filter(source_guid=talk["guid"]).update(kind=Kind.TWEET_CHAT)

    report = schedule_import(
        by=None, event=event, data=json.dumps(document).encode(), filename="x.json"
    )

    assert report.sessions == Tally(unchanged=36)
    assert event.sessions.get(source_guid=talk["guid"]).kind == Kind.TWEET_CHAT
