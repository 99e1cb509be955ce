"""The event dashboard's reads: the per-session table and the panels, in order.

The console knows no figure itself (docs/decisions/0028): each column of the
table is a `SessionColumn` and each section of the page a `DashboardPanel`
that the app owning the data registers from its hooks.py
(console.extensions). Here they are put together: one query for the
sessions, then one call per column and per panel, each a fixed number of
queries, so the page's count does not grow with the sessions.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from convene.console.extensions import Cell, SessionColumn, dashboard_columns, dashboard_panels
from convene.events.models import Event, Session


def dashboard_sessions(*, event: Event) -> QuerySet[Session]:
    """The event's sessions in programme order (breaks left out: nobody books,
    chats or shares in a break), with their rooms, in one query."""
    return (
        event.sessions.exclude(kind=Session.Kind.BREAK)
        .select_related("room", "track")
        .order_by("start", "room__position", "track__position", "title", "pk")
    )


@dataclass(frozen=True)
class TableCell:
    key: str
    value: Cell
    numeric: bool


@dataclass(frozen=True)
class SessionRow:
    session: Session
    cells: list[TableCell]

    @property
    def values(self) -> dict[str, Cell]:
        """The row's cells by column key."""
        return {cell.key: cell.value for cell in self.cells}


@dataclass(frozen=True)
class SessionTable:
    columns: list[SessionColumn]
    rows: list[SessionRow]


def session_table(*, event: Event) -> SessionTable:
    """A row per session, a cell per registered column: one query for the
    sessions and one per column (none when the event has no sessions)."""
    sessions = list(dashboard_sessions(event=event))
    columns = dashboard_columns()
    values = [column.values(event) for column in columns] if sessions else []
    return SessionTable(
        columns=columns,
        rows=[
            SessionRow(
                session=session,
                cells=[
                    TableCell(column.key, found.get(session.pk, column.missing), column.numeric)
                    for column, found in zip(columns, values, strict=True)
                ],
            )
            for session in sessions
        ],
    )


def sessions_panel(request: HttpRequest, event: Event) -> str:
    """The console's own panel: the per-session table."""
    return render_to_string(
        "console/includes/sessions_panel.html",
        {"event": event, "table": session_table(event=event)},
        request=request,
    )


def rendered_panels(request: HttpRequest, event: Event) -> list[SafeString]:
    """Each registered panel's HTML, in order; panels with nothing to say are left out."""
    return [
        mark_safe(html)  # noqa: S308 - panels return rendered templates (extensions.py)
        for panel in dashboard_panels()
        if (html := panel.render(request, event))
    ]
