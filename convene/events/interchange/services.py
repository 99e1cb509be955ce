"""Importing a schedule file (pretalx JSON or frab XML) into an event.

Rooms become rooms and tracks tracks (docs/decisions/0015), talks become
sessions, speakers become (guest) hosts; a talk's recording opt-out and type
name are kept.
Importing the same file again updates what it imported before instead of
adding copies: sessions are matched by the file's guid (kept in
`Session.source_guid`), then by our own uid (a Convene export imported back),
then by slug. What the file does not carry is left alone: sessions missing
from the file stay, hosts linked to an account stay, join links, hashtags and
statuses are untouched. Each session type of the file ("Talk") becomes a
kind through a kind map (interchange/kinds.py; the organiser may change it);
a talk without a type keeps the kind of a session imported before (new ones
become open conversations). A room named like the event's format ("Online") holds the
sessions without a room in our exports, so it creates no room.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from convene.accounts.models import User
from convene.core import audit
from convene.events.cache import programme_changed
from convene.events.dates import session_window
from convene.events.interchange.checks import (
    ParsedConference,
    ParsedPerson,
    ParsedSchedule,
    ParsedTalk,
)
from convene.events.interchange.kinds import default_kind_map, is_kind_name
from convene.events.interchange.reader import read_conference, read_schedule
from convene.events.models import Event, Host, Room, Session, Track
from convene.events.services import event_create

# Called with (sessions done, sessions in the file) as the import goes.
Progress = Callable[[int, int], None]

SESSION_FIELDS = (
    "title", "kind", "type_name", "summary", "description", "start", "end", "room_id",
    "track_id", "do_not_record",
)  # fmt: skip


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class ImportReport:
    filename: str
    source_format: str
    time_zone: str
    sessions: Tally = field(default_factory=Tally)
    rooms: Tally = field(default_factory=Tally)
    tracks: Tally = field(default_factory=Tally)
    hosts: Tally = field(default_factory=Tally)
    warnings: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        s, r, t, h = self.sessions, self.rooms, self.tracks, self.hosts
        return [
            f"Sessions: {s.created} created, {s.updated} updated, {s.unchanged} unchanged",
            f"Rooms: {r.created} created, {r.unchanged} unchanged",
            f"Tracks: {t.created} created, {t.unchanged} unchanged",
            f"Hosts: {h.created} created, {h.updated} updated, {h.unchanged} unchanged, "
            f"{h.removed} removed",
        ]


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug, number = f"{base[: 120 - len(suffix)]}{suffix}", number + 1
    taken.add(slug)
    return slug


class _Import:
    """One import run: plans the writes against the event's current rows, then makes them."""

    def __init__(
        self,
        event: Event,
        parsed: ParsedSchedule,
        report: ImportReport,
        kind_map: Mapping[str, str],
    ) -> None:
        self.event, self.parsed, self.report = event, parsed, report
        self.kind_map = kind_map
        self.now = timezone.now()
        self.sessions = list(
            event.sessions.prefetch_related(
                Prefetch("hosts", queryset=Host.objects.select_related("user"))
            )
        )
        self.by_guid = {s.source_guid: s for s in self.sessions if s.source_guid}
        self.by_uid = {str(s.uid): s for s in self.sessions}
        self.by_slug = {s.slug: s for s in self.sessions}
        self.taken_slugs = set(self.by_slug)
        self.matched: set[int] = set()
        self.new_sessions: list[Session] = []
        self.changed_sessions: list[Session] = []
        self.new_hosts: list[Host] = []
        self.changed_hosts: list[Host] = []
        self.removed_hosts: list[int] = []

    def rooms(self) -> dict[str, Room | None]:
        """Each room of the file → our room, creating the missing ones.

        The room named like the event's format ("Online") is where our exports put
        sessions without a room: it stays no room.
        """
        skip = self.event.get_format_display()
        return _named(
            Room, self.event.rooms, self.event, self.parsed.rooms, skip, self.report.rooms
        )

    def tracks(self) -> dict[str, Track | None]:
        """Each track of the file → our track, creating the missing ones."""
        return _named(
            Track, self.event.tracks, self.event, self.parsed.tracks, None, self.report.tracks
        )

    def kind(self, talk: ParsedTalk) -> str | None:
        """The kind the talk's type maps to; None when the file gives no type."""
        return self.kind_map[talk.type_name] if talk.type_name else None

    def match(self, talk: ParsedTalk) -> Session | None:
        candidates = []
        if talk.guid:
            candidates += [self.by_guid.get(talk.guid), self.by_uid.get(talk.guid)]
        by_slug = self.by_slug.get(talk.slug)
        if by_slug is not None and by_slug.source_guid in (None, talk.guid or None):
            candidates.append(by_slug)
        for session in candidates:
            if session is not None and session.pk not in self.matched:
                self.matched.add(session.pk)
                return session
        return None

    def type_name(self, talk: ParsedTalk, kind: str) -> str:
        """The file's type name to keep: none when it only names the kind ("Workshop")."""
        return "" if is_kind_name(talk.type_name, kind) else talk.type_name

    def create(self, talk: ParsedTalk, room: Room | None, track: Track | None) -> None:
        kind = self.kind(talk) or Session.Kind.OPEN_CONVERSATION
        session = Session(
            event=self.event,
            source_guid=talk.guid or None,
            title=talk.title,
            slug=_unique_slug(talk.slug, self.taken_slugs),
            kind=kind,
            type_name=self.type_name(talk, kind),
            summary=talk.summary,
            description=talk.description,
            start=talk.start,
            end=talk.end,
            room=room,
            track=track,
            do_not_record=talk.do_not_record,
        )
        self.new_sessions.append(session)
        self.report.sessions.created += 1
        self.hosts(session, [], talk.persons)

    def update(self, session: Session, talk: ParsedTalk, room: Room | None, track: Track | None):
        kind = self.kind(talk)
        values = {
            "title": talk.title,
            # A talk without a type keeps the kind and type name it had.
            "kind": kind or session.kind,
            "type_name": self.type_name(talk, kind) if kind else session.type_name,
            "summary": talk.summary,
            "description": talk.description,
            "start": talk.start,
            "end": talk.end,
            "room_id": room.pk if room else None,
            "track_id": track.pk if track else None,
            "do_not_record": talk.do_not_record,
        }
        changed = [name for name, value in values.items() if getattr(session, name) != value]
        # Matched by slug or uid: remember the file's guid for the next import.
        new_guid = bool(talk.guid) and talk.guid not in (session.source_guid, str(session.uid))
        if changed or new_guid:
            for name in changed:
                setattr(session, name, values[name])
            if new_guid:
                session.source_guid = talk.guid
            if any(name in Session.CALENDAR_FIELDS for name in changed):
                session.sequence += 1  # as Session.save does; bulk_update skips save()
            session.updated_at = self.now
            self.changed_sessions.append(session)
        if changed:
            self.report.sessions.updated += 1
        else:
            self.report.sessions.unchanged += 1
        self.hosts(session, list(session.hosts.all()), talk.persons)

    def hosts(self, session: Session, current: list[Host], persons: tuple[ParsedPerson, ...]):
        """Guest hosts to match the file's persons; hosts with an account are kept."""
        guests = {h.guest_name.casefold(): h for h in current if not h.user_id}
        members = {h.display_name.casefold(): h for h in current if h.user_id}
        tally = self.report.hosts
        for position, person in enumerate(persons):
            key = person.name.casefold()
            host = guests.pop(key, None) or members.pop(key, None)
            if host is None:
                self.new_hosts.append(
                    Host(
                        session=session,
                        guest_name=person.name,
                        bio=person.biography or "",
                        position=position,
                    )
                )
                tally.created += 1
                continue
            values: dict[str, object] = {"position": position}
            if not host.user_id:
                values["guest_name"] = person.name
            if person.biography is not None:
                values["bio"] = person.biography
            if all(getattr(host, name) == value for name, value in values.items()):
                tally.unchanged += 1
                continue
            for name, value in values.items():
                setattr(host, name, value)
            self.changed_hosts.append(host)
            tally.updated += 1
        self.removed_hosts += [host.pk for host in guests.values()]
        tally.removed += len(guests)

    def write(self) -> None:
        Session.objects.bulk_create(self.new_sessions)
        Session.objects.bulk_update(
            self.changed_sessions,
            [*SESSION_FIELDS, "source_guid", "sequence", "updated_at"],
        )
        Host.objects.filter(pk__in=self.removed_hosts).delete()
        Host.objects.bulk_create(self.new_hosts)
        Host.objects.bulk_update(self.changed_hosts, ["guest_name", "bio", "position"])


