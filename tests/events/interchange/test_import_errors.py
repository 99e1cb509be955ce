"""A file that cannot be imported changes nothing and says exactly what and where."""

import json

import pytest

from convene.events.interchange.checks import MAX_BYTES, ScheduleFileError
from convene.events.interchange.services import schedule_import
from convene.events.models import Host, Session, Track
from tests.events.interchange.conftest import (
    SAMPLE_DATES,
    SAMPLE_JSON,
    SAMPLE_XML,
    table_counts,
)
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

TALK = 'schedule.conference.days[0].rooms["Light Sea Green Room"][0]'
EVENT = 'line 25: <event guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd">'
CUT_OFF = "so it looks cut off. Export the schedule again and upload the whole file."


@pytest.fixture
def imported(db):
    """An event that already holds the sample, so a failed re-import could damage it."""
    event = EventFactory(slug="democon", **SAMPLE_DATES)
    schedule_import(by=None, event=event, data=SAMPLE_JSON.read_bytes(), filename="democon.json")
    return event


def _snapshot() -> tuple:
    return (
        table_counts(),
        list(Session.objects.order_by("pk").values_list("pk", "title", "start", "end", "track")),
        list(Host.objects.order_by("pk").values_list("pk", "guest_name", "bio", "position")),
        list(Track.objects.order_by("pk").values_list("pk", "name")),
    )


def _refused(event, data: bytes) -> list[str]:
    before = _snapshot()
    version = type(event).objects.get(pk=event.pk).programme_version

    with pytest.raises(ScheduleFileError) as error:
        schedule_import(by=None, event=event, data=data, filename="upload")

    assert _snapshot() == before
    assert type(event).objects.get(pk=event.pk).programme_version == version
    return error.value.problems


def _sample_with(change) -> bytes:
    document = json.loads(SAMPLE_JSON.read_bytes())
    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Light Sea Green Room"][0]
    change(document, talk)
    return json.dumps(document).encode()


def test_schedule_import_of_truncated_json_says_it_is_cut_off(imported):
    problems = _refused(imported, SAMPLE_JSON.read_bytes()[:1000])

    assert problems == [
        f"The file ends too early (line 1, column 995: Unterminated string starting at), {CUT_OFF}"
    ]


def test_schedule_import_of_json_cut_at_the_last_bracket_says_it_is_cut_off(imported):
    problems = _refused(imported, SAMPLE_JSON.read_bytes()[:-3])

    assert problems == [
        f"The file ends too early (line 1, column 57463: Expecting ',' delimiter), {CUT_OFF}"
    ]


def test_schedule_import_of_truncated_xml_says_it_is_cut_off(imported):
    problems = _refused(imported, SAMPLE_XML.read_bytes()[:2000])

    assert problems == [f"The file ends too early (line 45, column 21: unclosed token), {CUT_OFF}"]


def test_schedule_import_of_xml_cut_inside_cdata_says_it_is_cut_off(imported):
    problems = _refused(imported, b"<schedule><![CDATA[abc")

    assert problems == [
        f"The file ends too early (line 1, column 23: unclosed CDATA section), {CUT_OFF}"
    ]


def test_schedule_import_of_invalid_json_gives_line_and_column(imported):
    problems = _refused(imported, b'{"schedule": {"conference": [}}')

    assert problems == ["The file is not valid JSON (line 1, column 30: Expecting value)."]


def test_schedule_import_of_xml_that_is_not_well_formed_gives_line_and_column(imported):
    problems = _refused(imported, b"<schedule>\n<day></schedule>")

    assert problems == ["The file is not well-formed XML (line 2, column 8: mismatched tag)."]


def test_schedule_import_with_an_invalid_date_names_the_json_path(imported):
    data = _sample_with(lambda doc, talk: talk.update(date="2026-11-31T09:00:00+01:00"))

    problems = _refused(imported, data)

    assert problems == [
        f'{TALK}.date: "2026-11-31T09:00:00+01:00" is not a date and time '
        "(like 2026-11-25T09:00:00+01:00)"
    ]


def test_schedule_import_with_an_invalid_date_names_the_xml_line(imported):
    data = SAMPLE_XML.read_bytes().replace(
        b"<date>2026-11-25T09:00:00+01:00</date>", b"<date>yesterday</date>", 1
    )

    problems = _refused(imported, data)

    assert problems == [
        'line 30: <date> in <event guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd">: '
        '"yesterday" is not a date and time (like 2026-11-25T09:00:00+01:00)'
    ]


