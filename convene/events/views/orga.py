"""The organiser area: /orga/<event>/... Everything here needs `events.change_event`
(an organiser of that event, or a superuser), applied by `organiser_view`
(events/access.py) with the one refusal policy (docs/decisions/0018-one-refusal-policy.md):
404 for people who may not see the event at all, sign in for anonymous visitors,
403 for signed-in people without the role.

Views are thin: they parse forms and call events.services.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from convene.core import audit
from convene.core.timeutil import in_zone
from convene.events import selectors, services
from convene.events.access import organiser_view
from convene.events.models import Event, Host, HostInvitation, Room, Session, Track
from convene.events.orga_forms import (
    AuditFilterForm,
    HostForm,
    InviteHostForm,
    MoveForm,
    SessionForm,
    TrackForm,
)
from convene.events.problems import Problem, problems_by_session, schedule_problems


def _session(event: Event, pk: int) -> Session:
    return get_object_or_404(event.sessions.select_related("room", "track"), pk=pk)


def _grid_url(event: Event, session: Session | None = None) -> str:
    url = reverse("events:orga_grid", kwargs={"event": event.slug})
    return f"{url}#session-{session.pk}" if session else url


def _grid_days(event: Event, sessions: list[Session], rooms: list[Room]):
    """Per day: rows of (local start time, cells per room + a 'no room' column).

    Columns are rooms, the resource two sessions cannot share (docs/decisions/0015).
    """
    columns = [*rooms, None]
    days: dict = {}
    for session in sessions:
        local = in_zone(session.start, event.tz)
        rows = days.setdefault(local.date(), {})
        row = rows.setdefault(local.time(), {t.pk if t else None: [] for t in columns})
        row.setdefault(session.room_id, []).append(session)
    return [
        {
            "day": day,
            "rows": [
                {"time": at, "cells": [rows[at].get(t.pk if t else None, []) for t in columns]}
                for at in sorted(rows)
            ],
        }
        for day, rows in sorted(days.items())
    ]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@organiser_view
@require_http_methods(["GET", "HEAD"])
def grid(request: HttpRequest, event: Event) -> HttpResponse:
    return _render_grid(request, event)


def _render_grid(request: HttpRequest, event: Event, status: str = "") -> HttpResponse:
    sessions = list(selectors.sessions_for_calendar(event=event))
    rooms = list(event.rooms.all())
    problems = schedule_problems(event=event, sessions=sessions)
    index = problems_by_session(problems)
    for session in sessions:
        session.problems = index.get(session.pk, [])
    context = {
        "event": event,
        "orga_section": "grid",
        "rooms": rooms,
        "days": _grid_days(event, sessions, rooms),
        "problem_count": len(problems),
        "status": status,
    }
    return render(request, "events/orga/grid.html", context)


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def session_move(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session(event, pk)
    form = MoveForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        services.session_move(
            session=session,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            room=form.cleaned_data["room"],
            by=request.user,
        )
        if _is_htmx(request):
            # htmx swaps the grid in place; the status line inside it says what happened.
            return _render_grid(request, event, status=f"“{session.title}” moved.")
        messages.success(request, f"“{session.title}” moved.")
        return redirect(_grid_url(event, session))
    context = {"event": event, "orga_section": "grid", "session": session, "form": form}
    if _is_htmx(request):
        # The form replaces the session's card. htmx swaps only 2xx answers, so a
        # form with errors answers 200 and is re-targeted at the card.
        response = render(request, "events/orga/move_form.html", context)
        response["HX-Retarget"] = f"#session-{session.pk}"
        response["HX-Reswap"] = "innerHTML"
        response["HX-Reselect"] = f"#move-form-{session.pk}"
        return response
    return render(request, "events/orga/move.html", context, status=400 if form.errors else 200)


@organiser_view
@require_POST
def programme_publish(request: HttpRequest, event: Event) -> HttpResponse:
    if request.POST.get("publish") == "yes":
        services.programme_publish(event=event, by=request.user)
        messages.success(request, "The programme is published.")
    else:
        services.programme_unpublish(event=event, by=request.user)
        messages.success(request, "The programme is hidden from the public.")
    return redirect(_grid_url(event))


@organiser_view
@require_http_methods(["GET", "HEAD"])
def problems(request: HttpRequest, event: Event) -> HttpResponse:
    sessions = list(selectors.sessions_for_calendar(event=event))
    return render(
        request,
        "events/orga/problems.html",
        {
            "event": event,
            "orga_section": "problems",
            "problems": schedule_problems(event=event, sessions=sessions),
        },
    )


@organiser_view
@require_http_methods(["GET", "HEAD"])
def session_list(request: HttpRequest, event: Event) -> HttpResponse:
    sessions = list(selectors.sessions_for_calendar(event=event))
    return render(
        request,
        "events/orga/sessions.html",
        {"event": event, "orga_section": "sessions", "sessions": sessions},
    )


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def session_create(request: HttpRequest, event: Event) -> HttpResponse:
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(event=event, by=request.user, **form.session_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"“{session.title}” added to the programme.")
            return redirect("events:orga_session", event=event.slug, pk=session.pk)
    return render(
        request,
        "events/orga/session_form.html",
        {"event": event, "orga_section": "sessions", "form": form, "session": None},
        status=400 if form.errors else 200,
    )


def _problems_of(event: Event, session: Session) -> list[Problem]:
    """The schedule problems this session is part of, as the grid and problems page show them."""
    sessions = list(selectors.sessions_for_calendar(event=event))
    problems = schedule_problems(event=event, sessions=sessions)
    return problems_by_session(problems).get(session.pk, [])


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session(event, pk)
    form = SessionForm(request.POST or None, instance=session, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, by=request.user, **form.session_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Session saved.")
            return redirect("events:orga_session", event=event.slug, pk=session.pk)
    return render(
        request,
        "events/orga/session_form.html",
        {
            "event": event,
            "orga_section": "sessions",
            "form": form,
            "session": session,
            "hosts": session.hosts.select_related("user"),
            "invitations": session.invitations.filter(accepted_at__isnull=True),
            "host_form": HostForm(),
            "invite_form": InviteHostForm(),
            # Where the organiser lands after saving: what the change caused, with links to fix.
            "problems": [] if form.is_bound else _problems_of(event, session),
        },
        status=400 if form.errors else 200,
    )


@organiser_view
@require_POST
def session_cancel(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session(event, pk)
    try:
        if request.POST.get("reinstate") == "yes":
            services.session_reinstate(session=session, by=request.user)
            messages.success(request, f"“{session.title}” is back in the programme.")
        else:
            services.session_cancel(session=session, by=request.user)
            messages.success(
                request, f"“{session.title}” is cancelled. It stays visible, marked cancelled."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("events:orga_session", event=event.slug, pk=session.pk)


def _render_session_with(request, event, session, *, host_form=None, invite_form=None):
    return render(
        request,
        "events/orga/session_form.html",
        {
            "event": event,
            "orga_section": "sessions",
            "form": SessionForm(instance=session, event=event),
            "session": session,
            "hosts": session.hosts.select_related("user"),
            "invitations": session.invitations.filter(accepted_at__isnull=True),
            "host_form": host_form or HostForm(),
            "invite_form": invite_form or InviteHostForm(),
        },
        status=400,
    )


@organiser_view
@require_POST
def host_add(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session(event, pk)
    form = HostForm(request.POST)
    if not form.is_valid():
        return _render_session_with(request, event, session, host_form=form)
    services.host_add(session=session, by=request.user, **form.cleaned_data)
    messages.success(request, f"{form.cleaned_data['guest_name']} added as a host.")
    return redirect("events:orga_session", event=event.slug, pk=session.pk)


@organiser_view
@require_POST
def host_remove(request: HttpRequest, event: Event, pk: int, host_pk: int) -> HttpResponse:
    session = _session(event, pk)
    host = get_object_or_404(Host, pk=host_pk, session=session)
    name = host.display_name
    services.host_remove(host=host, by=request.user)
    messages.success(request, f"{name} removed from the hosts.")
    return redirect("events:orga_session", event=event.slug, pk=session.pk)


@organiser_view
@require_POST
def host_invite(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session(event, pk)
    form = InviteHostForm(request.POST)
    if not form.is_valid():
        return _render_session_with(request, event, session, invite_form=form)
    invitation = services.host_invite(
        session=session,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        invited_by=request.user,
    )
    messages.success(request, f"Invitation sent to {invitation.email}.")
    return redirect("events:orga_session", event=event.slug, pk=session.pk)


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def tracks(request: HttpRequest, event: Event) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            track = services.track_create(
                event=event, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Track “{track.name}” added.")
            return redirect("events:orga_tracks", event=event.slug)
    return render(
        request,
        "events/orga/tracks.html",
        {"event": event, "orga_section": "tracks", "tracks": event.tracks.all(), "form": form},
        status=400 if form.errors else 200,
    )


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def track_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    track = get_object_or_404(Track, pk=pk, event=event)
    if request.method == "POST" and request.POST.get("delete") == "yes":
        services.track_delete(track=track, by=request.user)
        messages.success(request, f"Track “{track.name}” deleted. Its sessions have no track now.")
        return redirect("events:orga_tracks", event=event.slug)
    form = TrackForm(request.POST or None, instance=track)
    if request.method == "POST" and form.is_valid():
        try:
            services.track_rename(track=track, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Track renamed.")
            return redirect("events:orga_tracks", event=event.slug)
    return render(
        request,
        "events/orga/track_form.html",
        {"event": event, "orga_section": "tracks", "track": track, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def host_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept a host invitation (rule: signed in with the invited email address)."""
    invitation = get_object_or_404(
        HostInvitation.objects.select_related("session__event"), token=token
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    error = ""
    if request.method == "POST":
        try:
            services.host_invitation_accept(invitation=invitation, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, f"You are now a host of “{invitation.session.title}”.")
            return redirect(invitation.session.get_absolute_url())
    return render(
        request,
        "events/host_invitation.html",
        {"invitation": invitation, "session": invitation.session, "error": error},
        status=400 if error else 200,
    )


LOG_PAGE_SIZE = 50


@organiser_view
@require_http_methods(["GET", "HEAD"])
def activity_log(request: HttpRequest, event: Event) -> HttpResponse:
    """Every change made through a service for this event, newest first (core.audit)."""
    form = AuditFilterForm(request.GET or None, event=event)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit.entries_for_event(
        event_id=event.pk, actor_id=cleaned.get("person"), action=cleaned.get("kind", "")
    )
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.label = audit.label_for(entry.action)
        entry.details = audit.describe(entry.data)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/orga/log.html",
        {
            "event": event,
            "orga_section": "log",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(cleaned.get("person") or cleaned.get("kind")),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )
