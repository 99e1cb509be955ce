"""What both schedule readers share: the checked result, problems, and the checks.

The format readers (reader_json.py, reader_xml.py) only walk their format's
structure; they hand each talk over as a `RawTalk` (raw values plus where they
were found), and `TalkChecker` here checks and converts them the same way for
both, in the order of the file. Every problem names where it is, so
`ScheduleFileError` can list them all.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.utils.text import slugify

from convene.core import timezones
from convene.events.dates import SessionWindow, event_dates_errors
from convene.events.models import Event, Host, Room, Session, Track

MAX_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 20
TIME_ZONES = frozenset(available_timezones())

_field = Session._meta.get_field
TITLE_MAX = _field("title").max_length
SLUG_MAX = _field("slug").max_length
SUMMARY_MAX = _field("summary").max_length
GUID_MAX = _field("source_guid").max_length
TYPE_MAX = _field("type_name").max_length
ROOM_MAX = Room._meta.get_field("name").max_length
TRACK_MAX = Track._meta.get_field("name").max_length
NAME_MAX = Host._meta.get_field("guest_name").max_length
BIO_MAX = Host._meta.get_field("bio").max_length

# Characters no text field should hold (PostgreSQL refuses NUL outright).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DURATION = re.compile(r"(\d{1,3}):([0-5]\d)(?::([0-5]\d))?")
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def too_large(size: int) -> str:
    limit = MAX_BYTES // 1024 // 1024
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; "
        f"schedule files of up to {limit} MB can be imported."
    )


class ScheduleFileError(ValueError):
    """The file cannot be imported; `problems` says why, one message each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class Missing:
    """A value the file does not have at all (unlike JSON null)."""


MISSING = Missing()


@dataclass(frozen=True)
class RawValue:
    value: object
    where: str  # where the value is, for messages about it
    missing: str  # the whole message when the value is absent


@dataclass
class RawPerson:
    name: RawValue
    biography: RawValue | None  # None: the format has no biographies (frab XML)


@dataclass
class RawTalk:
    where: str
    room: str
    guid: RawValue
    slug: RawValue
    title: RawValue
    type: RawValue
    date: RawValue
    start: RawValue
    duration: RawValue
    abstract: RawValue
    description: RawValue
    track: RawValue
    do_not_record: RawValue  # JSON true/false, or XML <recording><optout> text
    persons: list[RawPerson]
    # What the reader found wrong with the list of persons itself (reported
    # after the talk's own fields, to keep the file's order).
    person_problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedPerson:
    name: str
    biography: str | None  # None: the file says nothing about it


@dataclass(frozen=True)
class ParsedTalk:
    guid: str  # "" when the file gives none
    slug: str
    title: str
    type_name: str  # the file's session type ("Talk"); "" when it gives none
    room: str
    track: str  # the theme ("" for none); not the room
    do_not_record: bool  # the speakers asked not to be recorded
    start: datetime  # UTC
    end: datetime  # UTC
    summary: str
    description: str
    persons: tuple[ParsedPerson, ...]


@dataclass
class ParsedSchedule:
    source_format: str
    time_zone: str
    rooms: list[str]
    talks: list[ParsedTalk]
    warnings: list[str] = field(default_factory=list)
    # The conference's tracks as the file lists them; talks may add more.
    listed_tracks: list[str] = field(default_factory=list)

    @property
    def tracks(self) -> list[str]:
        """Every track of the file, each once: the listed ones, then the talks' others."""
        named = (talk.track for talk in self.talks if talk.track)
        return list(dict.fromkeys([*self.listed_tracks, *named]))

    @property
    def type_names(self) -> list[str]:
        """The session types the file uses ("Talk", "Workshop"), each once, in file order."""
        return list(dict.fromkeys(talk.type_name for talk in self.talks if talk.type_name))


@dataclass(frozen=True)
class ParsedConference:
    """The conference block of a file: what a new event is made of (`--create`)."""

    title: str
    acronym: str  # "" when the file gives none
    start_date: date
    end_date: date
    time_zone: str  # "" when the file gives none

    @property
    def slug(self) -> str:
        """The event's slug: the acronym's (pretalx's own slug), else the title's."""
        return slugify(self.acronym or self.title)[:EVENT_SLUG_MAX].strip("-")


EVENT_TITLE_MAX = Event._meta.get_field("title").max_length
EVENT_SLUG_MAX = Event._meta.get_field("slug").max_length or 80