def test_schedule_import_with_a_missing_xml_element_names_the_event(imported):
    data = SAMPLE_XML.read_bytes().replace(b"<date>2026-11-25T09:00:00+01:00</date>", b"", 1)

    assert _refused(imported, data) == [f"{EVENT}: missing <date>"]


def test_schedule_import_with_a_missing_json_field_names_its_path(imported):
    data = _sample_with(lambda doc, talk: talk.pop("duration"))

    assert _refused(imported, data) == [f"{TALK}.duration: missing"]


def test_schedule_import_with_wrong_types_lists_each(imported):
    def change(document, talk):
        talk.update(title=42, persons="Paula Moreno", duration=None)
        document["schedule"]["conference"]["days"][1]["rooms"] = ["not", "an", "object"]

    problems = _refused(imported, _sample_with(change))

    assert problems == [
        f"{TALK}.title: expected text, found a number",
        f"{TALK}.duration: expected text, found null",
        f"{TALK}.persons: expected a list, found text",
        "schedule.conference.days[1].rooms: expected an object, found a list",
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d, t: t.update(duration="half an hour"),
         '.duration: "half an hour" is not a duration (like 00:30)'),
        (lambda d, t: t.update(duration="00:00"), ".duration: must be longer than zero"),
        (lambda d, t: t.update(title="   "), ".title: is empty"),
        (lambda d, t: t.update(title="x" * 251), ".title: is 251 characters long; the most is 250"),
        (lambda d, t: t.update(date="2026-11-25", start="9 o'clock"),
         ".start: \"9 o'clock\" is not a time of day (like 09:30)"),
        (lambda d, t: t.update(date="2026-11-25", start=None), ".start: expected text, found null"),
        (lambda d, t: t["persons"][0].update(name=""), ".persons[0].name: is empty"),
        (lambda d, t: t["persons"].append(["Not", "a", "person"]),
         ".persons[1]: expected an object, found a list"),
    ],
)  # fmt: skip
def test_schedule_import_refuses_a_bad_talk_value(imported, change, problem):
    assert _refused(imported, _sample_with(change)) == [TALK + problem]


def test_schedule_import_refuses_a_guid_used_twice(imported):
    def change(document, talk):
        document["schedule"]["conference"]["days"][0]["rooms"]["Dim Gray Room"][0]["guid"] = talk[
            "guid"
        ]

    problems = _refused(imported, _sample_with(change))

    assert problems == [
        'schedule.conference.days[0].rooms["Dim Gray Room"][0].guid: guid '
        f"43fa88ef-5527-5621-a2b2-3de372eb6dbd is also used at {TALK}"
    ]


def test_schedule_import_refuses_an_unknown_time_zone(imported):
    def change(document, talk):
        document["schedule"]["conference"]["time_zone_name"] = "Mars/Olympus"

    assert _refused(imported, _sample_with(change)) == [
        'schedule.conference.time_zone_name: "Mars/Olympus" is not a time zone name '
        "(like Europe/London)"
    ]


def test_schedule_import_refuses_an_empty_room_name(imported):
    def change(document, talk):
        document["schedule"]["conference"]["rooms"][0]["name"] = ""

    assert _refused(imported, _sample_with(change)) == [
        "schedule.conference.rooms[0].name: is empty"
    ]


def test_schedule_import_lists_twenty_problems_and_counts_the_rest(imported):
    document = {"schedule": {"conference": {"days": [{"rooms": {"A": [{}] * 10}}]}}}

    problems = _refused(imported, json.dumps(document).encode())

    assert problems[:3] == [
        'schedule.conference.days[0].rooms["A"][0].title: missing',
        'schedule.conference.days[0].rooms["A"][0].date: missing',
        'schedule.conference.days[0].rooms["A"][0].duration: missing',
    ]
    assert len(problems) == 21
    assert problems[-1] == "… and 10 more problems."


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"schedule": []}, "schedule: expected an object, found a list"),
        ({"schedule": {}}, "schedule.conference: missing"),
        ({"schedule": {"conference": {}}}, "schedule.conference.days: missing"),
        ({"schedule": {"conference": {"days": {}}}},
         "schedule.conference.days: expected a list, found an object"),
        ({"schedule": {"conference": {"days": [3]}}},
         "schedule.conference.days[0]: expected an object, found a number"),
        ({"schedule": {"conference": {"days": [{"rooms": {"A": "talk"}}]}}},
         'schedule.conference.days[0].rooms["A"]: expected a list, found text'),
        ({"schedule": {"conference": {"days": [{"rooms": {"A": [True]}}]}}},
         'schedule.conference.days[0].rooms["A"][0]: expected an object, found true/false'),
        ({"schedule": {"conference": {"rooms": {}, "days": []}}},
         "schedule.conference.rooms: expected a list, found an object"),
        ({"schedule": {"conference": {"rooms": ["A"], "days": []}}},
         "schedule.conference.rooms[0]: expected an object, found text"),
    ],
)  # fmt: skip
def test_schedule_import_refuses_json_of_the_wrong_shape(imported, document, problem):
    assert _refused(imported, json.dumps(document).encode()) == [problem]


