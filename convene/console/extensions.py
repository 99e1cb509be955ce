"""Hook points of the organiser console: what feature apps add to an event's
messages to groups and its dashboard (core/hooks.py; each app plugs in from its
own hooks.py). The console imports no feature app's internals: attendance,
live and contributions describe their own groups and figures here.

Messages to groups
------------------
`RECIPIENT_GROUPS` takes a `RecipientGroup` per group of people an organiser
can write to (attendance: everyone registered, the people of chosen sessions,
waiting lists; the console itself: hosts, reviewers, judges, the team). The
group's app answers who is in it, as plain `Recipient` data, with the values
of the placeholders only it can fill (`{join_link}`: attendance knows join
windows); the console writes, previews, records and sends the message and
fills the placeholders every message has (`{name}`, `{event}`,
`{event_link}`). `recipients` is asked twice: for everyone when the message is
written and sent, and for one address (`email=`) when that person's email is
built, so the email says what is true when it leaves (docs/decisions/0027).

    # convene/attendance/hooks.py
    from convene.console.extensions import RECIPIENT_GROUPS, RecipientGroup
    RECIPIENT_GROUPS.register(RecipientGroup(key="registrants", label=..., recipients=...))

`compose_url` is the address of the compose page with a group (and sessions)
chosen, for other apps' organiser pages to link to.

The dashboard
-------------
/orga/<event>/dashboard/ (docs/decisions/0028):

- `DASHBOARD_COLUMNS`: a `SessionColumn` per column of the per-session table
  (places left, chat messages, top tips ...). `values(event)` returns the
  column's cell for each session id of the event, computed in one aggregate
  query whatever the number of sessions (the page's query count is tested with
  1 and 3 sessions); a session it leaves out shows `missing`.
- `DASHBOARD_PANELS`: a `DashboardPanel` per section of the page, shown in
  `order`: `render(request, event)` returns HTML that is safe to insert (render
  a template, with its own <h2>) or "" to show nothing; a fixed number of
  queries too. The console's own per-session table is one of them (order 20).

A panel that draws a chart of a count per day gets its geometry from
`day_chart(...)` and includes "console/includes/day_chart.html": an SVG drawn
on the server, with its text alternative and the table of its numbers.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from convene.console.charts import DayChart, day_chart
from convene.core.hooks import Hook

if TYPE_CHECKING:
    from convene.events.models import Event, Session


@dataclass(frozen=True)
class Recipient:
    """One person a message goes to, as plain data (no model of another app)."""

    email: str
    name: str = ""
    user_id: int | None = None
    #: Values of the group's own placeholders for this person ({"join_link": ...}).
    values: Mapping[str, str] = field(default_factory=dict)
    #: False: the person has not agreed to, or has turned off, optional emails;
    #: optional messages leave them out (only groups with `can_opt_out`).
    accepts_optional: bool = True
    #: The one-click link that turns optional emails off (List-Unsubscribe), or "".
    unsubscribe_url: str = ""


#: `recipients(event=..., sessions=..., email=None)`: everyone in the group, or
#: only the person with that address (lower case); one entry per person.
RecipientsFunction = Callable[..., list[Recipient]]


@dataclass(frozen=True)
class RecipientGroup:
    """A group of an event's people an organiser can write to."""

    #: Stored with each message ("registrants", "session_hosts" ...): never change it.
    key: str
    #: What the compose page and the sent log call it.
    label: str
    recipients: RecipientsFunction
    #: The organiser chooses one or more sessions, and the group is their people.
    takes_sessions: bool = False
    #: Its members can turn optional emails off (registrants can; people with a role cannot).
    can_opt_out: bool = False
    #: The group's own placeholders, by name, with what each is filled with.
    placeholders: Mapping[str, str] = field(default_factory=dict)
    #: The end of "You get this email because ...", in the email's footer.
    why: str = "you take part in {event}"


RECIPIENT_GROUPS: Hook[RecipientGroup] = Hook(
    "console.recipient_groups", key=lambda group: group.key, unique=True
)


def recipient_group(key: str) -> RecipientGroup | None:
    return RECIPIENT_GROUPS.get(key)


def compose_url(
    event: "Event", *, group: str = "", sessions: Iterable["Session"] | Sequence[int] = ()
) -> str:
    """The compose page of `event`, with `group` and `sessions` chosen."""
    url = reverse("console:message_new", kwargs={"event": event.slug})
    query: list[tuple[str, str | int]] = [("group", group)] if group else []
    query += [("sessions", s if isinstance(s, int) else s.pk) for s in sessions]
    return f"{url}?{urlencode(query)}" if query else url


__all__ = [
    "DASHBOARD_COLUMNS",
    "DASHBOARD_PANELS",
    "RECIPIENT_GROUPS",
    "Cell",
    "DashboardPanel",
    "DayChart",
    "Recipient",
    "RecipientGroup",
    "SessionColumn",
    "compose_url",
    "day_chart",
    "recipient_group",
]

#: What a cell of the per-session table shows: a number, or a short text ("No limit").
type Cell = int | str


@dataclass(frozen=True)
class SessionColumn:
    """One column of the dashboard's per-session table.

    `key` names it ("<app>.<what>"); `header` is its heading; `values(event)`
    maps session ids to cells in one aggregate query; `order` places it
    (attendance 10–30, live 40–50, contributions 60–80); `numeric` aligns it
    to the right, as NHS.UK tables do with numbers."""

    key: str
    header: str
    values: Callable[["Event"], Mapping[int, Cell]]
    order: int
    missing: Cell = 0
    numeric: bool = True


@dataclass(frozen=True)
class DashboardPanel:
    """One section of the dashboard: `render(request, event)` gives its HTML (or "")."""

    key: str
    order: int
    render: Callable[[HttpRequest, "Event"], str]


DASHBOARD_COLUMNS: Hook[SessionColumn] = Hook(
    "console.dashboard_columns", key=lambda column: column.key, unique=True
)
DASHBOARD_PANELS: Hook[DashboardPanel] = Hook(
    "console.dashboard_panels", key=lambda panel: panel.key, unique=True
)


def dashboard_columns() -> list[SessionColumn]:
    return sorted(DASHBOARD_COLUMNS.all(), key=lambda column: (column.order, column.key))


def dashboard_panels() -> list[DashboardPanel]:
    return sorted(DASHBOARD_PANELS.all(), key=lambda panel: (panel.order, panel.key))
