"""Hook points of the organiser console: what feature apps add to an event's
messages to groups and its dashboard (core/hooks.py; each app plugs in from its
own hooks.py). The console imports no feature app's internals: attendance,
live and contributions describe their own groups and figures here.

The dashboard (/orga/<event>/dashboard/, docs/decisions/0028):

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

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest

from convene.console.charts import DayChart, day_chart
from convene.core.hooks import Hook
from convene.events.models import Event

__all__ = [
    "DASHBOARD_COLUMNS",
    "DASHBOARD_PANELS",
    "Cell",
    "DashboardPanel",
    "DayChart",
    "SessionColumn",
    "day_chart",
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
    values: Callable[[Event], Mapping[int, Cell]]
    order: int
    missing: Cell = 0
    numeric: bool = True


@dataclass(frozen=True)
class DashboardPanel:
    """One section of the dashboard: `render(request, event)` gives its HTML (or "")."""

    key: str
    order: int
    render: Callable[[HttpRequest, Event], str]


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