class Problems:
    """Collects what is wrong with a file, to report all of it at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.warnings: list[str] = []

    def add(self, where: str, reason: str) -> None:
        self.messages.append(f"{where}: {reason}")

    def add_message(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_PROBLEMS]
        rest = len(self.messages) - len(shown)
        if rest:
            shown.append(f"… and {rest} more problem{'s' if rest > 1 else ''}.")
        raise ScheduleFileError(shown)


def kind_name(value: object) -> str:
    """What a JSON value is, in words, for 'expected text, found …'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "text"


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value).strip()


def text(
    raw: RawValue, problems: Problems, *, required: bool = False, max_length: int | None = None
) -> str | None:
    """The raw value as checked text; None (and a problem) when it cannot be."""
    if raw.value is MISSING or (raw.value is None and not required):
        if required:
            problems.add_message(raw.missing)
            return None
        return ""
    if not isinstance(raw.value, str):
        problems.add(raw.where, f"expected text, found {kind_name(raw.value)}")
        return None
    value = clean_text(raw.value)
    if required and not value:
        problems.add(raw.where, "is empty")
        return None
    if max_length is not None and len(value) > max_length:
        problems.add(raw.where, f"is {len(value)} characters long; the most is {max_length}")
        return None
    return value


def room_name(raw: RawValue, problems: Problems) -> str | None:
    return text(raw, problems, required=True, max_length=ROOM_MAX)


def track_name(raw: RawValue, problems: Problems) -> str | None:
    """A track's name; "" for none (JSON null, an empty <track>)."""
    return text(raw, problems, max_length=TRACK_MAX)


def flag(raw: RawValue, problems: Problems) -> bool | None:
    """JSON true/false or XML "true"/"false"; absent or null is false."""
    if raw.value is MISSING or raw.value is None or isinstance(raw.value, bool):
        return raw.value is True
    if isinstance(raw.value, str) and raw.value.strip().casefold() in {"true", "false", ""}:
        return raw.value.strip().casefold() == "true"
    problems.add(raw.where, f"expected true or false, found {kind_name(raw.value)}")
    return None


def time_zone(raw: RawValue, problems: Problems, *, default: str) -> str:
    name = text(raw, problems)
    if not name:
        return default
    if name not in TIME_ZONES:
        problems.add(raw.where, f'"{name}" is not a time zone name (like Europe/London)')
        return default
    return name


def _day(raw: RawValue, problems: Problems) -> date | None:
    """An ISO day ("2026-11-25"), or the day of an ISO date and time."""
    value = text(raw, problems, required=True)
    if value is None:
        return None
    try:
        if _DATE_ONLY.fullmatch(value):
            return date.fromisoformat(value)
        return datetime.fromisoformat(value).date()
    except ValueError:
        problems.add(raw.where, f'"{value}" is not a day (like 2026-11-25)')
        return None


def conference_from_raw(
    *,
    title: RawValue,
    acronym: RawValue,
    start: RawValue,
    end: RawValue,
    zone: RawValue,
) -> ParsedConference:
    """Check a conference block's values for a new event; ScheduleFileError naming
    every problem when it cannot make one.

    The title and the first and last day are needed, and the days must make an event
    (events/dates.py); the acronym and the time zone may be missing."""
    problems = Problems()
    checked_title = text(title, problems, required=True, max_length=EVENT_TITLE_MAX)
    checked_acronym = text(acronym, problems) or ""
    first, last = _day(start, problems), _day(end, problems)
    name = text(zone, problems) or ""
    if name and timezones.canonical(name) is None:
        problems.add(zone.where, f'"{name}" is not a time zone name (like Europe/London)')
    for key, message in event_dates_errors(first, last).items():
        problems.add((start if key == "start_date" else end).where, message)
    problems.raise_if_any()
    if not checked_title or first is None or last is None:  # each left a problem
        raise ScheduleFileError(problems.messages)
    return ParsedConference(
        title=checked_title,
        acronym=checked_acronym,
        start_date=first,
        end_date=last,
        time_zone=(timezones.canonical(name) or "") if name else "",
    )


