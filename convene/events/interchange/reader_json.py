"""Reading the frab-compatible JSON schedule (c3voc schema.json, as pretalx writes it).

Walks `schedule.conference` (time zone, rooms) and `days[].rooms{name: [talks]}`
and hands each talk to `checks.check_talks`. Problems are named by JSON path,
e.g. `schedule.conference.days[0].rooms["Room A"][3].date: missing`.
"""

import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

from convene.events.dates import SessionWindow
from convene.events.interchange.checks import (
    MISSING,
    ParsedConference,
    ParsedSchedule,
    Problems,
    RawPerson,
    RawTalk,
    RawValue,
    ScheduleFileError,
    TalkChecker,
    conference_from_raw,
    kind_name,
    room_name,
    time_zone,
    track_name,
)

FORMAT = "pretalx JSON"
_EXPECTED = {dict: "an object", list: "a list"}


def _load(data: bytes) -> object:
    try:
        document = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScheduleFileError(
            [f"The file is not UTF-8 text: byte {error.start + 1} cannot be read."]
        ) from None
    try:
        return json.loads(document)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        # Unterminated strings run to the end of the file: it was cut off there too.
        if error.pos >= len(document.rstrip()) or error.msg.startswith("Unterminated string"):
            raise ScheduleFileError(
                [
                    f"The file ends too early ({where}: {error.msg}), so it looks cut off. "
                    "Export the schedule again and upload the whole file."
                ]
            ) from None
        raise ScheduleFileError([f"The file is not valid JSON ({where}: {error.msg})."]) from None
    except RecursionError:
        raise ScheduleFileError(
            ["The file is not a usable JSON schedule: it is nested too deeply."]
        ) from None
    except ValueError:  # a number of thousands of digits, refused by int()
        raise ScheduleFileError(
            ["The file is not a usable JSON schedule: it holds a number too long to read."]
        ) from None


def _raw(obj: dict, key: str, path: str) -> RawValue:
    where = f"{path}.{key}"
    return RawValue(obj.get(key, MISSING), where, f"{where}: missing")


def _typed(value: object, expected: type, where: str, problems: Problems) -> object | None:
    if value is MISSING:
        problems.add(where, "missing")
        return None
    if not isinstance(value, expected):
        problems.add(where, f"expected {_EXPECTED[expected]}, found {kind_name(value)}")
        return None
    return value


def _member(obj: dict, key: str, path: str, expected: type, problems: Problems):
    return _typed(obj.get(key, MISSING), expected, f"{path}.{key}" if path else key, problems)


def _persons(talk: dict, path: str, problems: Problems) -> list[RawPerson]:
    """The talk's persons; what is wrong with the list itself goes to `problems`."""
    value = talk.get("persons")
    if value is None:
        return []
    persons = _typed(value, list, f"{path}.persons", problems) or []
    raw: list[RawPerson] = []
    for index, person in enumerate(persons):
        where = f"{path}.persons[{index}]"
        if _typed(person, dict, where, problems) is None:
            continue
        key = "name" if "name" in person or "public_name" not in person else "public_name"
        raw.append(
            RawPerson(
                name=_raw(person, key, where),
                biography=_raw(person, "biography", where) if "biography" in person else None,
            )
        )
    return raw


def _talk(talk: dict, path: str, room: str) -> RawTalk:
    person_problems = Problems()
    return RawTalk(
        where=path,
        room=room,
        guid=_raw(talk, "guid", path),
        slug=_raw(talk, "slug", path),
        title=_raw(talk, "title", path),
        type=_raw(talk, "type", path),
        date=_raw(talk, "date", path),
        start=_raw(talk, "start", path),
        duration=_raw(talk, "duration", path),
        abstract=_raw(talk, "abstract", path),
        description=_raw(talk, "description", path),
        track=_raw(talk, "track", path),
        do_not_record=_raw(talk, "do_not_record", path),
        persons=_persons(talk, path, person_problems),
        person_problems=person_problems.messages,
    )


def _named_list(
    conference: dict,
    key: str,
    path: str,
    checked_name: Callable[[RawValue, Problems], str | None],
    problems: Problems,
) -> list[str]:
    """The distinct names of the conference's `rooms` or `tracks` list, in file order."""
    names: list[str] = []
    if conference.get(key) is None:
        return names
    for index, item in enumerate(_member(conference, key, path, list, problems) or []):
        where = f"{path}.{key}[{index}]"
        if _typed(item, dict, where, problems) is not None:
            name = checked_name(_raw(item, "name", where), problems)
            if name and name not in names:
                names.append(name)
    return names


def _root(data: bytes) -> dict:
    root = _load(data)
    if not isinstance(root, dict) or "schedule" not in root:
        raise ScheduleFileError(
            [
                "The file is JSON but not a schedule: a pretalx or frab schedule.json has "
                '"schedule" at the top.'
            ]
        )
    return root


NO_CONFERENCE = (
    "The file has no conference block (schedule.conference), so it does not say which "
    "event it is: a new event needs the conference's title and its first and last day "
    "(title, start and end)."
)


def read_conference(data: bytes) -> ParsedConference:
    """The file's `schedule.conference` as a new event's title, acronym, days and zone."""
    schedule = _root(data)["schedule"]
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise ScheduleFileError([NO_CONFERENCE])
    path = "schedule.conference"
    return conference_from_raw(
        title=_raw(conference, "title", path),
        acronym=_raw(conference, "acronym", path),
        start=_raw(conference, "start", path),
        end=_raw(conference, "end", path),
        zone=_raw(conference, "time_zone_name", path),
    )


def read(data: bytes, *, default_zone: str, window: SessionWindow) -> ParsedSchedule:
    root = _root(data)
    problems = Problems()
    schedule = _member(root, "schedule", "", dict, problems)
    conference = None
    if schedule is not None:
        conference = _member(schedule, "conference", "schedule", dict, problems)
    if conference is None:
        raise ScheduleFileError(problems.messages)
    path = "schedule.conference"
    zone = time_zone(_raw(conference, "time_zone_name", path), problems, default=default_zone)

    rooms = _named_list(conference, "rooms", path, room_name, problems)
    tracks = _named_list(conference, "tracks", path, track_name, problems)

    checker = TalkChecker(zone=ZoneInfo(zone), window=window, problems=problems)
    for day_index, day in enumerate(_member(conference, "days", path, list, problems) or []):
        day_path = f"{path}.days[{day_index}]"
        if _typed(day, dict, day_path, problems) is None:
            continue
        for key, talks in (_member(day, "rooms", day_path, dict, problems) or {}).items():
            room_path = f"{day_path}.rooms[{json.dumps(key, ensure_ascii=False)}]"
            name = room_name(RawValue(key, room_path, ""), problems)
            if _typed(talks, list, room_path, problems) is None or name is None:
                continue
            if name not in rooms:
                rooms.append(name)
            for index, talk in enumerate(talks):
                talk_path = f"{room_path}[{index}]"
                if _typed(talk, dict, talk_path, problems) is not None:
                    checker.add(_talk(talk, talk_path, name))

    problems.raise_if_any()
    return ParsedSchedule(
        source_format=FORMAT,
        time_zone=zone,
        rooms=rooms,
        talks=checker.talks,
        warnings=problems.warnings,
        listed_tracks=tracks,
    )