def test_schedule_import_refuses_json_that_is_not_a_schedule(imported):
    assert _refused(imported, b'{"events": []}') == [
        'The file is JSON but not a schedule: a pretalx or frab schedule.json has "schedule" '
        "at the top."
    ]


def test_schedule_import_refuses_an_xml_bomb_without_expanding_it(imported):
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<schedule><version>&lol3;</version></schedule>
"""

    assert _refused(imported, bomb) == [
        "line 3: the file declares the entity “lol”. Files that declare entities are refused: "
        "they can be used to overload the server."
    ]


def test_schedule_import_refuses_an_external_entity(imported):
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"\n<schedule><version>&e;</version></schedule>"
    )

    assert _refused(imported, xxe) == [
        "line 2: the file declares the entity “e”. Files that declare entities are refused: "
        "they can be used to overload the server."
    ]


def test_schedule_import_refuses_an_external_dtd(imported):
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE schedule SYSTEM "http://127.0.0.1:9/x.dtd">\n<schedule/>'
    )

    assert _refused(imported, data) == [
        "line 2: the file refers to outside resources, which is refused."
    ]


def test_schedule_import_refuses_xml_that_is_not_a_schedule(imported):
    assert _refused(imported, b"<html><body/></html>") == [
        "line 1: <html>: a frab XML schedule starts with <schedule>"
    ]


def test_schedule_import_refuses_an_xml_room_without_a_name(imported):
    data = b"<schedule>\n<day>\n<room guid='x'></room>\n</day>\n</schedule>"

    assert _refused(imported, data) == ['line 3: <room>: missing name="…"']


@pytest.mark.parametrize("data", [b"", b"  \r\n\t", b"\xef\xbb\xbf"])
def test_schedule_import_of_an_empty_file_says_so(imported, data):
    assert _refused(imported, data) == ["The file is empty."]


def test_schedule_import_of_a_too_large_file_says_so(imported):
    data = b"{" + b" " * (6 * 1024 * 1024 - 1)

    assert _refused(imported, data) == [
        "The file is 6.0 MB; schedule files of up to 5 MB can be imported."
    ]
    assert MAX_BYTES == 5 * 1024 * 1024


@pytest.mark.parametrize("data", [b"Date,Start,End\n", b"[1, 2]", b"\xff\xfe{\x00"])
def test_schedule_import_of_another_kind_of_file_says_what_to_choose(imported, data):
    assert _refused(imported, data) == [
        "This is not a schedule file Convene can read: choose the JSON or XML schedule "
        "exported by pretalx or frab (it starts with { or <)."
    ]


def test_schedule_import_of_json_that_is_not_utf8_says_so(imported):
    assert _refused(imported, b'{"schedule": "caf\xe9"}') == [
        "The file is not UTF-8 text: byte 18 cannot be read."
    ]


def test_schedule_import_of_json_nested_too_deeply_says_so(imported):
    data = b'{"schedule": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    assert _refused(imported, data) == [
        "The file is not a usable JSON schedule: it is nested too deeply."
    ]


def test_schedule_import_of_json_with_a_huge_number_says_so(imported):
    data = b'{"schedule": ' + b"9" * 5000 + b"}"

    assert _refused(imported, data) == [
        "The file is not a usable JSON schedule: it holds a number too long to read."
    ]


def test_schedule_import_strips_control_characters_postgresql_would_refuse(imported):
    data = _sample_with(lambda doc, talk: talk.update(title="Null\u0000 byte\u0007"))

    schedule_import(by=None, event=imported, data=data, filename="upload")

    assert imported.sessions.get(source_guid="43fa88ef-5527-5621-a2b2-3de372eb6dbd").title == (
        "Null byte"
    )
