"""iCalendar (RFC 5545) files for sessions: one session, a whole event, a personal feed.

Choices that make Outlook, Google Calendar and Apple Calendar behave:
- times are written in the event's zone with TZID and a VTIMEZONE generated
  from the zoneinfo database (icalendar's `add_missing_timezones`), so a
  session at 01:30 on a clock-change night lands on the right instant;
- UID is the session's stable uuid, SEQUENCE rises on each change (see
  `Session.save`), and cancelled sessions stay in the file with
  STATUS:CANCELLED so subscribed calendars remove them;
- METHOD:PUBLISH (a published schedule, not a meeting invitation).
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from convene.core.links import absolute_url
from convene.core.timeutil import in_zone, is_repeated
from convene.events.dates import SessionWindow, session_window
from convene.events.models import Session

PRODID = "-//Convene//Improvement conversations//EN"


def _description(session: Session, *, join_link: str) -> str:
    lines: list[str] = []
    if session.is_cancelled:
        lines.append("This session has been cancelled.")
    if session.summary:
        lines.append(session.summary)
    hosts = [f"{h.display_name} ({h.get_role_display()})" for h in session.hosts.all()]
    if hosts:
        lines.append("Hosts: " + ", ".join(hosts))
    if join_link and session.join_url and not session.is_cancelled:
        provider = f" on {session.join_provider}" if session.join_provider else ""
        lines.append(f"Join{provider}: {join_link}")
    lines.append(f"Details: {absolute_url(session.get_absolute_url())}")
    return "\n\n".join(lines)


def _wall_time(moment: datetime, window: SessionWindow) -> datetime:
    """`moment` in the event's zone, or in UTC where a TZID time is ambiguous.

    When clocks go back, 01:30 happens twice. RFC 5545 (3.3.5) says to read
    such a local time as the first one, but parsers disagree (vobject takes the
    second), so any moment in a repeated hour is written in UTC, which every
    calendar reads exactly. Spring-forward gaps need nothing: an instant always
    has one existing local time. A moment outside the event's dates (a row from
    before docs/decisions/0012, perhaps in year 9999) is written in UTC too: it
    may have no local time, and the VTIMEZONE need not reach it.
    """
    if not window.earliest <= moment <= window.latest or is_repeated(moment, window.zone):
        return in_zone(moment, UTC)
    return moment.astimezone(window.zone)


def _vevent(session: Session, *, join_link: str) -> VEvent:
    window = session_window(session.event)
    vevent = VEvent()
    vevent.add("uid", f"{session.uid}@convene")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", _wall_time(session.start, window))
    vevent.add("dtend", _wall_time(session.end, window))
    vevent.add("sequence", session.sequence)
    vevent.add("last-modified", session.updated_at)
    vevent.add("summary", session.title)
    vevent.add("description", _description(session, join_link=join_link))
    vevent.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    vevent.add("categories", [session.get_kind_display()])
    # The room is where the session is, online too ("Main stage"); without one,
    # the join link or the provider says where to go.
    if join_link and session.join_url:
        vevent.add("location", session.room.name if session.room_id else join_link)
        vevent.add("url", join_link)
    else:
        location = session.room.name if session.room_id else session.join_provider or "Online"
        vevent.add("location", location)
        vevent.add("url", absolute_url(session.get_absolute_url()))
    vevent.add("transp", "TRANSPARENT" if session.is_cancelled else "OPAQUE")
    return vevent


def calendar_for_sessions(
    sessions: Iterable[Session],
    *,
    name: str,
    join_links: Mapping[int, str] | None = None,
    refresh: timedelta | None = None,
    method: str = "PUBLISH",
) -> bytes:
    """Serialise sessions (with `hosts`, `event` and `room` loaded) into one VCALENDAR.

    `join_links` maps session ids to the join address to write for them (the
    sessions a person may join; attendance gives Convene's join address, never
    the session's raw link). A session with no join link set gets none. Breaks
    are left out: nobody wants "Lunch" pushed into their calendar.
    `method` "CANCEL" (RFC 5546) makes a file that takes cancelled sessions
    out of the calendars they were added to.
    """
    join_links = join_links or {}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    if refresh is not None:
        # Hints for subscribed feeds: how often to poll (RFC 7986 and Apple/Google's).
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", refresh)
    days: list[date] = []
    for session in sessions:
        if session.kind == Session.Kind.BREAK:
            continue
        cal.add_component(_vevent(session, join_link=join_links.get(session.pk, "")))
        if session_window(session.event).allows_start(session.start):  # written with its TZID
            days.append(session.start.date())
    if days:
        # Transitions a year either side are plenty and keep the file small.
        cal.add_missing_timezones(
            first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
        )
    return cal.to_ical()
