"""Reading frab / Pentabarf XML schedules (as pretalx and frab write them).

Parsed with defusedxml's SAX parser, never plain ElementTree or expat on an
upload: it refuses entity declarations (the "billion laughs" XML bomb and its
quadratic cousin) and external references (XXE). The handler builds a small
tree that remembers line numbers, so problems say where they are:
`line 12: <event guid="…">: missing <date>`.
"""

from dataclasses import dataclass, field
from typing import cast
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from zoneinfo import ZoneInfo

import defusedxml.sax
from defusedxml import DefusedXmlException, EntitiesForbidden

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
    room_name,
    time_zone,
    track_name,
)

FORMAT = "frab XML"
# What expat says when the document stops before it is complete.
_CUT_OFF = {"no element found", "unclosed token", "unclosed CDATA section"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list["Node"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> "Node | None":
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list["Node"]:
        return [child for child in self.children if child.tag == tag]

    def describe(self) -> str:
        """`<event guid="…">`: the tag with the attribute that identifies it, if any."""
        for attr in ("guid", "name", "id"):
            if attr in self.attrs:
                return f'<{self.tag} {attr}="{self.attrs[attr][:80]}">'
        return f"<{self.tag}>"


class _TreeBuilder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Node | None = None
        self._stack: list[Node] = []
        self._locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 - SAX API name
        self._locator = locator

    @property
    def line(self) -> int:
        return self._locator.getLineNumber() if self._locator else 0

    def startElement(self, name: str, attrs) -> None:  # noqa: N802 - SAX API name
        node = Node(tag=name, attrs=dict(attrs.items()), line=self.line)
        if self._stack:
            self._stack[-1].children.append(node)
        else:
            self.root = node
        self._stack.append(node)

    def endElement(self, name: str) -> None:  # noqa: N802 - SAX API name
        self._stack.pop()

    def characters(self, content: str) -> None:
        # expat reports text only inside the root element, so there is a parent.
        self._stack[-1].parts.append(content)


def _parse(data: bytes) -> Node:
    builder = _TreeBuilder()
    try:
        defusedxml.sax.parseString(
            data, builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except EntitiesForbidden as error:
        raise ScheduleFileError(
            [
                f"line {builder.line}: the file declares the entity “{error.name}”. Files that "
                "declare entities are refused: they can be used to overload the server."
            ]
        ) from None
    except DefusedXmlException:
        raise ScheduleFileError(
            [f"line {builder.line}: the file refers to outside resources, which is refused."]
        ) from None
    except SAXParseException as error:
        where = f"line {error.getLineNumber()}, column {error.getColumnNumber() + 1}"
        message = error.getMessage()
        if message in _CUT_OFF:
            raise ScheduleFileError(
                [
                    f"The file ends too early ({where}: {message}), so it looks cut off. "
                    "Export the schedule again and upload the whole file."
                ]
            ) from None
        raise ScheduleFileError(
            [f"The file is not well-formed XML ({where}: {message})."]
        ) from None
    # expat refuses a document without an element ("no element found"), so there is a root.
    return cast(Node, builder.root)


def _child(event: Node, tag: str) -> RawValue:
    node = event.find(tag)
    missing = f"line {event.line}: {event.describe()}: missing <{tag}>"
    if node is None:
        return RawValue(MISSING, "", missing)
    return RawValue(node.text, f"line {node.line}: <{tag}> in {event.describe()}", missing)


def _optout(event: Node) -> RawValue:
    """<recording><optout>true</optout></recording>; absent means recording is fine."""
    recording = event.find("recording")
    optout = recording.find("optout") if recording is not None else None
    if optout is None:
        return RawValue(MISSING, "", "")
    return RawValue(optout.text, f"line {optout.line}: <optout> in {event.describe()}", "")


def _talk(event: Node, room: str) -> RawTalk:
    persons = event.find("persons")
    return RawTalk(
        where=f"line {event.line}: {event.describe()}",
        room=room,
        guid=RawValue(
            event.attrs.get("guid", MISSING), f"line {event.line}: {event.describe()}", ""
        ),
        slug=_child(event, "slug"),
        title=_child(event, "title"),
        type=_child(event, "type"),
        date=_child(event, "date"),
        start=_child(event, "start"),
        duration=_child(event, "duration"),
        abstract=_child(event, "abstract"),
        description=_child(event, "description"),
        track=_child(event, "track"),
        do_not_record=_optout(event),
        persons=[
            RawPerson(
                name=RawValue(
                    person.text, f"line {person.line}: <person> in {event.describe()}", ""
                ),
                biography=None,  # frab XML has names only
            )
            for person in (persons.findall("person") if persons is not None else [])
        ],
    )


def _schedule(data: bytes) -> Node:
    root = _parse(data)
    if root.tag != "schedule":
        raise ScheduleFileError(
            [f"line {root.line}: {root.describe()}: a frab XML schedule starts with <schedule>"]
        )
    return root


NO_CONFERENCE = (
    "The file has no <conference> block, so it does not say which event it is: a new "
    "event needs the conference's title and its first and last day (<title>, <start> "
    "and <end>)."
)


def read_conference(data: bytes) -> ParsedConference:
    """The file's <conference> as a new event's title, acronym, days and zone."""
    root = _schedule(data)
    conference = root.find("conference")
    if conference is None:
        raise ScheduleFileError([NO_CONFERENCE])
    return conference_from_raw(
        title=_child(conference, "title"),
        acronym=_child(conference, "acronym"),
        start=_child(conference, "start"),
        end=_child(conference, "end"),
        zone=_child(conference, "time_zone_name"),
    )


def read(data: bytes, *, default_zone: str, window: SessionWindow) -> ParsedSchedule:
    root = _schedule(data)
    problems = Problems()
    zone = default_zone
    conference = root.find("conference")
    zone_node = conference.find("time_zone_name") if conference is not None else None
    if zone_node is not None:
        where = f"line {zone_node.line}: <time_zone_name>"
        zone = time_zone(RawValue(zone_node.text, where, ""), problems, default=default_zone)

    tracks: list[str] = []
    for track in conference.findall("track") if conference is not None else []:
        where = f"line {track.line}: {track.describe()}"
        name = track_name(RawValue(track.attrs.get("name", MISSING), where, ""), problems)
        if name and name not in tracks:
            tracks.append(name)

    rooms: list[str] = []
    checker = TalkChecker(zone=ZoneInfo(zone), window=window, problems=problems)
    for day in root.findall("day"):
        for room in day.findall("room"):
            name = room_name(
                RawValue(
                    room.attrs.get("name", MISSING),
                    f"line {room.line}: {room.describe()}",
                    f'line {room.line}: <room>: missing name="…"',
                ),
                problems,
            )
            if name is None:
                continue
            if name not in rooms:
                rooms.append(name)
            for event in room.findall("event"):
                checker.add(_talk(event, name))

    problems.raise_if_any()
    return ParsedSchedule(
        source_format=FORMAT,
        time_zone=zone,
        rooms=rooms,
        talks=checker.talks,
        warnings=problems.warnings,
        listed_tracks=tracks,
    )