def _named(model, existing_rows, event: Event, names: list[str], skip: str | None, tally: Tally):
    """Each name → the event's room or track of that name (any case), creating the missing."""
    existing = list(existing_rows.all())
    by_name = {row.name: row for row in existing}
    by_folded = {row.name.casefold(): row for row in existing}
    position = (existing_rows.aggregate(last=Max("position"))["last"] or 0) + 1
    found: dict = {}
    created: list = []
    for name in names:
        row = by_name.get(name) or by_folded.get(name.casefold())
        if row is not None:
            tally.unchanged += 1
        elif name != skip:
            row = model(event=event, name=name, position=position + len(created))
            created.append(row)
        found[name] = row
    model.objects.bulk_create(created)
    tally.created = len(created)
    return found


def _warnings(event: Event, parsed: ParsedSchedule) -> list[str]:
    warnings = list(parsed.warnings)
    if parsed.time_zone != event.time_zone:
        warnings.append(
            f"The file's times are in {parsed.time_zone}; the programme shows them in "
            f"{event.time_zone} time, the event's zone."
        )

    def outside(day: date) -> bool:
        return not event.start_date <= day <= event.end_date

    count = sum(outside(timezone.localtime(t.start, event.tz).date()) for t in parsed.talks)
    if count:
        warnings.append(
            f"{count} session{'s' if count > 1 else ''} fall outside the event's dates "
            f"({event.start_date:%-d %B %Y} to {event.end_date:%-d %B %Y}); "
            "they are imported all the same."
        )
    return warnings


