"""Turning a wall-clock date and time in a named zone into an instant, honestly.

`datetime.combine(..., tzinfo=zone)` silently accepts times that never happen
(01:30 on the night clocks go forward) and picks one of two for times that
happen twice. Organisers type wall-clock times, so we check both cases.

`moment.astimezone(zone)` raises OverflowError when the wall-clock time falls
outside years 1 to 9999; `in_zone` never does (rows stored before session dates
were bounded, docs/decisions/0012, can be that close to the edges).
"""

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo


class NonExistentTimeError(ValueError):
    """The wall-clock time is skipped when the clocks go forward."""


def aware(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant of `day` `at` in `zone`.

    Raises NonExistentTimeError for a skipped time. For a repeated time (clocks go
    back) returns the first occurrence, as RFC 5545 and most calendars do.
    """
    naive = datetime.combine(day, at)
    candidate = naive.replace(tzinfo=zone, fold=0)
    if candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NonExistentTimeError(
            f"{at:%H:%M} does not exist on {day:%-d %B %Y} in {zone.key}: the clocks go forward."
        )
    return candidate


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` in `zone`; in UTC when its time there is not representable (years 1 to 9999)."""
    for target in (zone, UTC):
        try:
            return moment.astimezone(target)
        except OverflowError:
            continue
    return moment


def is_repeated(moment: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time of `moment` in `zone` happens twice that night."""
    try:
        local = moment.astimezone(zone)
        return local.replace(fold=0).astimezone(UTC) != local.replace(fold=1).astimezone(UTC)
    except OverflowError:  # at the edge of the representable years: no clock changes there
        return False
