"""When an event and its sessions may take place (docs/decisions/0012).

The one rule every writer applies: Event.clean and Session.clean (so the
services and the admin), the organiser forms and schedule imports.

- An event's days lie between FIRST_DAY and LAST_DAY and number MAX_EVENT_DAYS
  at most.
- A session starts and ends within the event's days and SESSION_DATE_SLACK_DAYS
  either side, counted in the event's zone (a session ending at midnight after
  the last allowed day is within).

So every session time stays centuries away from the edges of what Python can
represent (years 1 to 9999), and converting it to any zone cannot overflow.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
MAX_EVENT_DAYS = 31


def _day(value: date) -> str:
    return f"{value.day} {value:%B} {value.year}"


def event_dates_errors(start: date | None, end: date | None) -> dict[str, str]:
    """What is wrong with an event's first and last day, by field ({} when nothing)."""
    errors: dict[str, str] = {}
    span = f"between {_day(FIRST_DAY)} and {_day(LAST_DAY)}"
    for name, value in (("start_date", start), ("end_date", end)):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            errors[name] = f"Choose a day {span}."
    if errors or start is None or end is None:
        return errors
    if end < start:
        errors["end_date"] = "The event cannot end before it starts."
    elif (end - start).days + 1 > MAX_EVENT_DAYS:
        errors["end_date"] = f"An event can last {MAX_EVENT_DAYS} days at most."
    return errors


@dataclass(frozen=True)
class SessionWindow:
    """The days (in `zone`) the sessions of one event may take place on."""

    first_day: date
    last_day: date
    zone: ZoneInfo
    slack: int

    @property
    def earliest(self) -> datetime:
        return datetime.combine(self.first_day, time.min, self.zone)

    @property
    def latest(self) -> datetime:
        """Midnight at the end of the last day: the latest a session may end."""
        return datetime.combine(self.last_day + timedelta(days=1), time.min, self.zone)

    def allows_day(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def allows_start(self, moment: datetime) -> bool:
        return self.earliest <= moment < self.latest

    def allows_end(self, moment: datetime) -> bool:
        return self.earliest < moment <= self.latest

    @property
    def message(self) -> str:
        either_side = (
            f" and {self.slack} day{'s' if self.slack != 1 else ''} either side"
            if self.slack
            else ""
        )
        return (
            f"Sessions of this event take place between {_day(self.first_day)} and "
            f"{_day(self.last_day)} ({self.zone.key} time): the event's days{either_side}."
        )


def session_window(event) -> SessionWindow:
    """Where `event`'s sessions may be. An event stored with dates out of bounds
    (before this rule) is read as if clamped to them, so the window stays in range."""
    slack = settings.SESSION_DATE_SLACK_DAYS
    first = min(max(event.start_date, FIRST_DAY), LAST_DAY) - timedelta(days=slack)
    last = min(max(event.end_date, FIRST_DAY), LAST_DAY) + timedelta(days=slack)
    return SessionWindow(first_day=first, last_day=last, zone=event.tz, slack=slack)
