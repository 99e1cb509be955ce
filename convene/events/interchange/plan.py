"""What importing a schedule file would do, worked out without keeping any of it.

`schedule_plan` runs the import itself (`schedule_import`) in a transaction it
always rolls back, and compares the event's sessions and tracks before and
after. So the preview and the import cannot disagree: there is one set of
matching rules, in services.py. Nothing is kept; the event row is locked only
for the run, as for an import.

A file whose sessions fall outside the event's days (docs/decisions/0012) is
refused by the import. When the event's days can grow to hold them (2000 to
2100, 31 days at most: events/dates.py), the plan says so (`outside`,
`dates_to_fit`) and shows what the import would do with the dates widened;
the organiser confirms that change with the import.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction

from convene.core.timeutil import in_zone
from convene.events.dates import FIRST_DAY, LAST_DAY, SessionWindow, event_dates_errors
from convene.events.dates import session_window as event_window
from convene.events.interchange.checks import ParsedConference, ParsedSchedule, ScheduleFileError
from convene.events.interchange.reader import read_conference, read_schedule
from convene.events.interchange.services import (
    SESSION_FIELDS,
    ImportReport,
    conference_event_fields,
    resolve_kind_map,
    schedule_import,
)
from convene.events.models import Event
from convene.events.services import event_create, event_dates_extend


@dataclass(frozen=True)
class DatesToFit:
    """The event's days widened just enough to hold every session of the file."""

    start_date: date
    end_date: date


@dataclass
class CheckedFile:
    """A schedule file read for one event: usable as it is, or once the dates change."""

    parsed: ParsedSchedule
    # The sessions the import would refuse as the event's dates stand ("Title,
    # 25 November 2026 09:00", in the event's zone), and the dates that would let
    # them in; empty and None when the file fits.
    outside: list[str] = field(default_factory=list)
    dates_to_fit: DatesToFit | None = None


@dataclass
class ImportPlan:
    report: ImportReport  # the counts and warnings the import would give
    type_names: list[str]
    kind_map: dict[str, str]  # type name → Session.Kind value, as planned
    created: list[str] = field(default_factory=list)  # session titles, in the file's order
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_rooms: list[str] = field(default_factory=list)
    new_tracks: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dates_to_fit: DatesToFit | None = None


def _moment(local: datetime) -> str:
    return f"{local.day} {local:%B} {local.year} {local:%H:%M}"


def _widest_window(event: Event) -> SessionWindow:
    return SessionWindow(first_day=FIRST_DAY, last_day=LAST_DAY, zone=event.tz, slack=0)


def _dates_to_fit(event: Event, parsed: ParsedSchedule) -> DatesToFit | None:
    if not parsed.talks:
        return None
    zone = event.tz
    first = min(talk.start.astimezone(zone).date() for talk in parsed.talks)
    # A session ending at midnight ends on the day before.
    last = max(
        (talk.end - timedelta(microseconds=1)).astimezone(zone).date() for talk in parsed.talks
    )
    start, end = min(event.start_date, first), max(event.end_date, last)
    if event_dates_errors(start, end):
        return None
    return DatesToFit(start_date=start, end_date=end)


def check_file(*, event: Event, data: bytes) -> CheckedFile:
    """Read `data` for `event`; raise ScheduleFileError when no change of dates would help.

    Reads only. The file's problems are the import's own (with JSON path or XML line).
    """
    try:
        parsed = read_schedule(data, default_zone=event.time_zone, window=event_window(event))
    except ScheduleFileError as refusal:
        try:
            parsed = read_schedule(data, default_zone=event.time_zone, window=_widest_window(event))
        except ScheduleFileError:
            raise refusal from None
        dates = _dates_to_fit(event, parsed)
        if dates is None:
            raise
        window = event_window(event)
        outside = [
            f"{talk.title}, {_moment(in_zone(talk.start, event.tz))}"
            for talk in parsed.talks
            if not (window.allows_start(talk.start) and window.allows_end(talk.end))
        ]
        return CheckedFile(parsed=parsed, outside=outside, dates_to_fit=dates)
    return CheckedFile(parsed=parsed)