def resolve_kind_map(
    type_names: list[str], kind_map: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every type name of a file → a kind: `kind_map`'s choice, else the default's.

    Raises ValueError naming a mapped kind that is not one of `Session.Kind`.
    """
    resolved = default_kind_map(type_names)
    for name, kind in (kind_map or {}).items():
        if kind not in Session.Kind.values:
            raise ValueError(f'"{kind}" (for the type "{name}") is not a session kind.')
        if name in resolved:
            resolved[name] = kind
    return resolved


def schedule_import(
    *,
    event: Event,
    data: bytes,
    filename: str,
    progress: Progress | None = None,
    kind_map: dict[str, str] | None = None,
    by: User | None,
) -> ImportReport:
    """Import a pretalx JSON or frab XML schedule into `event` (`by`: the person, None
    for the system, e.g. `manage.py import_schedule`). Side effects, in order:

    1. the whole file is read and checked (a session outside the event's dates,
       events/dates.py, is a problem); if anything is wrong `ScheduleFileError`
       lists every problem and nothing is written; a `kind_map` naming a kind
       that is not one of `Session.Kind` raises ValueError, writing nothing;
       each session type of the file becomes the kind `kind_map` gives it
       (type name → `Session.Kind` value), else the one `default_kind_map` does;
    2. in one transaction, with the event row locked against a parallel import:
       rooms and tracks the event lacks are created (apart: a room is where a
       session runs, a track its theme); sessions are created, or updated when
       imported before (a time, title, room or track change raises `sequence`,
       so calendars pick it up), with the file's recording opt-out and type
       name; guest hosts are created, updated or removed to match the file's
       speakers;
    3. the programme version rises (bulk writes send no signals), so cached
       programme pages and exports show the import at once;
    4. the audit log records the import with its counts.
    """
    parsed = read_schedule(data, default_zone=event.time_zone, window=session_window(event))
    kinds = resolve_kind_map(parsed.type_names, kind_map)
    report = ImportReport(
        filename=filename,
        source_format=parsed.source_format,
        time_zone=parsed.time_zone,
        warnings=_warnings(event, parsed),
    )
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        run = _Import(event, parsed, report, kinds)
        rooms, tracks = run.rooms(), run.tracks()
        total = len(parsed.talks)
        for done, talk in enumerate(parsed.talks, start=1):
            session = run.match(talk)
            room, track = rooms[talk.room], tracks.get(talk.track)
            if session is None:
                run.create(talk, room, track)
            else:
                run.update(session, talk, room, track)
            if progress is not None:
                progress(done, total)
        run.write()
        programme_changed(event.pk)
        audit.audit_record(
            actor=by,
            action="events.schedule_imported",
            obj=event,
            event_id=event.pk,
            data={
                "file": filename,
                "sessions_created": report.sessions.created,
                "sessions_updated": report.sessions.updated,
                "hosts_removed": report.hosts.removed,
            },
        )
    event.refresh_from_db(fields=["programme_version"])
    return report


# --- A new event from the file's conference block (docs/decisions/0025) --------------


def _event_default_zone() -> str:
    return str(Event._meta.get_field("time_zone").default)


def conference_event_fields(conference: ParsedConference, *, slug: str = "") -> dict:
    """What `events.services.event_create` makes of a conference block: its title, the
    slug (`slug`, else the acronym's or the title's), its days and time zone (the
    event's default, Europe/London, when the file names none)."""
    return {
        "title": conference.title,
        "slug": slug or conference.slug,
        "start_date": conference.start_date,
        "end_date": conference.end_date,
        "time_zone": conference.time_zone or _event_default_zone(),
    }


@dataclass
class NewEventImport:
    event: Event
    created: bool  # False: the event was there already (a second run) and was updated
    report: ImportReport


@transaction.atomic
def schedule_import_new_event(
    *,
    data: bytes,
    filename: str,
    by: User | None,
    organiser: User | None = None,
    slug: str = "",
    update_existing: bool = False,
    kind_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> NewEventImport:
    """Import a schedule file into the event its conference block describes, creating
    it the first time (`manage.py import_schedule FILE --create`, the organisers'
    "Import a schedule into a new event"). Side effects, in order, in one transaction:

    1. the conference block is read (`read_conference`): a file without one, or
       without a title and first and last day, raises `ScheduleFileError` naming
       what is missing, and nothing is stored;
    2. the event is the one at `slug` (else the slug made from the acronym, else from
       the title) when `update_existing` and there is one — its title, days and zone
       stay as its organisers left them; otherwise a new draft event from the block
       (`events.services.event_create`, `organiser` else `by` its organiser; a slug
       in use raises `ValidationError` on `slug`);
    3. the file is imported into it (`schedule_import`: rooms, tracks, sessions,
       hosts, the audit log). A problem in the file (a session outside the event's
       days ...) raises `ScheduleFileError` and the new event is not kept either.
    """
    conference = read_conference(data)
    fields = conference_event_fields(conference, slug=slug)
    event = Event.objects.filter(slug=fields["slug"]).first() if update_existing else None
    created = event is None
    if event is None:
        event = event_create(by=by, organiser=organiser, **fields)
    report = schedule_import(
        event=event, data=data, filename=filename, progress=progress, kind_map=kind_map, by=by
    )
    return NewEventImport(event=event, created=created, report=report)
