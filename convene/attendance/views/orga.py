"""Organiser pages for registration: /orga/<event>/registrations/ ...

Every view is wrapped by `organiser_view` (events/access.py): the
`events.change_event` rule with the one refusal policy (404 for people who may
not see the event, sign in for anonymous visitors, 403 for anyone else).
"""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from convene.attendance import selectors, services
from convene.attendance.forms import RegistrationFilterForm
from convene.attendance.models import Registration
from convene.console.extensions import compose_url
from convene.core.params import whole_number
from convene.core.spreadsheet import csv_safe
from convene.events.access import organiser_view
from convene.events.models import Event, Session

CSV_COLUMNS = [
    "name", "email", "organisation", "role", "how they heard", "access needs",
    "agreed to emails", "state", "registered at", "sessions booked", "waiting for",
]  # fmt: skip


def _filtered(request: HttpRequest, event: Event):
    form = RegistrationFilterForm(request.GET or None, event=event)
    filters = {"search": "", "session": None, "state": ""}
    if form.is_bound and form.is_valid():
        filters = {
            "search": form.cleaned_data["q"].strip(),
            "session": form.cleaned_data["session"],
            "state": form.cleaned_data["state"],
        }
    return form, selectors.registrations_for_event(event=event, **filters)


@organiser_view
@require_http_methods(["GET", "HEAD"])
def registrations(request: HttpRequest, event: Event) -> HttpResponse:
    form, rows = _filtered(request, event)
    rows = list(rows)
    return render(
        request,
        "attendance/orga/registrations.html",
        {
            "event": event,
            "orga_section": "registrations",
            "form": form,
            "registrations": rows,
            "query": request.GET.urlencode(),
        },
    )


@organiser_view
@require_http_methods(["GET", "HEAD"])
def registrations_csv(request: HttpRequest, event: Event) -> HttpResponse:
    _, rows = _filtered(request, event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        bookings = list(r.bookings.all())
        writer.writerow(
            csv_safe(value)
            for value in [
                r.display_name,
                r.email,
                r.organisation,
                r.job_role,
                r.get_heard_from_display() if r.heard_from else "",
                r.access_needs,
                "yes" if r.email_consent else "no",
                r.get_state_display(),
                r.created_at.isoformat(timespec="seconds"),
                "; ".join(b.session.title for b in bookings if b.state == "booked"),
                "; ".join(b.session.title for b in bookings if b.state == "waiting"),
            ]
        )
    return response


@organiser_view
@require_http_methods(["GET", "HEAD"])
def numbers(request: HttpRequest, event: Event) -> HttpResponse:
    return render(
        request,
        "attendance/orga/numbers.html",
        {
            "event": event,
            "orga_section": "numbers",
            "sessions": list(selectors.session_numbers(event=event)),
            "registered": selectors.registration_count(event=event),
        },
    )


def _session(event: Event, pk: int) -> Session:
    return get_object_or_404(event.sessions.exclude(kind=Session.Kind.BREAK), pk=pk)


def _render_session(request, event, session, status=200) -> HttpResponse:
    rows = list(
        selectors.session_recipients(session=session)
        .distinct()
        .select_related("user")
        .prefetch_related("bookings")
        .order_by("name", "email")
    )
    joined = selectors.attendance_ids(session=session)
    for row in rows:
        row.joined = row.user_id in joined
        row.session_booking = next(
            (b for b in row.bookings.all() if b.session_id == session.pk), None
        )
    return render(
        request,
        "attendance/orga/session.html",
        {
            "event": event,
            "orga_section": "numbers",
            "session": session,
            "registrations": rows,
            # Messages to these people are written in the organiser console.
            "message_url": compose_url(event, group="session_registrants", sessions=[session]),
            "waiting_message_url": compose_url(event, group="waiting_list", sessions=[session])
            if session.capacity is not None
            else "",
        },
        status=status,
    )


@organiser_view
@require_http_methods(["GET", "HEAD"])
def session_registrants(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    return _render_session(request, event, _session(event, pk))


@organiser_view
@require_POST
def mark_attendance(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session(event, pk)
    registration_pk = whole_number(request.POST.get("registration"))
    if registration_pk is None:
        messages.error(request, "Attendance not saved: choose a person from the list.")
        return _render_session(request, event, session, status=400)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    try:
        services.attendance_mark(
            session=session,
            registration=registration,
            attended=request.POST.get("attended") == "yes",
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        who = registration.display_name or registration.email
        messages.success(request, f"Attendance of {who} saved.")
    return redirect("attendance:orga_session", event=event.slug, pk=session.pk)