def _names(related) -> list[str]:
    return list(related.order_by("position", "pk").values_list("name", flat=True))


def _session_rows(event: Event) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in event.sessions.values_list("pk", *SESSION_FIELDS)}


def schedule_plan(
    *, event: Event, data: bytes, filename: str, kind_map: dict[str, str] | None = None
) -> ImportPlan:
    """What `schedule_import(event=…, data=…, kind_map=…)` would do, keeping nothing.

    Raises ScheduleFileError as the import does, except for sessions outside the
    event's days that a change of its dates (`dates_to_fit`) would let in: the
    plan then shows the import with those dates. `event` is not changed.
    """
    checked = check_file(event=event, data=data)
    type_names = checked.parsed.type_names
    kinds = resolve_kind_map(type_names, kind_map)
    title_index = SESSION_FIELDS.index("title")
    with transaction.atomic():
        run_event = Event.objects.select_for_update().get(pk=event.pk)
        if checked.dates_to_fit is not None:
            event_dates_extend(
                event=run_event,
                start_date=checked.dates_to_fit.start_date,
                end_date=checked.dates_to_fit.end_date,
                by=None,
            )
        before = _session_rows(run_event)
        rooms_before = _names(run_event.rooms)
        tracks_before = _names(run_event.tracks)
        report = schedule_import(
            event=run_event, data=data, filename=filename, kind_map=kinds, by=None
        )
        after = _session_rows(run_event)
        new_rooms = [name for name in _names(run_event.rooms) if name not in rooms_before]
        new_tracks = [name for name in _names(run_event.tracks) if name not in tracks_before]
        transaction.set_rollback(True)

    created = Counter(row[title_index] for pk, row in after.items() if pk not in before)
    updated = Counter(
        row[title_index] for pk, row in after.items() if pk in before and before[pk] != row
    )
    plan = ImportPlan(
        report=report,
        type_names=type_names,
        kind_map=kinds,
        new_rooms=new_rooms,
        new_tracks=new_tracks,
        outside=checked.outside,
        dates_to_fit=checked.dates_to_fit,
    )
    for talk in checked.parsed.talks:
        for titles, bucket in ((created, plan.created), (updated, plan.updated)):
            if titles[talk.title]:
                titles[talk.title] -= 1
                bucket.append(talk.title)
                break
        else:
            plan.unchanged.append(talk.title)
    return plan


@dataclass
class NewEventPlan:
    """What importing a file into a new event would do: the event, and the import."""

    conference: ParsedConference
    fields: dict  # the event's title, slug, days and zone, as `event_create` takes them
    plan: ImportPlan


def new_event_plan(
    *, data: bytes, filename: str, slug: str = "", kind_map: dict[str, str] | None = None
) -> NewEventPlan:
    """What `schedule_import_new_event(data=…, slug=…)` would do, keeping nothing.

    The event is created and the file imported into it in a transaction that is
    always rolled back, as `schedule_plan` does for an existing event. Raises
    `ScheduleFileError` as the import would (a file without a conference block, a
    session outside the conference's days: the new event's days are the file's
    own, so no change of dates is offered) and `ValidationError` on `slug` for a
    slug in use.
    """
    conference = read_conference(data)
    fields = conference_event_fields(conference, slug=slug)
    with transaction.atomic():
        event = event_create(by=None, **fields)
        plan = schedule_plan(event=event, data=data, filename=filename, kind_map=kind_map)
        transaction.set_rollback(True)
    if plan.dates_to_fit is not None:
        raise ScheduleFileError(
            [
                f"{len(plan.outside)} session{' is' if len(plan.outside) == 1 else 's are'} "
                "outside the conference's days in the file "
                f"({conference.start_date:%-d %B %Y} to {conference.end_date:%-d %B %Y}): "
                + "; ".join(plan.outside[:5])
                + ("…" if len(plan.outside) > 5 else "")
            ]
        )
    return NewEventPlan(conference=conference, fields=fields, plan=plan)
