"""The schedule as plain data: one read of the database, shared by every export.

pretalx's "export split into data and response": `schedule_data` builds these
dataclasses in a fixed number of queries; `serialisers.py` turns them into
JSON, XML or CSV without touching the database again.

Rooms and tracks are apart (docs/decisions/0015): a room is where a session
runs, a track its theme. frab consumers place every talk in a room; sessions
without a room go in one named after the event's format ("Online", "Hybrid",
"On social media").
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify

from convene.core.links import absolute_url
from convene.core.timeutil import in_zone
from convene.events.models import Event, Host, Session

# Fixed namespace for the name-based (uuid5) guids of rooms and people, which
# have no uuid of their own: the same row always gets the same guid.
GUID_NAMESPACE = uuid.UUID("6f1c3c2e-9a47-4d55-8f0e-4c1b2a7d9e10")

# NHS.UK colour palette, given to tracks in turn (frab consumers colour by track).
TRACK_COLOURS = ("#005eb8", "#007f3b", "#330072", "#ffb81c", "#d5281b", "#00a499", "#7c2855")


@dataclass(frozen=True)
class Person:
    guid: str
    code: str
    id: int
    name: str
    role: str
    biography: str
    url: str


@dataclass(frozen=True)
class Talk:
    guid: str
    id: int
    slug: str
    title: str
    kind: str
    type: str
    status: str
    start: datetime  # in the event's zone
    end: datetime  # in the event's zone
    room: str
    track: str | None
    do_not_record: bool
    summary: str
    description: str
    url: str
    join_provider: str
    # Convene's join address (attendance checks who and when), never the raw link.
    join_address: str
    hashtags: str
    persons: list[Person]

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Room:
    name: str
    slug: str
    guid: str


@dataclass(frozen=True)
class TrackEntry:
    name: str
    slug: str
    colour: str


@dataclass
class DayRoom:
    room: Room
    talks: list[Talk] = field(default_factory=list)


@dataclass
class Day:
    index: int
    date: date
    start: datetime
    end: datetime
    rooms: list[DayRoom] = field(default_factory=list)


@dataclass
class ScheduleData:
    acronym: str
    title: str
    start: date
    end: date
    time_zone: str
    version: str
    url: str
    base_url: str
    rooms: list[Room]
    tracks: list[TrackEntry]
    days: list[Day]

    @property
    def days_count(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def talks(self) -> list[Talk]:
        return [talk for day in self.days for room in day.rooms for talk in room.talks]


def _person(host: Host, event: Event, people_url: str) -> Person:
    if host.user_id:
        key = f"user:{host.user_id}"
    else:
        key = f"guest:{event.pk}:{host.guest_name.casefold()}"
    guid = uuid.uuid5(GUID_NAMESPACE, key)
    return Person(
        guid=str(guid),
        code=guid.hex[:6].upper(),
        id=host.pk,
        name=host.display_name,
        role=host.get_role_display(),
        biography=host.bio,
        url=people_url,
    )


def _rooms(event: Event, sessions: list[Session]) -> list[Room]:
    rooms = [
        Room(
            name=room.name,
            slug=f"{room.pk}-{slugify(room.name)}",
            guid=str(uuid.uuid5(GUID_NAMESPACE, f"room:{room.pk}")),
        )
        for room in event.rooms.all()
    ]
    name = event.get_format_display()
    roomless = any(session.room_id is None for session in sessions)
    # A room named like the format ("Online") already is that room.
    if roomless and name not in {room.name for room in rooms}:
        rooms.append(
            Room(
                name=name,
                slug=event.format,
                guid=str(uuid.uuid5(GUID_NAMESPACE, f"event:{event.pk}:room:{event.format}")),
            )
        )
    return rooms


def _tracks(event: Event) -> list[TrackEntry]:
    return [
        TrackEntry(
            name=track.name,
            slug=f"{track.pk}-{slugify(track.name)}",
            colour=TRACK_COLOURS[index % len(TRACK_COLOURS)],
        )
        for index, track in enumerate(event.tracks.all())
    ]


def schedule_data(*, event: Event, include_cancelled: bool = False) -> ScheduleData:
    """The programme of `event` grouped by day (in the event's zone) and room.

    Public exports leave cancelled sessions out (pretalx has no cancelled
    state, so frab consumers would show them as happening); the organisers'
    CSV keeps them. Breaks stay in, with type "Break". A session's type is the
    one its file named ("Talk"), else its kind's label. Four queries: rooms,
    tracks, sessions, hosts.
    """
    zone = event.tz
    sessions = list(
        event.sessions.select_related("room", "track")
        .prefetch_related(Prefetch("hosts", queryset=Host.objects.select_related("user")))
        .order_by("start", "room__position", "track__position", "title")
    )
    if not include_cancelled:
        sessions = [s for s in sessions if not s.is_cancelled]
    rooms = _rooms(event, sessions)
    room_by_name = {room.name: room for room in rooms}
    format_room = room_by_name.get(event.get_format_display())

    # Only days that have sessions: a row with a wild date (stored before
    # docs/decisions/0012) adds one day, not every day between it and the event.
    local_dates = sorted({in_zone(s.start, zone).date() for s in sessions})
    days = []
    for index, day in enumerate(local_dates, start=1):
        start = datetime.combine(day, datetime.min.time(), zone)
        days.append(
            Day(
                index=index,
                date=day,
                start=start,
                end=start.replace(hour=23, minute=59),
                rooms=[DayRoom(room=room) for room in rooms],
            )
        )

    day_by_date = {day.date: day for day in days}
    people_url = absolute_url(reverse("events:people", kwargs={"event": event.slug}))
    for session in sessions:
        start, end = in_zone(session.start, zone), in_zone(session.end, zone)
        room = room_by_name[session.room.name] if session.room_id else format_room
        day = day_by_date[start.date()]
        day_room = next(r for r in day.rooms if r.room is room)
        day_room.talks.append(
            Talk(
                guid=str(session.uid),
                id=session.pk,
                slug=session.slug,
                title=session.title,
                kind=session.kind,
                type=session.type_name or session.get_kind_display(),
                status=session.status,
                start=start,
                end=end,
                room=room.name,
                track=session.track.name if session.track_id else None,
                do_not_record=session.do_not_record,
                summary=session.summary,
                description=session.description,
                url=absolute_url(
                    reverse("events:session", kwargs={"event": event.slug, "session": session.slug})
                ),
                join_provider=session.join_provider,
                join_address=absolute_url(
                    reverse("attendance:join", kwargs={"session": session.pk})
                )
                if session.join_url
                else "",
                hashtags=session.hashtags,
                persons=[_person(host, event, people_url) for host in session.hosts.all()],
            )
        )
    for day in days:
        day.rooms = [room for room in day.rooms if room.talks]

    return ScheduleData(
        acronym=event.slug,
        title=event.title,
        start=event.start_date,
        end=event.end_date,
        time_zone=event.time_zone,
        version=str(event.programme_version),
        url=absolute_url(reverse("events:programme", kwargs={"event": event.slug})),
        base_url=absolute_url(""),
        rooms=rooms,
        tracks=_tracks(event),
        days=days,
    )
