"""What attendance shows on the organiser console's dashboard (console.extensions,
registered in hooks.py): places left, the waiting list and attendance per
session, and the chart of registrations over time. Each reads one aggregate
query from selectors.py."""

from datetime import date

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from convene.attendance import selectors
from convene.console.extensions import Cell, DashboardPanel, DayChart, SessionColumn, day_chart
from convene.events.models import Event

NO_LIMIT = "No limit"


def places_left(event: Event) -> dict[int, Cell]:
    return {
        pk: NO_LIMIT if left is None else left
        for pk, left in selectors.places_left_by_session(event=event).items()
    }


def waiting(event: Event) -> dict[int, Cell]:
    return dict(selectors.waiting_by_session(event=event))


def joined_of_registered(event: Event) -> dict[int, Cell]:
    return {
        pk: f"{joined} of {registered}"
        for pk, (joined, registered) in selectors.joined_and_registered_by_session(
            event=event
        ).items()
    }


COLUMNS = [
    SessionColumn("attendance.places_left", "Places left", places_left, order=10),
    SessionColumn("attendance.waiting", "Waiting list", waiting, order=20),
    SessionColumn("attendance.joined", "Joined of registered", joined_of_registered, order=30),
]


def registrations_chart(*, event: Event, today: date | None = None) -> DayChart | None:
    """The running total of confirmed registrations per day, in the event's time
    zone, from the first registration to today or the event's last day, whichever
    comes first (or later, if someone registered after it); None before anyone has."""
    per_day = selectors.registrations_per_day(event=event)
    if not per_day:
        return None
    today = today or timezone.localdate(timezone=event.tz)
    return day_chart(
        key="registrations-chart",
        title="Registrations over time",
        counts=per_day,
        start=min(per_day),
        end=min(today, event.end_date),
        singular="registration",
        plural="registrations",
    )


def registrations_panel(request: HttpRequest, event: Event) -> str:
    chart = registrations_chart(event=event)
    return render_to_string(
        "attendance/orga/dashboard_registrations.html",
        {"event": event, "chart": chart},
        request=request,
    )


PANEL = DashboardPanel("attendance.registrations", order=10, render=registrations_panel)