def _truncated(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _start(
    raw: RawTalk, zone: ZoneInfo, window: SessionWindow, problems: Problems
) -> datetime | None:
    """The talk's start in UTC, from its ISO date (with offset, or in `zone`), within `window`."""
    value = text(raw.date, problems, required=True)
    if value is None:
        return None
    example = "like 2026-11-25T09:00:00+01:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.add(raw.date.where, f'"{value}" is not a date and time ({example})')
        return None
    if _DATE_ONLY.fullmatch(value):
        # Only a day: the clock time comes from <start>.
        clock = text(raw.start, problems, required=True)
        if clock is None:
            return None
        match = _CLOCK.fullmatch(clock)
        if not match:
            problems.add(raw.start.where, f'"{clock}" is not a time of day (like 09:30)')
            return None
        moment = datetime.combine(moment.date(), time(int(match[1]), int(match[2])))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01 with a positive offset is in year 0 in UTC
        moment = None
    if moment is None or not window.allows_start(moment):
        problems.add(raw.date.where, f'"{value}" is outside the event\'s dates. {window.message}')
        return None
    return moment


def _duration(raw: RawTalk, problems: Problems) -> timedelta | None:
    value = text(raw.duration, problems, required=True)
    if value is None:
        return None
    match = _DURATION.fullmatch(value)
    if not match:
        problems.add(raw.duration.where, f'"{value}" is not a duration (like 00:30)')
        return None
    duration = timedelta(hours=int(match[1]), minutes=int(match[2]), seconds=int(match[3] or 0))
    if duration <= timedelta(0):
        problems.add(raw.duration.where, "must be longer than zero")
        return None
    return duration


def _persons(raw: RawTalk, problems: Problems) -> tuple[ParsedPerson, ...]:
    persons: dict[str, ParsedPerson] = {}
    for person in raw.persons:
        name = text(person.name, problems, required=True, max_length=NAME_MAX)
        biography = None
        if person.biography is not None:
            biography = text(person.biography, problems)
            if biography is not None and len(biography) > BIO_MAX:
                problems.warnings.append(
                    f"{person.biography.where}: shortened to {BIO_MAX} characters"
                )
                biography = _truncated(biography, BIO_MAX)
        if name and name.casefold() not in persons:
            persons[name.casefold()] = ParsedPerson(name=name, biography=biography)
    return tuple(persons.values())


def talk_from_raw(
    raw: RawTalk, *, zone: ZoneInfo, window: SessionWindow, problems: Problems
) -> ParsedTalk | None:
    """Check and convert one talk; None when something is wrong (see `problems`)."""
    before = len(problems.messages)
    guid = text(raw.guid, problems, max_length=GUID_MAX)
    title = text(raw.title, problems, required=True, max_length=TITLE_MAX)
    slug = text(raw.slug, problems)
    type_name = text(raw.type, problems, max_length=TYPE_MAX)
    summary = text(raw.abstract, problems)
    description = text(raw.description, problems)
    track = track_name(raw.track, problems)
    do_not_record = flag(raw.do_not_record, problems)
    start = _start(raw, zone, window, problems)
    duration = _duration(raw, problems)
    # A start within the window is years from 9999, so adding a duration cannot overflow.
    if start is not None and duration is not None and not window.allows_end(start + duration):
        problems.add(
            raw.duration.where,
            f'"{raw.duration.value}" makes the session end after the event\'s dates. '
            f"{window.message}",
        )
    problems.messages += raw.person_problems
    persons = _persons(raw, problems)
    if len(problems.messages) > before or title is None or start is None or duration is None:
        return None
    if len(summary or "") > SUMMARY_MAX:
        problems.warnings.append(f"{raw.abstract.where}: shortened to {SUMMARY_MAX} characters")
        summary = _truncated(summary or "", SUMMARY_MAX)
    return ParsedTalk(
        guid=guid or "",
        slug=slugify(slug or title)[:SLUG_MAX].strip("-") or "session",
        title=title,
        type_name=type_name or "",
        room=raw.room,
        track=track or "",
        do_not_record=bool(do_not_record),
        start=start,
        end=start + duration,
        summary=summary or "",
        description=description or "",
        persons=persons,
    )


class TalkChecker:
    """Checks talks one by one as a reader walks the file, so problems come in file order."""

    def __init__(self, *, zone: ZoneInfo, window: SessionWindow, problems: Problems) -> None:
        self.zone, self.window, self.problems = zone, window, problems
        self.talks: list[ParsedTalk] = []
        self._first_seen: dict[str, str] = {}

    def add(self, raw: RawTalk) -> None:
        talk = talk_from_raw(raw, zone=self.zone, window=self.window, problems=self.problems)
        if talk is None:
            return
        if talk.guid in self._first_seen:
            self.problems.add(
                raw.guid.where, f"guid {talk.guid} is also used at {self._first_seen[talk.guid]}"
            )
            return
        if talk.guid:
            self._first_seen[talk.guid] = raw.where
        self.talks.append(talk)
